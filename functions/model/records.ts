/**
 * The records every stage shares: a value as reported, what validation makes of a workbook,
 * and the reporting rate of a year. They are plain data; the stages that make them live in
 * their own folders (validate, aggregate, history).
 */
import type { Finding } from "./findings.js";

/**
 * Every status a value can have. A stored value (history) is one of the first three; a value
 * just read can also be invalid (the cell had an error, and the value does not count).
 */
export const VALUE_STATUSES = ["ok", "missing", "not-applicable", "invalid"] as const;
export type ValueStatus = (typeof VALUE_STATUSES)[number];
export const STORED_STATUSES = ["ok", "missing", "not-applicable"] as const satisfies readonly ValueStatus[];
export type StoredStatus = (typeof STORED_STATUSES)[number];

/** The figures of one value: a count or percentage (or a status text), or its parts. */
export interface ValueFields {
  /** A number, or a status text for status-list indicators. */
  value?: number | string | undefined;
  numerator?: number | undefined;
  denominator?: number | undefined;
  respondents?: number | undefined;
}

/** Which value: an indicator for a unit and breakdown part in a year. */
export interface ValueKey {
  year: number;
  unit: string;
  indicator: string;
  breakdown: string;
}

/** One validated value, with where it came from. */
export interface Observation extends ValueKey, ValueFields {
  status: ValueStatus;
  comment?: string;
  /**
   * The value changed a lot against last year and the reporter has not confirmed it (with an
   * explanation in Kommentar). It is shown marked and never drives a sentence in the report.
   */
  unconfirmed?: boolean;
  /** The workbook (or spreadsheet) and tab, the row, and the value's input cells in A1 form. */
  source: { file: string; sheet: string; row: number; cells: string[] };
}

export interface SelfAssessment {
  unit: string;
  focusArea: string;
  score: number | null;
  comment?: string;
}

export interface Activity {
  unit: string;
  focusArea: string;
  activity: string;
  followUp: string | null;
  status: string | null;
}

/** A year's self-assessments and activities, as the year's snapshot keeps them. */
export interface LocalWork {
  selfAssessments: readonly SelfAssessment[];
  activities: readonly Activity[];
}

/** One reporter's tab as received, for the reporting rate. */
export interface Submission {
  reporter: string;
  file: string;
  sheet: string;
  /** Marked "Klar att lämna in", and by whom. */
  ready: boolean;
  readyBy: string | null;
  /** From when it counts as submitted: when it was marked ready. Null when not marked. */
  submittedAt: string | null;
  /** The day typed beside the mark, where it is another day than submittedAt. */
  readyTyped?: string;
  /** When the tab was last changed, as far as the source says (a file's saved time). */
  changedAt?: string | null;
  /** Whether the source has the tab locked as approved; absent where approvals are not kept in the source. */
  approved?: boolean;
  /** The tab's own address (a Google spreadsheet's tab); absent for files. */
  link?: string;
  errors: number;
  warnings: number;
}

export interface ValidationResult {
  findings: Finding[];
  submissions: Submission[];
  observations: Observation[];
  selfAssessments: SelfAssessment[];
  activities: Activity[];
  /** Reporters (unit ids and "central") with exactly one tab read. */
  received: string[];
  /** Reporters given in more than one tab; their values are not used. */
  duplicated: string[];
  /** Rows of imported indicators found on the tabs: not read, and the reporters are told so where they work. */
  importedRows: ImportedRow[];
}

/** Where an imported indicator's row stands on a tab. */
export interface ImportedRow extends ValueKey {
  file: string;
  sheet: string;
  row: number;
}

/**
 * Where a reporter (a unit, or the central reporting) stands, decided once per run
 * (aggregate/admission.ts): nothing typed; typed but not marked ready; marked ready with errors;
 * handed in (ready, once, no errors); approved by the project leader; approved, but the file
 * changed since (the approved values still count).
 */
export const UNIT_STATES = ["inte påbörjad", "pågår", "klar med fel", "inlämnad", "godkänd", "godkänd men ändrad"] as const;
export type UnitState = (typeof UNIT_STATES)[number];

/**
 * What admits a reporter's values to the year's figures (years.yaml, `admission`): handed in
 * without errors ("submitted", the default), or only once approved ("approved").
 */
export const ADMISSION_RULES = ["submitted", "approved"] as const;
export type AdmissionRule = (typeof ADMISSION_RULES)[number];

/**
 * Why a unit's value is not in a figure. The first five are about the reporter as a whole (its
 * values are not admitted); "rejected" is a row with errors, shown only in a preview;
 * "not-reported" is a value the reporter gave as missing (..) or left out.
 */
export const MISSING_REASONS = ["not-submitted", "not-ready", "submitted-with-errors", "duplicated", "not-approved", "rejected", "not-reported"] as const;
export type MissingReason = (typeof MISSING_REASONS)[number];

/** A value of an approved unit whose file now says something else. */
export interface ApprovedChange {
  indicator: string;
  breakdown: string;
  /** Which value, as a person reads it: "Antal sjukskrivningsdagar, Kvinnor". */
  label: string;
  /** The figure as approved, and as the file has it now, as a person reads them ("12", "74,0 %", ".."). */
  approved: string;
  inFile: string;
}

export interface ReportingUnit {
  reporter: string;
  state: UnitState;
  /** Something typed on its tab. */
  started: boolean;
  /** Marked "Klar att lämna in" (in exactly one tab). */
  ready: boolean;
  /** Handed in: marked ready, given once, without errors (or approved). */
  received: boolean;
  /** Approved by the project leader. */
  approved: boolean;
  /** Its values are the year's figures (the admission rule). */
  admitted: boolean;
  /** Not admitted: why, as every table says it. */
  reason?: MissingReason;
  /** Errors on its tabs. */
  errors: number;
  /** Approved, and the file changed since: the values that differ. */
  changes?: ApprovedChange[];
  /** Submitted by the end of the deadline day. */
  onTime: boolean;
  /** When it was marked ready. */
  submittedAt: string | null;
}

/** Which units were expected, which have started, submitted, by the deadline, were approved and are admitted. */
export interface ReportingRate {
  year: number;
  deadline: string;
  /** The admission rule that applied. */
  rule: AdmissionRule;
  expected: number;
  started: number;
  received: number;
  onTime: number;
  approved: number;
  admitted: number;
  units: ReportingUnit[];
}
