/**
 * Trends and the flag "går åt fel håll" (goes the wrong way).
 *
 * The rule, for an indicator with a desired direction:
 * - The trend is the least-squares slope over the last five years up to the reporting year
 *   (at least three years with a value).
 * - It goes the wrong way when the slope runs against the desired direction by more than a
 *   tolerance per year: 1 percentage point for percentages, 5 % of the series' mean for counts.
 * - With only two years, the change from last year is used instead, against twice the tolerance.
 * - A change from last year of more than twice the tolerance, either way, is "notable" and is
 *   described in the analysis.
 * Indicators without a desired direction (the incident count) are never flagged.
 */
import type { Indicator } from "../catalogue/schema.js";

export const TREND_YEARS = 5;

export interface Trend {
  indicator: string;
  unit: string;
  year: number;
  value: number | null;
  previous: number | null;
  /** value − previous: units, or percentage points. */
  change: number | null;
  /** The slope per year over up to five years, or null with fewer than three values. */
  slope: number | null;
  points: number;
  wrongWay: boolean;
  notable: boolean;
}

export function trendOf(indicator: Indicator, unit: string, year: number, series: Map<number, number>): Trend {
  const value = series.get(year) ?? null;
  const previous = series.get(year - 1) ?? null;
  const change = value !== null && previous !== null ? value - previous : null;
  const window = [...series.entries()].filter(([y]) => y <= year && y > year - TREND_YEARS).sort(([a], [b]) => a - b);
  const slope = window.length >= 3 && value !== null ? leastSquaresSlope(window) : null;
  const values = window.map(([, v]) => v);
  const mean = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  const tolerance = indicator.measure === "count" ? Math.max(1, Math.abs(mean) * 0.05) : 1;
  const against = indicator.direction === "increase" ? -1 : indicator.direction === "decrease" ? 1 : 0;
  let wrongWay = false;
  if (against !== 0 && value !== null) {
    if (slope !== null) wrongWay = slope * against > tolerance;
    else if (change !== null) wrongWay = change * against > 2 * tolerance;
  }
  return {
    indicator: indicator.id,
    unit,
    year,
    value,
    previous,
    change,
    slope,
    points: window.length,
    wrongWay,
    notable: change !== null && Math.abs(change) > 2 * tolerance,
  };
}

function leastSquaresSlope(points: [number, number][]): number {
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
