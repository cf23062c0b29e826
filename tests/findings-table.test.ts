/**
 * Every finding code, one row each: a clean, fully filled template in memory gets one change a
 * reporter (or a mail program) could make, and validation must answer with that code – at the
 * changed cell where there is one – while the clean workbook has no such finding.
 */
import { describe, expect, it } from "vitest";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { INDICATOR_COLUMN_KEYS } from "../functions/template/definition.js";
import { History } from "../functions/history/history.js";
import { FINDING_CODES, type Finding, type FindingCode } from "../functions/model/findings.js";
import { MemorySource, XlsxFileSource } from "../functions/submission/source.js";
import { DEFAULT_LIMITS } from "../functions/workbook/inspect-file.js";
import { readSubmission } from "../functions/submission/read-submission.js";
import { writeTemplateXlsx } from "../functions/template/write-template-xlsx.js";
import { validateSource } from "../functions/validate/validate-source.js";
import { validateSubmissions } from "../functions/validate/validate-submissions.js";
import { MapSheetGrid } from "../functions/workbook/grid.js";
import { context } from "./helpers.js";
import { MemoryHistoryStore } from "../functions/history/store.js";
import { aggregateYear } from "../functions/pipeline/aggregate-year.js";
import { approveUnit } from "../functions/pipeline/approve-unit.js";
import { gridSource, TemplateGrid } from "./support/template-grid.js";

const { catalogue, definition } = await context();
const yc = catalogueForYear(catalogue, 2025);
const B = "Bromma";
const C = definition.sheets.central;
const col = TemplateGrid.column;
const sa = TemplateGrid.selfAssessmentColumn;
const ac = TemplateGrid.activityColumn;
const INDICATOR_COLUMNS = INDICATOR_COLUMN_KEYS.length;
const NOW = new Date("2026-02-01T10:00:00Z");

/** Last year's values, for the one rule that compares with them. */
const lastYear = new History([
  { year: 2024, unit: "bromma", indicator: "tp-vfu-platser", breakdown: "T", value: 9, status: "ok" } as never,
]);

interface GridCase {
  code: FindingCode;
  /** Changes the clean workbook; returns the A1 cell the finding must point at, if any. */
  change: (t: TemplateGrid) => unknown;
  history?: History;
  /** Extra workbooks validated with it. */
  also?: (t: TemplateGrid) => TemplateGrid[];
}

const meta = (t: TemplateGrid, label: string, value: string | number) => {
  const sheet = t.sheet(definition.sheets.meta);
  for (let r = 1; r <= sheet.rowCount; r++) if (sheet.cell(r, 1)?.value === label) sheet.set(r, 2, { value });
};
const value = (t: TemplateGrid, id: string, breakdown: string, v: unknown, field: Parameters<typeof col>[0] = "value", tab = B, unit?: string) =>
  t.set(tab, t.row(tab, id, breakdown, unit), col(field), v as never);

