/**
 * The aggregation's output as data: one row per indicator, unit (or the city), year and
 * breakdown, with its status and, for city rows, its coverage. Its own file so that the parts
 * of the aggregation (compare.ts) and its readers share the types without an import circle.
 */
import type { ValueOrigin } from "../model/origin.js";
import type { MissingReason } from "./facts.js";
import type { Trend } from "./trends.js";
import type { Aggregation, Sex } from "../shared/vocabulary.js";

/** "partial": a city figure that lacks some of the units expected to report. */
export const AGGREGATE_STATUSES = ["ok", "partial", "missing", "suppressed", "not-applicable"] as const;
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
  /** City rows: the expected units the figure lacks, and why. */
  missingUnits?: { unit: string; reason: MissingReason }[];
  /** City rows: included units whose value is unconfirmed. */
  unconfirmedUnits?: string[];
  suppression?: "primary" | "secondary";
  /** Years before a merger: the units this figure was made from. */
  mappedFrom?: string[];
  /** The unit's row had errors and is left out. */
  invalid?: boolean;
  /** Unit rows without a value: why. */
  missingReason?: MissingReason;
  /** Unit rows: a large change the reporter has not confirmed. */
  unconfirmed?: boolean;
  /** A preview only. Unit rows: a draft value (its reporter is not admitted); city rows: the included units that are drafts. */
  draft?: boolean;
  draftUnits?: string[];
  /** City rows: the units whose values the figure is made of. */
  includedUnits?: string[];
  /** Unit rows of the year: where the value came from. */
  origin?: ValueOrigin;
}

export interface Aggregates {
  year: number;
  rows: AggregateRow[];
  trends: Trend[];
}
