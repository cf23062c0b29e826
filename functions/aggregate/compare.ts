/**
 * Like-for-like comparisons between years. The city is compared on one set of units that
 * have a confirmed value in every year compared; a unit that is missing, rejected or
 * unconfirmed in one of them is left out of every year, and the comparison says how many
 * units it covers. Below the catalogue's minimum coverage no comparison is claimed.
 *
 * A comparison over fewer units than the city's own figure would, beside it, give away what
 * the left-out units add up to. So when a left-out unit is suppressed that year, the
 * comparison is not shown.
 */
import { CITY } from "../catalogue/catalogue-for-year.js";
import { covers } from "../catalogue/load-catalogue.js";
import type { Catalogue, Indicator } from "../catalogue/schema.js";
import { TOTAL } from "../shared/vocabulary.js";
import type { AggregateRow } from "./aggregate-row.js";
import { combine, hasNumbers } from "./combine.js";
import type { Fact } from "./facts.js";
import type { SeriesPoint } from "../catalogue/noise.js";
import { judgeSeries, type Trend } from "./trends.js";

const usable = (indicator: Indicator, f: Fact | undefined): f is Fact =>
  f !== undefined && f.status === "ok" && !f.unconfirmed && hasNumbers(indicator, f);

interface Context {
  indicator: Indicator;
  catalogue: Catalogue;
  year: number;
  /** year → unit (as of the reporting year) → its total. */
  totals: Map<number, Map<string, Fact>>;
  /** year|unit → the row's status after suppression, for totals. */
  statuses: Map<string, AggregateRow["status"]>;
  minShare: number;
}

export function comparisons(
  indicator: Indicator,
  facts: readonly Fact[],
  rows: readonly AggregateRow[],
  catalogue: Catalogue,
  year: number,
): Trend[] {
  const current = catalogue.units.filter((u) => covers(u.years, year)).map((u) => u.id);
  const currentSet = new Set(current);
  const totals = new Map<number, Map<string, Fact>>();
  for (const f of facts) {
    if (f.breakdown !== TOTAL || f.year > year) continue;
    // Earlier years of merged units stand in as the unit they became (a mapped fact); the
    // merged units themselves are not today's units.
    if (!currentSet.has(f.unit)) continue;
    const y = totals.get(f.year) ?? new Map<string, Fact>();
    y.set(f.unit, f);
    totals.set(f.year, y);
  }
  const statuses = new Map(
    rows.filter((r) => r.breakdown === TOTAL && r.aggregation === undefined).map((r) => [`${r.year}|${r.unit}`, r.status] as const),
  );
  const ctx: Context = { indicator, catalogue, year, totals, statuses, minShare: catalogue.coverage.minShareForComparison };
  const trends = [cityComparison(ctx, current)];
  if (indicator.level === "unit") for (const unit of current) trends.push(unitComparison(ctx, unit));
  return trends;
}

function cityComparison(ctx: Context, current: string[]): Trend {
  const { indicator, year, totals } = ctx;
  const now = totals.get(year);
  const expected = current.filter((u) => now?.get(u)?.status !== "not-applicable").length;
  const base = { indicator: indicator.id, unit: CITY.id, year, expected };
  const empty = (withheld: string, units: string[] = []): Trend => ({
    ...base,
    units,
    kind: "none",
    years: [],
    value: null,
    previous: null,
    change: null,
    slope: null,
    points: 0,
    wrongWay: false,
    notable: false,
    withheld,
  });
  if (!now || !totals.has(year - 1)) return empty(`Det finns inget värde för ${year - 1} att jämföra med.`);
  const span = ctx.catalogue.comparison.trendYears;
  const window = Array.from({ length: span }, (_, i) => year - span + 1 + i).filter((y) => totals.has(y));
  // The longest run of years ending now whose like-for-like set still has enough units.
  for (let from = 0; from < window.length - 1; from++) {
    const years = window.slice(from);
    if (years[0] !== year - years.length + 1) continue; // no gaps in a series
    const units = current.filter((u) => years.every((y) => usable(indicator, totals.get(y)?.get(u))));
    if (expected === 0 || units.length / expected < ctx.minShare) continue;
    if (years.some((y) => leaks(ctx, y, units))) {
      if (years.length === 2) return empty("Jämförelsen med förra året redovisas inte, eftersom den skulle avslöja en liten grupp.", units);
      continue;
    }
    const series = years.map((y) => point(indicator, y, units.map((u) => totals.get(y)!.get(u)!)));
    if (series.some((p) => p === undefined)) continue;
    return judgeSeries(indicator, { ...base, units }, series as SeriesPoint[], ctx.catalogue.comparison);
  }
  const pair = current.filter((u) => usable(indicator, now.get(u)) && usable(indicator, totals.get(year - 1)?.get(u)));
  return empty(
    `För få enheter har lämnat jämförbara uppgifter för att jämföra staden med förra året (${pair.length} av ${expected}).`,
    pair,
  );
}

function unitComparison(ctx: Context, unit: string): Trend {
  const { indicator, year, totals } = ctx;
  const series: SeriesPoint[] = [];
  for (let y = year; y > year - ctx.catalogue.comparison.trendYears; y--) {
    const f = totals.get(y)?.get(unit);
    // A suppressed year is not part of what anyone may see, so it is not part of a trend either.
    if (!usable(indicator, f) || ctx.statuses.get(`${y}|${unit}`) === "suppressed") break;
    const p = point(indicator, y, [f]);
    if (!p) break;
    series.unshift(p);
  }
  return judgeSeries(indicator, { indicator: indicator.id, unit, year, units: [unit], expected: 1 }, series, ctx.catalogue.comparison);
}

/** Whether a unit the set leaves out is suppressed that year (the difference would show it). */
function leaks(ctx: Context, year: number, units: string[]): boolean {
  const set = new Set(units);
  for (const [key, status] of ctx.statuses) {
    const [y, unit] = key.split("|") as [string, string];
    if (Number(y) !== year || unit === CITY.id || status !== "suppressed") continue;
    const target = ctx.catalogue.units.find((u) => u.id === unit)?.mergedInto;
    const represented = set.has(unit) || (target !== undefined && year < target.year && set.has(target.unit));
    if (!represented) return true;
  }
  return false;
}

function point(indicator: Indicator, year: number, facts: Fact[]): SeriesPoint | undefined {
  const c = combine(indicator, facts);
  if (c.status !== "ok" || c.value === undefined) return undefined;
  const base = indicator.measure === "ratio" ? c.denominator : indicator.measure === "survey" ? c.respondents : undefined;
  return { year, value: c.value, ...(base !== undefined ? { base } : {}) };
}