const GRID_CASES: GridCase[] = [
  { code: "TEMPLATE_FOREIGN", change: (t) => void t.grid.sheets.splice(t.grid.sheets.findIndex((s) => s.name === definition.sheets.meta), 1) },
  { code: "TEMPLATE_WRONG_YEAR", change: (t) => meta(t, "år", 2024) },
  { code: "TEMPLATE_WRONG_PLAN", change: (t) => meta(t, "plan", "en-annan-plan") },
  { code: "TEMPLATE_WRONG_VERSION", change: (t) => meta(t, "mallversion", 99) },
  {
    code: "TAB_UNKNOWN",
    change: (t) => {
      const notes = new MapSheetGrid("Anteckningar");
      notes.set(1, 1, { value: "Att göra: fråga HR om siffrorna" });
      t.grid.sheets.push(notes);
    },
  },
  { code: "TAB_RENAMED", change: (t) => void Object.assign(t.sheet(B), { name: "Bromma stadsdel" }) },
  { code: "TAB_MISSING", change: (t) => void t.grid.sheets.splice(t.grid.sheets.findIndex((s) => s.name === B), 1), also: () => [] },
  { code: "TAB_NO_HEADER", change: (t) => void t.set(B, t.rowStarting(B, "Id"), 1, null) },
  { code: "COLUMN_MISSING", change: (t) => void t.set(B, t.rowStarting(B, "Id"), col("unit"), "Enhetens namn") },
  { code: "MERGED_CELLS", change: (t) => void t.sheet(B).merges.push(`H${t.row(B, "tp-vfu-platser")}:I${t.row(B, "tp-vfu-platser")}`) },
  {
    code: "UNIT_MISSING",
    change: (t) => {
      // Nothing typed on Bromma's tab: every input emptied.
      const sheet = t.sheet(B);
      const typed = (["value", "numerator", "denominator", "respondents", "comment"] as const).map(col);
      for (let r = t.rowStarting(B, "Id") + 1; r <= sheet.rowCount; r++) for (const c of typed) sheet.set(r, c, { value: null });
      for (let r = t.rowStarting(B, definition.labels.selfAssessmentSection); r <= sheet.rowCount; r++) for (const c of [sa("score"), sa("comment")]) sheet.set(r, c, { value: null });
      const a = t.activityRow(B);
      for (const c of (["focusArea", "activity", "followUp", "status"] as const).map(ac)) sheet.set(a, c, { value: null });
    },
  },
  { code: "UNIT_DUPLICATE", change: () => undefined, also: () => [new TemplateGrid(yc, definition, History.empty(), "bromma", "bromma-igen.xlsx")] },
  { code: "ROW_WITHOUT_ID", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("id"), null) },
  {
    code: "ROW_MISSING",
    change: (t) => {
      const r = t.row(B, "tp-vfu-platser");
      for (let c = 1; c <= INDICATOR_COLUMNS; c++) t.set(B, r, c, null);
    },
  },
  {
    code: "ROW_DUPLICATE",
    change: (t) => {
      const from = t.row(B, "tp-vfu-platser");
      const r = t.rowStarting(B, definition.labels.selfAssessmentSection) - 1;
      for (let c = 1; c <= INDICATOR_COLUMNS; c++) t.set(B, r, c, t.sheet(B).cell(from, c)?.value ?? null);
      return `A${r}`;
    },
  },
  { code: "INDICATOR_UNKNOWN", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("id"), "tp-okand-indikator") },
  { code: "INDICATOR_RETIRED", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("id"), "tp-chefsprogram") },
  { code: "INDICATOR_WRONG_TAB", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("id"), "fa1-paverka-arbetet") },
  { code: "UNIT_UNKNOWN", change: (t) => t.set(C, t.row(C, "fa1-paverka-arbetet", "Totalt", "Bromma"), col("unit"), "Gotham") },
  { code: "UNIT_WRONG_TAB", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("unit"), "Skarpnäck") },
  { code: "BREAKDOWN_UNKNOWN", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("breakdown"), "Övriga") },
  { code: "VALUE_REQUIRED", change: (t) => value(t, "tp-vfu-platser", "Totalt", null) },
  { code: "VALUE_PART_BLANK", change: (t) => value(t, "fa1-hot-vald-incidenter", "Missbruk", null) },
  { code: "VALUE_NOT_NUMBER", change: (t) => value(t, "tp-vfu-platser", "Totalt", "tolv") },
  { code: "VALUE_AMBIGUOUS", change: (t) => value(t, "tp-vfu-platser", "Totalt", "1.234") },
  { code: "VALUE_DATE", change: (t) => value(t, "tp-vfu-platser", "Totalt", new Date("2025-12-01")) },
  { code: "VALUE_FORMULA_ERROR", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("value"), { error: "#REF!" }, { formula: true }) },
  { code: "VALUE_FORMULA_NO_RESULT", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("value"), { noResult: true }, { formula: true }) },
  { code: "VALUE_NOT_INTEGER", change: (t) => value(t, "tp-vfu-platser", "Totalt", 12.5) },
  { code: "VALUE_OUT_OF_RANGE", change: (t) => value(t, "tp-vfu-platser", "Totalt", -3) },
  { code: "VALUE_PERCENT_IN_COUNT", change: (t) => value(t, "tp-vfu-platser", "Totalt", "12 %") },
  { code: "VALUE_LOOKS_LIKE_FRACTION", change: (t) => value(t, "fa1-paverka-arbetet", "Totalt", 0.74, "value", C, "Bromma") },
  { code: "VALUE_NOT_IN_LIST", change: (t) => value(t, "fa4-digitaliseringsplan", "Pilot med AI-stöd i dokumentationen", "Kanske", "value", C) },
  { code: "NUMERATOR_EXCEEDS_DENOMINATOR", change: (t) => value(t, "tp-personalrorlighet", "Totalt", 99, "numerator") },
  {
    code: "DENOMINATOR_ZERO",
    change: (t) => {
      value(t, "tp-personalrorlighet", "Totalt", 0, "numerator");
      return value(t, "tp-personalrorlighet", "Totalt", 0, "denominator");
    },
  },
  {
    code: "RATIO_HALF_GIVEN",
    change: (t) => {
      value(t, "tp-personalrorlighet", "Totalt", "..", "numerator");
      return t.set(B, t.row(B, "tp-personalrorlighet"), col("numerator"), "..");
    },
  },
  { code: "PARTS_NOT_TOTAL", change: (t) => value(t, "fa1-hot-vald-incidenter", "Totalt", 21) },
  { code: "CHANGE_LARGE", change: (t) => value(t, "tp-vfu-platser", "Totalt", 20), history: lastYear },
  { code: "SELF_ASSESSMENT_MISSING", change: (t) => selfAssessment(t, null) },
  { code: "SELF_ASSESSMENT_OUT_OF_RANGE", change: (t) => selfAssessment(t, 7) },
  { code: "SELF_ASSESSMENT_UNKNOWN_AREA", change: (t) => void t.set(B, selfAssessmentRow(t), 1, "9. Ett påhittat fokusområde") },
  { code: "ACTIVITY_NO_FOCUS_AREA", change: (t) => t.set(B, t.activityRow(B), ac("focusArea"), null) },
  { code: "ACTIVITY_NO_DESCRIPTION", change: (t) => void t.set(B, t.activityRow(B), ac("activity"), null) },
  { code: "ACTIVITY_UNKNOWN_FOCUS_AREA", change: (t) => t.set(B, t.activityRow(B), ac("focusArea"), "Ett påhittat fokusområde") },
  { code: "ACTIVITY_NO_FOLLOW_UP", change: (t) => void t.set(B, t.activityRow(B), ac("followUp"), null) },
  { code: "ACTIVITY_UNKNOWN_STATUS", change: (t) => t.set(B, t.activityRow(B), ac("status"), "Kanske") },
  // A city-wide activity on the central tab left without a status: one warning, at its status.
  { code: "CITY_ACTIVITY_NO_STATUS", change: (t) => t.set(C, t.activityRow(C), ac("status"), null) },
  {
    code: "ACTIVITY_STATUS_NOT_UPDATED",
    change: (t) => {
      // An activity the template carried over from last year, its status not chosen for this year.
      t.set(B, t.activityRow(B), ac("previousStatus"), "Pågår");
      return t.set(B, t.activityRow(B), ac("status"), null);
    },
  },
  { code: "TEXT_CONTROL_CHARACTERS", change: (t) => t.set(B, t.row(B, "tp-vfu-platser"), col("comment"), "Fler platser \u202Eän planerat\u202C") },
  { code: "TEXT_TOO_LONG", change: (t) => t.set(B, t.activityRow(B), ac("activity"), "Handledning i grupp varannan vecka. ".repeat(100)) },
  { code: "READY_ROW_MISSING", change: (t) => void t.set(B, t.rowStarting(B, definition.labels.ready), 1, null) },
  { code: "READY_UNREADABLE", change: (t) => ready(t, "Kanske", "Lena Öberg", DAY).mark },
  { code: "READY_NO_NAME", change: (t) => ready(t, "Ja", null, DAY).by },
  { code: "READY_NO_DATE", change: (t) => ready(t, "Ja", "Lena Öberg", null).date },
  { code: "READY_DATE_UNREADABLE", change: (t) => ready(t, "Ja", "Lena Öberg", "10/2").date },
  {
    code: "READY_DATE_BEFORE_SAVE",
    change: (t) => {
      // Typed 2026-02-10, saved in December: the file was not handed in when the day says.
      t.grid.modified = new Date("2026-12-03T10:00:00Z");
      return ready(t, "Ja", "Lena Öberg", DAY).date;
    },
  },
  {
    code: "READY_WITH_ERRORS",
    change: (t) => {
      value(t, "tp-vfu-platser", "Totalt", "två");
      return ready(t, "Ja", "Lena Öberg", DAY).mark;
    },
  },
];

