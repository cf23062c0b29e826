import type { Indicator } from "./schema.js";

/** The figure a person reads for an indicator's values: the count, the percentage, or the status. */
export function figureOf(
  values: { value?: number | string | undefined; numerator?: number | undefined; denominator?: number | undefined },
  indicator: Indicator,
): number | string | undefined {
  if (indicator.measure === "ratio") {
    const { numerator: n, denominator: d } = values;
    return n !== undefined && d !== undefined && d > 0 ? (n / d) * 100 : undefined;
  }
  return values.value;
}
