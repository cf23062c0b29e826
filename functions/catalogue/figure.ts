import type { Indicator } from "./schema.js";

/** Whether an indicator's figure is a share in percent (a ratio or a survey result), read with one decimal. */
export function isShare(indicator: Pick<Indicator, "measure">): boolean {
  return indicator.measure === "ratio" || indicator.measure === "survey";
}

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