const DAY = new Date("2026-02-10T00:00:00Z");
/** Bromma's "Klar att lämna in" row as a reporter fills it; returns its cells. */
function ready(t: TemplateGrid, mark: unknown, by: string | null, date: unknown): { mark: string; by: string; date: string } {
  const r = t.rowStarting(B, definition.labels.ready);
  return { by: t.set(B, r, 4, by), date: t.set(B, r, 6, date as never), mark: t.set(B, r, 2, mark as never) };
}

/** The self-assessment row of the first focus area (below the section title, not the instructions). */
function selfAssessmentRow(t: TemplateGrid): number {
  const sheet = t.sheet(B);
  for (let r = t.rowStarting(B, definition.labels.selfAssessmentSection); r <= sheet.rowCount; r++) {
    if (String(sheet.cell(r, 1)?.value ?? "").startsWith(`${yc.plan.focusAreas[0]!.number}. `)) return r;
  }
  throw new Error("no self-assessment row");
}
function selfAssessment(t: TemplateGrid, score: unknown): string {
  return t.set(B, selfAssessmentRow(t), sa("score"), score as never);
}

function check(grids: TemplateGrid[], history: History): Finding[] {
  const readings = grids.map((g) => readSubmission(g.grid, yc, definition));
  return validateSubmissions(readings, { yc, definition, history, maxChange: catalogue.yearOverYearWarningShare }).findings;
}

