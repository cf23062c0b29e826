/**
 * Comparisons between years, and the flag "går åt fel håll" (goes the wrong way).
 *
 * Like for like: every comparison is made on one set of units with a confirmed value in every
 * year it compares (see compare.ts); its figures are combined over that set alone, so that a
 * unit that is missing one year never looks like a change.
 *
 * The rules, for an indicator with a desired direction:
 * - With at least three years, the trend is the least-squares slope over the last five years
 *   up to the reporting year. It goes the wrong way when the slope runs against the desired
 *   direction by more than a tolerance per year – 1 percentage point for percentages, 5 % of
 *   the series' mean for counts – and the latest change does not go the desired way (a
 *   change of ±0 is never "fel håll").
 * - With only two years, there is no trend, only the change from last year; it goes the
 *   wrong way when it runs against the desired direction by more than twice the tolerance.
 * - A change from last year of more than twice the tolerance, either way, is "notable".
 * - A change must also be larger than chance and larger than what one or two people make:
 *   for a share, the change must exceed both two people's worth of the smaller denominator
 *   (200 / n percentage points) and the half-width of a 95 % confidence interval for the
 *   difference of two proportions, 1,96·√(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂); for a count, more than
 *   two. This is what keeps a unit from being flagged for 31 of 35 becoming 35 of 42.
 * Indicators without a desired direction (the incident count) are never flagged.
 */
import { beyondNoise, type SeriesPoint } from "../catalogue/noise.js";
import type { ComparisonRules, Indicator } from "../catalogue/schema.js";

export type { SeriesPoint };

export interface Trend {
  indicator: string;
  /** A unit id, or "stockholm" for the city. */
  unit: string;
  year: number;
  /** "trend" (three years or more), "change" (two years) or "none" (nothing to compare). */
  kind: "trend" | "change" | "none";
  /** The years the comparison used. */
  years: number[];
  /** City: the units in every one of those years (like for like); a unit: itself. */
  units: string[];
  /** City: the units expected this year (not counting those with nothing to report). */
  expected: number;
  /** This year's and last year's figure, over `units`; null when not to be shown. */
  value: number | null;
  previous: number | null;
  /** value − previous: units, or percentage points. */
  change: number | null;
  /** The slope per year over the trend's years, or null with fewer than three. */
  slope: number | null;
  points: number;
  wrongWay: boolean;
  notable: boolean;
  /** Why no comparison is claimed, in Swedish, when none is. */
  withheld?: string;
}

/** How much a figure may move and still count as unchanged (catalogue: comparison). */
export function toleranceOf(indicator: Indicator, values: readonly number[], rules: ComparisonRules): number {
  const mean = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  return indicator.measure === "count" ? Math.max(rules.minCountTolerance, Math.abs(mean) * rules.countTolerance) : rules.shareTolerance;
}

/** The sign that counts against the desired direction: 1, −1, or 0 when there is none. */
function against(indicator: Indicator): number {
  return indicator.direction === "increase" ? -1 : indicator.direction === "decrease" ? 1 : 0;
}

/**
 * Judges a series for one set of units (already like for like). `series` holds the years of
 * the trend window in order, ending with the reporting year; the last two are compared.
 */
export function judgeSeries(
  indicator: Indicator,
  base: Pick<Trend, "indicator" | "unit" | "year" | "units" | "expected">,
  series: readonly SeriesPoint[],
  rules: ComparisonRules,
): Trend {
  const last = series.at(-1);
  const before = series.at(-2);
  const none: Trend = { ...base, kind: "none", years: series.map((p) => p.year), value: last?.value ?? null, previous: null, change: null, slope: null, points: series.length, wrongWay: false, notable: false };
  if (!last || last.year !== base.year || !before || before.year !== base.year - 1) return none;
  const change = last.value - before.value;
  const values = series.map((p) => p.value);
  const tolerance = toleranceOf(indicator, values, rules);
  const sign = against(indicator);
  const pairReal = beyondNoise(indicator, before, last);
  const kind = series.length >= rules.minTrendYears ? "trend" : "change";
  const slope = kind === "trend" ? leastSquaresSlope(series.map((p) => [p.year, p.value])) : null;
  let wrongWay = false;
  if (sign !== 0) {
    if (slope !== null) {
      // The latest change must go against too (never "fel håll" at ±0), and the change over
      // the whole window must be more than chance.
      wrongWay = slope * sign > tolerance && shownSign(before.value, last.value, indicator) === sign && beyondNoise(indicator, series[0]!, last);
    } else {
      wrongWay = change * sign > 2 * tolerance && pairReal && shownSign(before.value, last.value, indicator) === sign;
    }
  }
  return {
    ...base,
    kind,
    years: series.map((p) => p.year),
    value: last.value,
    previous: before.value,
    change,
    slope,
    points: series.length,
    wrongWay,
    notable: Math.abs(change) > 2 * tolerance && pairReal,
  };
}

/** The sign of a change between two figures as they are printed (one decimal for shares, none for counts). */
function shownSign(before: number, after: number, indicator: Indicator): number {
  const shown = (v: number) => (indicator.measure === "count" ? Math.round(v) : Math.round(v * 10));
  return Math.sign(shown(after) - shown(before));
}

export function leastSquaresSlope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
