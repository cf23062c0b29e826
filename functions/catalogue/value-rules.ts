/**
 * What a value of an indicator may be: the kind of number each field takes and its range,
 * and how numerator and denominator relate. One set of rules for submissions (validate/) and
 * for earlier years brought in with hp import-history (history/), and the template's input
 * rules are made from the same ranges.
 */
import type { InputField } from "../shared/vocabulary.js";
import type { Indicator } from "./schema.js";

export interface FieldRange {
  min: number;
  /** Infinity when there is no upper limit. */
  max: number;
  integer: boolean;
  /** A percentage 0–100 (a survey's share of positive answers). */
  percent: boolean;
}

/** The range and kind of number a field of an indicator takes. */
export function fieldRange(indicator: Pick<Indicator, "measure" | "range">, field: InputField): FieldRange {
  if (field === "value" && indicator.measure === "survey") {
    return { min: indicator.range?.min ?? 0, max: indicator.range?.max ?? 100, integer: false, percent: true };
  }
  if (field === "value") {
    return { min: indicator.range?.min ?? 0, max: indicator.range?.max ?? Number.POSITIVE_INFINITY, integer: true, percent: false };
  }
  // Numerators, denominators and respondents are counts of people or things.
  return { min: 0, max: Number.POSITIVE_INFINITY, integer: true, percent: false };
}

export type ValueProblem = "not-integer" | "out-of-range";

/** What is wrong with a number for a field, if anything; a fraction is found before the range. */
export function valueProblem(range: FieldRange, value: number): ValueProblem | undefined {
  if (range.integer && !Number.isInteger(value)) return "not-integer";
  if (value < range.min || value > range.max) return "out-of-range";
  return undefined;
}

/** The range as people read it: "0–100" or "minst 0". */
export function rangeText(range: FieldRange, format: (n: number) => string): string {
  return Number.isFinite(range.max) ? `${format(range.min)}–${format(range.max)}` : `minst ${format(range.min)}`;
}

export type RatioProblem = "numerator-exceeds-denominator" | "denominator-zero";

/** A share cannot be over 100 %, and cannot be worked out from a denominator of 0. */
export function ratioProblem(numerator: number, denominator: number): RatioProblem | undefined {
  if (numerator > denominator) return "numerator-exceeds-denominator";
  if (denominator === 0) return "denominator-zero";
  return undefined;
}