/** A clean template for every unit and the central tab, or for Bromma alone. */
const clean = (scope?: string) => new TemplateGrid(yc, definition, History.empty(), scope);

describe("validation, one row per finding code", () => {
  it("finds nothing wrong with a clean, fully filled template", () => {
    expect(check([clean()], lastYear)).toEqual([]);
  });

  it.each(GRID_CASES)("$code", ({ code, change, history = History.empty(), also }) => {
    const scope = code === "TAB_MISSING" ? "bromma" : undefined;
    const before = check([clean(scope)], history);
    expect(before.map((f) => f.code)).not.toContain(code);

    const t = clean(scope);
    const cell = change(t);
    const after = check([t, ...(also?.(t) ?? [])], history);
    const found = after.filter((f) => f.code === code);
    expect(found.length, `${code} in ${JSON.stringify(after.map((f) => f.code))}`).toBeGreaterThan(0);
    expect(found[0]!.severity).toBe(FINDING_CODES[code]);
    expect(found[0]!.message.length).toBeGreaterThan(10);
    // At the changed cell, or for a row that cannot be placed, at the start of its row.
    const row = (a1: string | null) => a1?.replace(/^[A-Z]+/, "");
    if (typeof cell === "string") expect(found.map((f) => (f.cell === cell ? cell : row(f.cell) === row(cell) ? cell : f.cell))).toContain(cell);
  });
});

