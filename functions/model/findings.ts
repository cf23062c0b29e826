/**
 * Findings: what validation tells the reporter. Each has a stable code, a severity, where it
 * is (file, tab, A1 cell as the person sees it, unit, indicator), a Swedish message and a hint.
 */
import type { Severity } from "../shared/vocabulary.js";

/** Every finding code, with its severity. Codes are stable: tools and tests match on them. */
export const FINDING_CODES = {
  // The file itself
  FILE_EMPTY: "error",
  FILE_NOT_XLSX: "error",
  FILE_CORRUPT: "error",
  FILE_ENCRYPTED: "error",
  FILE_TOO_LARGE: "error",
  FILE_NOT_FOUND: "error",
  FILE_MACROS: "warning",
  TEMPLATE_FOREIGN: "error",
  TEMPLATE_WRONG_YEAR: "error",
  TEMPLATE_WRONG_PLAN: "error",
  TEMPLATE_WRONG_VERSION: "error",
  // Tabs and layout
  TAB_UNKNOWN: "warning",
  TAB_RENAMED: "warning",
  TAB_MISSING: "error",
  TAB_NO_HEADER: "error",
  COLUMN_MISSING: "error",
  MERGED_CELLS: "error",
  UNIT_MISSING: "warning",
  UNIT_DUPLICATE: "error",
  // Rows
  ROW_WITHOUT_ID: "error",
  ROW_MISSING: "error",
  ROW_DUPLICATE: "error",
  INDICATOR_UNKNOWN: "error",
  INDICATOR_RETIRED: "warning",
  INDICATOR_WRONG_TAB: "error",
  UNIT_UNKNOWN: "error",
  UNIT_WRONG_TAB: "error",
  BREAKDOWN_UNKNOWN: "error",
  // Values
  VALUE_REQUIRED: "error",
  VALUE_PART_BLANK: "warning",
  VALUE_NOT_NUMBER: "error",
  VALUE_AMBIGUOUS: "error",
  VALUE_DATE: "error",
  VALUE_FORMULA_ERROR: "error",
  VALUE_FORMULA_NO_RESULT: "error",
  VALUE_NOT_INTEGER: "error",
  VALUE_OUT_OF_RANGE: "error",
  VALUE_PERCENT_IN_COUNT: "error",
  VALUE_LOOKS_LIKE_FRACTION: "warning",
  VALUE_NOT_IN_LIST: "error",
  NUMERATOR_EXCEEDS_DENOMINATOR: "error",
  DENOMINATOR_ZERO: "warning",
  RATIO_HALF_GIVEN: "error",
  PARTS_NOT_TOTAL: "error",
  CHANGE_LARGE: "warning",
  // Local work
  SELF_ASSESSMENT_MISSING: "warning",
  SELF_ASSESSMENT_OUT_OF_RANGE: "error",
  SELF_ASSESSMENT_UNKNOWN_AREA: "error",
  ACTIVITY_NO_FOCUS_AREA: "error",
  ACTIVITY_NO_DESCRIPTION: "error",
  ACTIVITY_UNKNOWN_FOCUS_AREA: "error",
  ACTIVITY_NO_FOLLOW_UP: "warning",
  ACTIVITY_UNKNOWN_STATUS: "error",
  ACTIVITY_STATUS_NOT_UPDATED: "warning",
  CITY_ACTIVITY_NO_STATUS: "warning",
  // Ready to submit
  READY_ROW_MISSING: "warning",
  READY_UNREADABLE: "warning",
  READY_NO_NAME: "warning",
  READY_NO_DATE: "warning",
  READY_DATE_UNREADABLE: "warning",
  READY_DATE_BEFORE_SAVE: "warning",
  READY_WITH_ERRORS: "warning",
  APPROVED_CHANGED: "warning",
  // More findings on a tab than are listed: counted in this one.
  FINDINGS_CAPPED: "warning",
  // Free text
  TEXT_CONTROL_CHARACTERS: "warning",
  TEXT_TOO_LONG: "warning",
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_CODES;

export interface FindingLocation {
  file: string;
  sheet?: string | null;
  cell?: string | null;
  unit?: string | null;
  indicator?: string | null;
}

export interface Finding {
  severity: Severity;
  code: FindingCode;
  file: string;
  sheet: string | null;
  cell: string | null;
  unit: string | null;
  indicator: string | null;
  message: string;
  hint: string | null;
}

export function finding(code: FindingCode, at: FindingLocation, message: string, hint?: string): Finding {
  return {
    severity: FINDING_CODES[code],
    code,
    file: at.file,
    sheet: at.sheet ?? null,
    cell: at.cell ?? null,
    unit: at.unit ?? null,
    indicator: at.indicator ?? null,
    message,
    hint: hint ?? null,
  };
}

export const countErrors = (findings: readonly Finding[]) => findings.filter((f) => f.severity === "error").length;
export const countWarnings = (findings: readonly Finding[]) =>
  findings.filter((f) => f.severity === "warning").length;

/** Findings in reading order: by file, tab, then top to bottom and left to right. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file, "sv") ||
      (a.sheet ?? "").localeCompare(b.sheet ?? "", "sv") ||
      cellOrder(a.cell) - cellOrder(b.cell),
  );
}

/**
 * At most `cap` findings per tab, errors first; the rest are counted in one more finding, so
 * that a tab with thousands of mistakes gives a list a person can work through and a bounded
 * answer. Sorted as sortFindings sorts.
 */
export function capFindingsPerTab(findings: readonly Finding[], cap: number): Finding[] {
  const byTab = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.sheet === null) out.push(f);
    else {
      const key = `${f.file}\u0000${f.sheet}`;
      const list = byTab.get(key);
      if (list) list.push(f);
      else byTab.set(key, [f]);
    }
  }
  for (const list of byTab.values()) {
    if (list.length <= cap) {
      out.push(...list);
      continue;
    }
    const ordered = [...list.filter((f) => f.severity === "error"), ...list.filter((f) => f.severity !== "error")];
    const [shown, rest] = [ordered.slice(0, cap), ordered.slice(cap)];
    const errors = rest.filter((f) => f.severity === "error").length;
    const first = list[0]!;
    const parts = [errors > 0 ? `${errors} fel` : "", rest.length - errors > 0 ? `${rest.length - errors} ${rest.length - errors === 1 ? "varning" : "varningar"}` : ""].filter(Boolean);
    out.push(
      ...shown,
      finding(
        "FINDINGS_CAPPED",
        { file: first.file, sheet: first.sheet, unit: first.unit },
        `Fliken har ${rest.length} fynd till som inte visas (${parts.join(" och ")}); de första ${cap} visas.`,
        "Rätta de visade fynden och kontrollera igen, så visas resten.",
      ),
    );
  }
  return sortFindings(out);
}

/** Row-major order of an A1 cell; findings without a cell come first. */
function cellOrder(cell: string | null): number {
  const m = cell ? /^([A-Z]+)(\d+)/.exec(cell) : null;
  if (!m) return -1;
  const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return Number(m[2]) * 1000 + col;
}

/** A finding as written to JSON (hp validate --json, findings.json): the fields, in order. */
export function findingJson({ severity, code, file, sheet, cell, unit, indicator, message, hint }: Finding) {
  return { severity, code, file, sheet, cell, unit, indicator, message, hint };
}
