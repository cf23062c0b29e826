/**
 * Aggregation, driven by the catalogue: per unit and city-wide, per year, per sex and activity
 * area; city figures by each indicator's rule, with the unweighted mean of the units beside
 * them where the catalogue asks; earlier years of merged units mapped onto today's unit;
 * small groups suppressed; trends with the "wrong way" flag. Pure: facts in, tables out.
 */
import { CITY } from "../catalogue/catalogue-for-year.js";
import { figureOf } from "../catalogue/figure.js";
import { covers } from "../catalogue/load-catalogue.js";
import type { Catalogue, Indicator } from "../catalogue/schema.js";
import { groupBy } from "../shared/group-by.js";
import { type Aggregation, isSex, type Sex, TOTAL } from "../shared/vocabulary.js";
import { combine, groupSize, unweightedMean } from "./combine.js";
import { type Fact, factKey } from "./facts.js";
import { type SuppressibleCell, type SumGroup, suppress } from "./suppress.js";
import { type Trend, trendOf } from "./trends.js";

export const AGGREGATE_STATUSES = ["ok", "missing", "suppressed", "not-applicable"] as const;
export type AggregateStatus = (typeof AGGREGATE_STATUSES)[number];

export interface AggregateRow {
  indicator: string;
  /** A unit id, or "stockholm" for the city. */
  unit: string;
  year: number;
  /** K, M or T; T for breakdowns other than sex. */
  sex: Sex;
  /** The breakdown part: K/M/T, an activity area, a role or a status-list activity. */
  breakdown: string;
  value: number | string | null;
  status: AggregateStatus;
  numerator?: number;
  denominator?: number;
  respondents?: number;
  /** City rows: which kind of figure this is. */
  aggregation?: Exclude<Aggregation, "none"> | "unweighted-mean";
  /** City rows: units included in the figure, of those expected to report. */
  units?: { included: number; expected: number };
  suppression?: "primary" | "secondary";
  /** Years before a merger: the units this figure was made from. */
  mappedFrom?: string[];
  /** The unit's row had errors and is left out. */
  invalid?: boolean;
}

export interface Aggregates {
  year: number;
  rows: AggregateRow[];
  trends: Trend[];
}

/** Aggregates every year from the first fact up to `year`. */
export function aggregate(catalogue: Catalogue, facts: readonly Fact[], year: number): Aggregates {
  const indicators = new Map(catalogue.indicators.map((i) => [i.id, i]));
  const known = facts.filter((f) => f.year <= year && indicators.has(f.indicator));
  const all = [...known, ...mapMergers(catalogue, known, indicators)];
  const rows: AggregateRow[] = [];
  const trends: Trend[] = [];

  for (const [id, indicatorFacts] of groupBy(all, (f) => f.indicator)) {
    const indicator = indicators.get(id)!;
    const byYear = groupBy(indicatorFacts, (f) => f.year);
    const indicatorRows: AggregateRow[] = [];
    for (const [y, yearFacts] of [...byYear.entries()].sort(([a], [b]) => a - b)) {
      const yearRows = [...yearFacts.map((f) => unitRow(indicator, f)), ...cityRows(indicator, yearFacts, catalogue, y)];
      if (indicator.minGroupSize !== null) suppressYear(indicator, yearRows, indicator.minGroupSize);
      indicatorRows.push(...yearRows);
    }
    rows.push(...indicatorRows);
    if (indicator.measure !== "status") trends.push(...trendsFor(indicator, indicatorRows, catalogue, year));
  }
  rows.sort(rowOrder(catalogue));
  return { year, rows, trends };
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
  if (f.invalid) row.invalid = true;
  return row;
}

/** The city's figure for each breakdown part, and the unweighted mean where asked for. */
function cityRows(indicator: Indicator, facts: Fact[], catalogue: Catalogue, year: number): AggregateRow[] {
  if (indicator.measure === "status" || indicator.aggregation === "none") return [];
  const existing = new Set(catalogue.units.filter((u) => covers(u.years, year)).map((u) => u.id));
  const unitFacts = facts.filter((f) => existing.has(f.unit) && !f.mappedFrom);
  const rows: AggregateRow[] = [];
  for (const [breakdown, partFacts] of groupBy(unitFacts, (f) => f.breakdown)) {
    const c = combine(indicator, partFacts, true);
    const base = { indicator: indicator.id, unit: CITY.id, year, sex: sexOf(indicator, breakdown), breakdown };
    const row: AggregateRow = {
      ...base,
      value: c.value ?? null,
      status: c.status,
      aggregation: indicator.aggregation as Exclude<Aggregation, "none">,
      units: { included: c.included, expected: c.expected },
    };
    if (c.status === "ok" && indicator.measure === "ratio") Object.assign(row, { numerator: c.numerator, denominator: c.denominator });
    if (c.status === "ok" && indicator.measure === "survey") row.respondents = c.respondents;
    rows.push(row);
    if (indicator.showUnweightedMean) {
      const mean = unweightedMean(indicator, partFacts);
      rows.push({
        ...base,
        value: mean ?? null,
        status: mean === undefined ? "missing" : "ok",
        aggregation: "unweighted-mean",
        units: { included: c.included, expected: c.expected },
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
      const c = combine(indicator, parts as Fact[], false);
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
      status: row.status,
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
      (r) => r.unit !== CITY.id && r.breakdown === cityRow.breakdown && !r.mappedFrom && r.status !== "missing",
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

function trendsFor(indicator: Indicator, rows: AggregateRow[], catalogue: Catalogue, year: number): Trend[] {
  const units = [...catalogue.units.filter((u) => covers(u.years, year)).map((u) => u.id), CITY.id];
  const totals = rows.filter(
    (r) => r.breakdown === TOTAL && r.status === "ok" && typeof r.value === "number" && r.aggregation !== "unweighted-mean",
  );
  const byUnit = groupBy(totals, (r) => r.unit);
  return units
    .filter((u) => byUnit.has(u))
    .map((u) => trendOf(indicator, u, year, new Map(byUnit.get(u)!.map((r) => [r.year, r.value as number]))))
    .filter((t) => t.value !== null);
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