describe("files that are not a workbook to read", () => {
  const FILE_CASES: { code: FindingCode; bytes: () => Promise<Uint8Array> | Uint8Array; limit?: number }[] = [
    { code: "FILE_EMPTY", bytes: () => new Uint8Array() },
    { code: "FILE_NOT_XLSX", bytes: () => new TextEncoder().encode("year,unit,value\n2025,bromma,3\n") },
    { code: "FILE_CORRUPT", bytes: () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]) },
    {
      code: "FILE_ENCRYPTED",
      bytes: () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(64), Buffer.from("EncryptionInfo", "utf16le")]),
    },
    { code: "FILE_TOO_LARGE", bytes: () => writeTemplateXlsx({ yc, definition, history: History.empty(), only: "bromma", now: NOW }), limit: 1024 },
  ];
  const options = { yc, definition, history: History.empty(), maxChange: 0.5 };

  it("reads a template's own bytes without a file finding", async () => {
    const bytes = await writeTemplateXlsx({ yc, definition, history: History.empty(), only: "bromma", now: NOW });
    const result = await validateSource(new MemorySource([{ file: "mall.xlsx", bytes }]), options);
    expect(result.findings.filter((f) => f.code.startsWith("FILE_"))).toEqual([]);
  });

  it.each(FILE_CASES)("$code", async ({ code, bytes, limit }) => {
    const limits = limit ? { ...DEFAULT_LIMITS, maxFileBytes: limit } : undefined;
    const result = await validateSource(new MemorySource([{ file: "inlamning.xlsx", bytes: await bytes() }], limits), options);
    expect(result.findings.map((f) => f.code)).toContain(code);
    expect(result.findings.find((f) => f.code === code)).toMatchObject({ file: "inlamning.xlsx", severity: FINDING_CODES[code] });
  });

  it("FILE_NOT_FOUND", async () => {
    const result = await validateSource(new XlsxFileSource(["/finns/inte/inlamning.xlsx"]), options);
    expect(result.findings.map((f) => f.code)).toEqual(["FILE_NOT_FOUND", ...result.findings.slice(1).map((f) => f.code)]);
  });

  it("APPROVED_CHANGED", async () => {
    const store = new MemoryHistoryStore();
    const t = clean("bromma");
    ready(t, "Ja", "Lena Öberg", DAY);
    const input = (grid: TemplateGrid) => ({ ...options, now: NOW, store, source: gridSource(grid) });
    await approveUnit(input(t), "bromma", "Eva Projektledare");
    value(t, "tp-vfu-platser", "Totalt", 99);
    const { validation } = await aggregateYear(input(t));
    expect(validation.findings.find((f) => f.code === "APPROVED_CHANGED")).toMatchObject({ severity: "warning", unit: "bromma", sheet: B });
  });

  it("FINDINGS_CAPPED", () => {
    // A catalogue that lists at most 10 findings per tab, and a tab with 12 values that are not numbers.
    const capped = { ...yc, catalogue: { ...yc.catalogue, workbookLimits: { ...yc.catalogue.workbookLimits, findingsPerTab: 10 } } };
    const t = clean("bromma");
    for (const id of ["fa1-hot-vald-incidenter", "tp-socionomkonsulter"]) {
      for (const part of ["Ekonomiskt bistånd", "Socialpsykiatri", "Missbruk", "Stöd till funktionsnedsatta", "Äldre", "Barn och unga"]) value(t, id, part, "x");
    }
    const readings = [readSubmission(t.grid, capped, definition)];
    const found = validateSubmissions(readings, { yc: capped, definition, history: History.empty(), maxChange: 0.5 }).findings.filter((f) => f.sheet === B);
    const cap = found.find((f) => f.code === "FINDINGS_CAPPED")!;
    expect(cap).toMatchObject({ severity: "warning", sheet: B, unit: "bromma" });
    expect(found).toHaveLength(11);
    expect(found.filter((f) => f.severity === "error")).toHaveLength(10);
    expect(cap.message).toMatch(/^Fliken har \d+ fynd till som inte visas \(\d+ fel( och \d+ varning(ar)?)?\); de första 10 visas\.$/);
  });

  it("FILE_MACROS", async () => {
    // A template with a VBA project, as Excel saves an .xlsm: read for its values, said plainly.
    const { unzipSync, zipSync, strFromU8, strToU8 } = await import("fflate");
    const files = unzipSync(await writeTemplateXlsx({ yc, definition, history: History.empty(), only: "bromma", now: NOW }));
    files["xl/vbaProject.bin"] = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]);
    files["[Content_Types].xml"] = strToU8(strFromU8(files["[Content_Types].xml"]!).replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'));
    const result = await validateSource(new MemorySource([{ file: "bromma.xlsm", bytes: zipSync(files) }]), { yc, definition, history: History.empty(), maxChange: 0.5 });
    const macros = result.findings.filter((f) => f.code === "FILE_MACROS");
    expect(macros).toEqual([expect.objectContaining({ severity: "warning", file: "bromma.xlsm" })]);
    expect(macros[0]!.message).toContain("Den kontrollerade kopian är en vanlig .xlsx-fil, utan makrona.");
    expect(result.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("has a row for every finding code there is", () => {
    const tested = new Set([...GRID_CASES.map((c) => c.code), ...FILE_CASES.map((c) => c.code), "FILE_NOT_FOUND", "APPROVED_CHANGED", "FINDINGS_CAPPED", "FILE_MACROS"]);
    expect([...tested].sort()).toEqual(Object.keys(FINDING_CODES).sort());
  });
});

