/**
 * A fact is one value as it entered the system: an indicator for a unit, year and breakdown
 * part, from a validated submission or from history. Aggregation works on facts only.
 */
import type { MissingReason, Observation } from "../model/records.js";
import type { ValueOrigin } from "../model/origin.js";
import { groupBy } from "../shared/group-by.js";
import type { HistoryRecord } from "../history/history.js";

export type { MissingReason } from "../model/records.js";

export type Fact = HistoryRecord & {
  /** The row had errors: it counts as missing, and the unit as not valid for the indicator. */
  invalid?: boolean;
  /** A large change the reporter has not confirmed: shown marked, never compared. */
  unconfirmed?: boolean;
  /** For a unit that did not exist that year: the units it was made from (the 2020 merger). */
  mappedFrom?: string[];
  /** Why it is missing, when not as reported: the reporter's values are not admitted, or it sent no value at all. */
  missingReason?: MissingReason;
  /** A preview only: a value of a reporter that is not admitted, shown marked, never stored. */
  draft?: boolean;
  /** A value of the year: where it came from (earlier years' come from the history, told per year). */
  origin?: ValueOrigin;
};

/** Validated observations as facts; rows with errors become missing facts marked invalid. */
export function factsFromObservations(observations: readonly Observation[]): Fact[] {
  return observations.map((o) => {
    const origin: ValueOrigin = { kind: "typed", file: o.source.file, sheet: o.source.sheet, cells: o.source.cells };
    const base = { year: o.year, unit: o.unit, indicator: o.indicator, breakdown: o.breakdown, origin };
    if (o.status === "invalid") return { ...base, status: "missing", value: undefined, numerator: undefined, denominator: undefined, respondents: undefined, invalid: true };
    return {
      ...base,
      status: o.status,
      value: o.value,
      numerator: o.numerator,
      denominator: o.denominator,
      respondents: o.respondents,
      ...(o.unconfirmed ? { unconfirmed: true } : {}),
    };
  });
}

/**
 * A unit's values for an indicator in a year stand or fall together: when its total is
 * rejected its parts are not counted either, and the other way round. Otherwise the city's
 * parts would include a unit its total lacks, and a published breakdown would not add up.
 */
export function harmoniseUnitFacts(facts: readonly Fact[]): Fact[] {
  const out: Fact[] = [];
  for (const group of groupBy(facts, (f) => `${f.year}|${f.unit}|${f.indicator}`).values()) {
    if (!group.some((f) => f.invalid)) {
      out.push(...group);
      continue;
    }
    for (const f of group) {
      out.push({
        ...f,
        status: "missing",
        value: undefined,
        numerator: undefined,
        denominator: undefined,
        respondents: undefined,
        invalid: true,
      });
    }
  }
  return out;
}

/** Why a fact that is not a number is missing, for the notes under tables and on unit pages. */
export function missingReasonOf(f: Fact): MissingReason {
  if (f.invalid) return "rejected";
  return f.missingReason ?? "not-reported";
}

export const factKey = (f: { year: number; unit: string; indicator: string; breakdown: string }) =>
  `${f.year}|${f.unit}|${f.indicator}|${f.breakdown}`;
