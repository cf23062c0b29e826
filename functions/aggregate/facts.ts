/**
 * A fact is one value as it entered the system: an indicator for a unit, year and breakdown
 * part, from a validated submission or from history. Aggregation works on facts only.
 */
import type { HistoryRecord } from "../history/history.js";
import type { Observation } from "../validate/validate-submissions.js";

export type Fact = HistoryRecord & {
  /** The row had errors: it counts as missing, and the unit as not valid for the indicator. */
  invalid?: boolean;
  /** For a unit that did not exist that year: the units it was made from (the 2020 merger). */
  mappedFrom?: string[];
};

/** Validated observations as facts; rows with errors become missing facts marked invalid. */
export function factsFromObservations(observations: readonly Observation[]): Fact[] {
  return observations.map((o) => {
    const base = { year: o.year, unit: o.unit, indicator: o.indicator, breakdown: o.breakdown };
    if (o.status === "invalid") return { ...base, status: "missing", value: undefined, numerator: undefined, denominator: undefined, respondents: undefined, invalid: true };
    return {
      ...base,
      status: o.status,
      value: o.value,
      numerator: o.numerator,
      denominator: o.denominator,
      respondents: o.respondents,
    };
  });
}

export const factKey = (f: { year: number; unit: string; indicator: string; breakdown: string }) =>
  `${f.year}|${f.unit}|${f.indicator}|${f.breakdown}`;