describe("findings point at the cell to fix, and say a thing once", () => {
  const codesAt = (findings: Finding[], cell: string) => findings.filter((f) => f.cell === cell).map((f) => f.code);

  it("tells a count typed as 0,12 in the numerator as that, not as a ratio given by half", () => {
    const t = clean();
    const numerator = value(t, "tp-personalrorlighet", "Totalt", "0,12", "numerator");
    const found = check([t], lastYear);
    expect(codesAt(found, numerator)).toEqual(["VALUE_NOT_INTEGER"]);
    expect(found.map((f) => f.code)).not.toContain("RATIO_HALF_GIVEN");
  });

  it("tells a ratio given by half at the side marked missing", () => {
    const t = clean();
    const denominator = value(t, "tp-personalrorlighet", "Totalt", "..", "denominator");
    expect(codesAt(check([t], lastYear), denominator)).toEqual(["RATIO_HALF_GIVEN"]);
  });

  it("tells an activity without follow-up at the empty follow-up cell", () => {
    const t = clean();
    const followUp = t.set(B, t.activityRow(B), ac("followUp"), null);
    expect(codesAt(check([t], lastYear), followUp)).toEqual(["ACTIVITY_NO_FOLLOW_UP"]);
  });

  it("tells an unknown or wrong unit at the unit cell, and an unknown breakdown at the breakdown cell", () => {
    const t = clean();
    const unknown = t.set(B, t.row(B, "tp-vfu-platser"), col("unit"), "Atlantis");
    const wrong = t.set(B, t.row(B, "tp-personalrorlighet"), col("unit"), "Skarpnäck");
    const breakdown = t.set(B, t.row(B, "tp-socionomkonsulter"), col("breakdown"), "Övriga");
    const found = check([t], lastYear);
    expect(codesAt(found, unknown)).toEqual(["UNIT_UNKNOWN"]);
    expect(codesAt(found, wrong)).toEqual(["UNIT_WRONG_TAB"]);
    expect(codesAt(found, breakdown)).toEqual(["BREAKDOWN_UNKNOWN"]);
  });

  it("tells a retired indicator once per tab, without asking for rows to be deleted", () => {
    const t = clean();
    const rows = ["tp-vfu-platser", "tp-personalrorlighet"].map((id) => t.row(B, id));
    for (const r of rows) t.set(B, r, col("id"), "tp-chefsprogram");
    const retired = check([t], lastYear).filter((f) => f.code === "INDICATOR_RETIRED");
    expect(retired).toHaveLength(1);
    expect(retired[0]!.message).toMatch(/De 2 raderna räknas inte\.$/);
    expect(retired[0]!.hint).not.toMatch(/Ta bort/);
  });
});
