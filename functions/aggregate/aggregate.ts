/**
 * Aggregation, driven by the catalogue: per unit and city-wide, per year, per sex and activity
 * area; city figures by each indicator's rule, with the unweighted mean of the units beside
 * them where the catalogue asks; earlier years of merged units mapped onto today's unit;
 * small groups suppressed; like-for-like comparisons with the "wrong way" flag. Every city
 * figure knows its coverage: the units it includes, and those expected that it lacks and why.
 * Pure: facts in, tables out.
 */
import { breakdownParts, CITY } from "../catalogue/catalogue-for-year.js";
import { figureOf } from "../catalogue/figure.js";
import { covers } from "../catalogue/load-catalogue.js";
import type { Catalogue, Indicator } from "../catalogue/schema.js";
import { groupBy } from "../shared/group-by.js";
import { type Aggregation, isSex, type Sex, TOTAL } from "../shared/vocabulary.js";
import { combine, groupSize, hasNumbers, unweightedMean } from "./combine.js";
import { comparisons } from "./compare.js";
import { type Fact, factKey, harmoniseUnitFacts, type MissingReason, missingReasonOf } from "./facts.js";
import { type SuppressibleCell, type SumGroup, suppress } from "./suppress.js";
import type { AggregateRow, Aggregates } from "./aggregate-row.js";
import type { Trend } from "./trends.js";

export { AGGREGATE_STATUSES, type AggregateRow, type AggregateStatus, type Aggregates } from "./aggregate-row.js";

export interface AggregateOptions {
  /**
   * The year's admission: why a unit's value for an indicator is not admitted (its reporter
   * has not handed in, …), or undefined when it is. Facts of units not admitted must already
   * be missing (or, in a preview, drafts); this names the reason for the units with no fact.
   */
  notAdmitted?: (unit: string, indicator: string) => MissingReason | undefined;
}

/** Aggregates every year from the first fact up to `year`. */
export function aggregate(catalogue: Catalogue, facts: readonly Fact[], year: number, options: AggregateOptions = {}): Aggregates {
  const indicators = new Map(catalogue.indicators.map((i) => [i.id, i]));
  const known = harmoniseUnitFacts(facts.filter((f) => f.year <= year && indicators.has(f.indicator)));
  const rows: AggregateRow[] = [];
  const trends: Trend[] = [];

  for (const [id, given] of groupBy(known, (f) => f.indicator)) {
    const indicator = indicators.get(id)!;
    const filled = [...given, ...absentFacts(catalogue, indicator, given, year, options)];
    const all = [...filled, ...mapMergers(catalogue, filled, indicators)];
    const byYear = groupBy(all, (f) => f.year);
    const indicatorRows: AggregateRow[] = [];
    for (const [y, yearFacts] of [...byYear.entries()].sort(([a], [b]) => a - b)) {
      const yearRows = [...yearFacts.map((f) => unitRow(indicator, f)), ...cityRows(indicator, yearFacts, catalogue, y)];
      if (indicator.minGroupSize !== null) suppressYear(indicator, yearRows, indicator.minGroupSize);
      indicatorRows.push(...yearRows);
    }
    rows.push(...indicatorRows);
    if (indicator.measure !== "status") trends.push(...comparisons(indicator, all, indicatorRows, catalogue, year));
  }
  rows.sort(rowOrder(catalogue));
  return { year, rows, trends };
}

/**
 * The units that were expected in a year but gave no value at all for a part: they are
 * missing, not absent, so that the city's coverage counts them.
 */
function absentFacts(catalogue: Catalogue, indicator: Indicator, facts: readonly Fact[], year: number, options: AggregateOptions): Fact[] {
  if (indicator.level !== "unit" || indicator.measure === "status") return [];
  const parts = breakdownParts(catalogue, indicator.breakdown).map((p) => p.key);
  const present = new Set(facts.map(factKey));
  const absent: Fact[] = [];
  for (const [y, yearFacts] of groupBy(facts, (f) => f.year)) {
    if (!covers(indicator.years, y)) continue;
    const reported = new Set(yearFacts.map((f) => f.unit));
    for (const unit of catalogue.units.filter((u) => covers(u.years, y))) {
      const reason: MissingReason =
        y !== year ? "not-reported" : (options.notAdmitted?.(unit.id, indicator.id) ?? (reported.has(unit.id) ? "not-reported" : "not-submitted"));
      for (const breakdown of parts) {
        const key = { year: y, unit: unit.id, indicator: indicator.id, breakdown };
        if (present.has(factKey(key))) continue;
        absent.push({ ...key, status: "missing", value: undefined, numerator: undefined, denominator: undefined, respondents: undefined, missingReason: reason });
      }
    }
  }
  return absent;
}

