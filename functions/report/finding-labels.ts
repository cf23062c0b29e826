/**
 * What a finding is about, without the values it quotes. A page that goes to a board shows a
 * not-admitted unit's findings this way: the message of a finding quotes the draft value ("45 är
 * 543 % högre än förra årets 7"), and a value that is not the year's figure is never printed.
 */
import type { Finding, FindingCode } from "../model/findings.js";

/** Findings whose messages quote a reported value have a label here; the others name none. */
const LABELS: Partial<Record<FindingCode, string>> = {
  VALUE_REQUIRED: "Värde saknas",
  VALUE_PART_BLANK: "En del av uppdelningen är tom",
  VALUE_NOT_NUMBER: "Värdet är inte ett tal",
  VALUE_AMBIGUOUS: "Värdet går inte att tolka entydigt",
  VALUE_DATE: "Värdet är ett datum, inte ett tal",
  VALUE_FORMULA_ERROR: "Formeln ger ett fel",
  VALUE_FORMULA_NO_RESULT: "Formeln saknar beräknat värde",
  VALUE_NOT_INTEGER: "Värdet ska vara ett heltal",
  VALUE_OUT_OF_RANGE: "Värdet ligger utanför det tillåtna intervallet",
  VALUE_PERCENT_IN_COUNT: "Ett procenttal står där ett antal ska stå",
  VALUE_LOOKS_LIKE_FRACTION: "Värdet ser ut som en andel i stället för procent",
  VALUE_NOT_IN_LIST: "Värdet finns inte bland de tillåtna",
  NUMERATOR_EXCEEDS_DENOMINATOR: "Täljaren är större än nämnaren",
  DENOMINATOR_ZERO: "Nämnaren är noll",
  RATIO_HALF_GIVEN: "Bara täljaren eller nämnaren är ifylld",
  PARTS_NOT_TOTAL: "Delarna stämmer inte med totalen",
  CHANGE_LARGE: "Stor förändring mot förra året som inte är förklarad",
  SELF_ASSESSMENT_OUT_OF_RANGE: "Självskattningen ligger utanför skalan 1–5",
  APPROVED_CHANGED: "Filen har ändrats sedan enheten godkändes",
};

/** The finding's message, or only what it is about when its values may not be printed. */
export function findingText(f: Finding, quoteValues: boolean): string {
  if (quoteValues) return f.message;
  // Codes without a label say nothing of a reported figure (tabs, rows, activities, ready).
  return LABELS[f.code] ?? f.message;
}
