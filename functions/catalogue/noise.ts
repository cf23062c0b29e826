/**
 * When a change between two years is more than chance and more than one or two people make:
 * for a share, more than two people's worth of the smaller denominator (200 / n percentage
 * points) and more than the half-width of a 95 % confidence interval for the difference of two
 * proportions, 1,96·√(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂); for a count, more than two. Used by the
 * trend rules and by validation's large-change check alike.
 */
import type { Indicator } from "./schema.js";

/** One year of a compared series: the figure and, for shares, the people behind it. */
export interface SeriesPoint {
  year: number;
  value: number;
  /** Denominator or respondents; undefined for counts. */
  base?: number;
}

/** Whether a change is larger than chance and larger than one or two people make. */
export function beyondNoise(indicator: Indicator, from: SeriesPoint, to: SeriesPoint): boolean {
  const change = Math.abs(to.value - from.value);
  if (indicator.measure === "count") return change > 2;
  if (from.base === undefined || to.base === undefined || from.base <= 0 || to.base <= 0) return false;
  const twoPeople = 200 / Math.min(from.base, to.base);
  const p1 = from.value / 100;
  const p2 = to.value / 100;
  const interval = 1.96 * Math.sqrt((p1 * (1 - p1)) / from.base + (p2 * (1 - p2)) / to.base) * 100;
  return change > twoPeople && change > interval;
}