function unitRow(indicator: Indicator, f: Fact): AggregateRow {
  const row: AggregateRow = {
    indicator: indicator.id,
    unit: f.unit,
    year: f.year,
    sex: sexOf(indicator, f.breakdown),
    breakdown: f.breakdown,
    value: null,
    status: f.status,
  };
  if (f.status === "ok") {
    if (indicator.measure === "status") row.value = typeof f.value === "string" ? f.value : null;
    else {
      const value = figureOf(f, indicator);
      row.status = typeof value === "number" ? "ok" : "missing";
      row.value = typeof value === "number" ? value : null;
      if (indicator.measure === "ratio") Object.assign(row, { numerator: f.numerator, denominator: f.denominator });
      if (indicator.measure === "survey") row.respondents = f.respondents;
    }
  }
  if (f.mappedFrom) row.mappedFrom = f.mappedFrom;
  if (f.origin) row.origin = f.origin;
  if (f.invalid) row.invalid = true;
  if (row.status === "missing") row.missingReason = missingReasonOf(f);
  if (f.unconfirmed && row.status === "ok") row.unconfirmed = true;
  if (f.draft && row.status === "ok") row.draft = true;
  return row;
}

/** The city's figure for each breakdown part, with its coverage, and the unweighted mean where asked for. */
function cityRows(indicator: Indicator, facts: Fact[], catalogue: Catalogue, year: number): AggregateRow[] {
  if (indicator.measure === "status" || indicator.aggregation === "none") return [];
  const existing = new Set(catalogue.units.filter((u) => covers(u.years, year)).map((u) => u.id));
  const unitFacts = facts.filter((f) => existing.has(f.unit) && !f.mappedFrom);
  const rows: AggregateRow[] = [];
  for (const [breakdown, partFacts] of groupBy(unitFacts, (f) => f.breakdown)) {
    const expected = partFacts.filter((f) => f.status !== "not-applicable");
    const included = expected.filter((f) => f.status === "ok" && hasNumbers(indicator, f));
    const missing = expected.filter((f) => !included.includes(f)).map((f) => ({ unit: f.unit, reason: missingReasonOf(f) }));
    const unconfirmed = included.filter((f) => f.unconfirmed).map((f) => f.unit);
    const drafts = included.filter((f) => f.draft).map((f) => f.unit);
    const c = combine(indicator, included);
    const status =
      expected.length === 0 ? "not-applicable" : included.length === 0 || c.status !== "ok" ? "missing" : missing.length > 0 ? "partial" : "ok";
    const base = { indicator: indicator.id, unit: CITY.id, year, sex: sexOf(indicator, breakdown), breakdown };
    const coverage = {
      units: { included: included.length, expected: expected.length },
      includedUnits: included.map((f) => f.unit),
      ...(missing.length > 0 ? { missingUnits: missing } : {}),
      ...(unconfirmed.length > 0 ? { unconfirmedUnits: unconfirmed } : {}),
      ...(drafts.length > 0 ? { draftUnits: drafts } : {}),
    };
    const row: AggregateRow = {
      ...base,
      value: status === "ok" || status === "partial" ? (c.value ?? null) : null,
      status,
      aggregation: indicator.aggregation as Exclude<Aggregation, "none">,
      ...coverage,
    };
    if (row.value !== null && indicator.measure === "ratio") Object.assign(row, { numerator: c.numerator, denominator: c.denominator });
    if (row.value !== null && indicator.measure === "survey") row.respondents = c.respondents;
    rows.push(row);
    if (indicator.showUnweightedMean) {
      const mean = status === "ok" || status === "partial" ? unweightedMean(indicator, included) : undefined;
      rows.push({
        ...base,
        value: mean ?? null,
        status: mean === undefined ? (status === "not-applicable" ? status : "missing") : status,
        aggregation: "unweighted-mean",
        ...coverage,
      });
    }
  }
  return rows;
}

/**
 * Units that were merged (Hägersten-Liljeholmen and Älvsjö into Hägersten-Älvsjö in 2020):
 * their earlier years are combined into the new unit, so its trend runs through the merger.
 */
export function mapMergers(catalogue: Catalogue, facts: readonly Fact[], indicators: Map<string, Indicator>): Fact[] {
  const merged = catalogue.units.filter((u) => u.mergedInto);
  if (merged.length === 0) return [];
  const sourceIds = new Set(merged.map((u) => u.id));
  const targetIds = new Set(merged.map((u) => u.mergedInto!.unit));
  // Only the merged units' and their successors' facts matter; index those alone.
  const relevant = facts.filter((f) => sourceIds.has(f.unit) || targetIds.has(f.unit));
  const index = new Map(relevant.map((f) => [factKey(f), f]));
  const mapped: Fact[] = [];
  for (const [target, sources] of groupBy(merged, (u) => u.mergedInto!.unit)) {
    const mergeYear = sources[0]!.mergedInto!.year;
    const candidates = relevant.filter((f) => f.year < mergeYear && f.unit === sources[0]!.id);
    for (const first of candidates) {
      if (index.has(factKey({ ...first, unit: target }))) continue;
      const parts = sources.map((s) => index.get(factKey({ ...first, unit: s.id })));
      if (parts.some((p) => p === undefined)) continue;
      const indicator = indicators.get(first.indicator)!;
      if (indicator.measure === "status") continue;
      const c = combine(indicator, parts as Fact[]);
      mapped.push({
        year: first.year,
        unit: target,
        indicator: first.indicator,
        breakdown: first.breakdown,
        status: c.status,
        value: c.value,
        numerator: c.numerator,
        denominator: c.denominator,
        respondents: c.respondents,
        mappedFrom: sources.map((s) => s.id),
        ...((parts as Fact[]).some((p) => p.unconfirmed) ? { unconfirmed: true } : {}),
      });
    }
  }
  return mapped;
}

function suppressYear(indicator: Indicator, rows: AggregateRow[], minSize: number): void {
  const key = (unit: string, breakdown: string, kind = "") => `${unit}|${breakdown}|${kind}`;
  const cells = new Map<string, SuppressibleCell & { row: AggregateRow }>();
  for (const row of rows) {
    if (row.aggregation === "unweighted-mean") continue;
    cells.set(key(row.unit, row.breakdown), {
      key: key(row.unit, row.breakdown),
      // A partial city figure is published (marked) all the same.
      status: row.status === "partial" ? "ok" : row.status,
      size: groupSize(indicator, row),
      row,
    });
  }
  const groups: SumGroup[] = [];
  const byUnit = groupBy(rows.filter((r) => r.aggregation !== "unweighted-mean"), (r) => r.unit);
  for (const [unit, unitRows] of byUnit) {
    const parts = unitRows.filter((r) => r.breakdown !== TOTAL).map((r) => key(unit, r.breakdown));
    if (parts.length > 0) groups.push({ total: key(unit, TOTAL), cells: parts });
  }
  const city = rows.filter((r) => r.unit === CITY.id && r.aggregation !== "unweighted-mean");
  for (const cityRow of city) {
    const members = rows.filter(
      (r) => r.unit !== CITY.id && r.breakdown === cityRow.breakdown && !r.mappedFrom && (r.status === "ok" || r.status === "suppressed"),
    );
    groups.push({ total: key(CITY.id, cityRow.breakdown), cells: members.map((r) => key(r.unit, r.breakdown)) });
  }
  for (const mappedRow of rows.filter((r) => r.mappedFrom)) {
    groups.push({
      total: key(mappedRow.unit, mappedRow.breakdown),
      cells: mappedRow.mappedFrom!.map((u) => key(u, mappedRow.breakdown)),
    });
  }
  suppress(cells, groups, minSize);
  for (const cell of cells.values()) {
    if (cell.status !== "suppressed") continue;
    const row = cell.row;
    row.status = "suppressed";
    row.value = null;
    row.suppression = cell.suppression!;
    delete row.numerator;
    delete row.denominator;
    delete row.respondents;
  }
  // The unweighted mean of a city is shown only when every unit figure behind it is.
  for (const mean of rows.filter((r) => r.aggregation === "unweighted-mean")) {
    if (rows.some((r) => r.unit !== CITY.id && r.breakdown === mean.breakdown && r.status === "suppressed" && !r.mappedFrom)) {
      mean.status = "suppressed";
      mean.value = null;
      mean.suppression = "secondary";
    }
  }
}

function sexOf(indicator: Indicator, breakdown: string): Sex {
  return indicator.breakdown === "sex" && isSex(breakdown) ? breakdown : "T";
}

/** Stable order: catalogue order of indicators, then year, unit (city last), breakdown. */
function rowOrder(catalogue: Catalogue) {
  const indicatorIndex = new Map(catalogue.indicators.map((i, n) => [i.id, n]));
  const unitIndex = new Map(catalogue.units.map((u, n) => [u.id, n]));
  const unitRank = (u: string) => (u === CITY.id ? 1_000 : (unitIndex.get(u) ?? 999));
  return (a: AggregateRow, b: AggregateRow) =>
    indicatorIndex.get(a.indicator)! - indicatorIndex.get(b.indicator)! ||
    a.year - b.year ||
    unitRank(a.unit) - unitRank(b.unit) ||
    (a.breakdown === TOTAL ? 1 : 0) - (b.breakdown === TOTAL ? 1 : 0) ||
    a.breakdown.localeCompare(b.breakdown) ||
    (a.aggregation === "unweighted-mean" ? 1 : 0) - (b.aggregation === "unweighted-mean" ? 1 : 0);
}
