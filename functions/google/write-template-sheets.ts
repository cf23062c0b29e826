/**
 * Renders the template layout as the year's shared Google spreadsheet, for one
 * spreadsheets.create call: the same tabs, text, input cells and input rules as the .xlsx,
 * plus the status tab the write-back fills. Every tab is protected: editable by the project
 * leaders only, except its input cells, which the tab's own editors may also edit. So a
 * unit's reporters can fill their own yellow cells and nothing else, and no other unit's.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import {
  COLOURS,
  type FontRole,
  type InputRule,
  inputCells,
  type LayoutCell,
  type LayoutSheet,
  templateLayout,
  type TemplateLayoutInput,
  wholeNumberFormula,
} from "../template/template-layout.js";
import { a1 } from "../workbook/grid.js";

type Schema = sheets_v4.Schema$Spreadsheet;

export interface SheetTemplateInput extends Omit<TemplateLayoutInput, "only" | "statusTab"> {
  /** Emails allowed to edit each unit's input cells, by unit id (and "central"). */
  editors: Record<string, string[]>;
  /** The project leader(s), who may edit everything. */
  projectLeaders: string[];
  /**
   * The functions' service account, which writes the findings back into every tab: an editor
   * of every protected range, since in a shared drive no one is the owner who may edit anyway.
   */
  serviceAccount: string;
}

/** "FFF2CC" as Sheets' colour, 0–1 per channel. */
export function rgb(hex: string): sheets_v4.Schema$Color {
  const channel = (i: number) => Math.round((Number.parseInt(hex.slice(i, i + 2), 16) / 255) * 1000) / 1000;
  return { red: channel(0), green: channel(2), blue: channel(4) };
}

/**
 * An updateCells request for a block of cells from a 1-based row and column: these fields of
 * each cell are set to the given values, or cleared where a value has none.
 */
export function updateCells(
  sheetId: number,
  row: number,
  col: number,
  rows: sheets_v4.Schema$CellData[][],
  fields: string,
  width = Math.max(1, ...rows.map((r) => r.length)),
): sheets_v4.Schema$Request {
  return {
    updateCells: {
      range: { sheetId, startRowIndex: row - 1, endRowIndex: row - 1 + rows.length, startColumnIndex: col - 1, endColumnIndex: col - 1 + width },
      rows: rows.map((values) => ({ values })),
      fields,
    },
  };
}

const FONTS: Record<FontRole, sheets_v4.Schema$TextFormat> = {
  title: { bold: true, fontSize: 14 },
  heading: { bold: true, fontSize: 12 },
  bold: { bold: true },
  muted: { fontSize: 9, foregroundColorStyle: { rgbColor: rgb(COLOURS.muted) } },
};

/** Characters of width (as in Excel) to pixels, and points of height to pixels. */
const px = { width: (chars: number) => Math.round(chars * 7 + 5), height: (points: number) => Math.round((points * 4) / 3) };

export function buildSpreadsheet(input: SheetTemplateInput): Schema {
  const layout = templateLayout({ ...input, statusTab: true });
  const sheets = layout.sheets.map((sheet, i) => renderSheet(sheet, i + 1, input));
  return {
    properties: { title: layout.title, locale: "sv_SE", timeZone: "Europe/Stockholm" },
    sheets,
  };
}

function renderSheet(sheet: LayoutSheet, sheetId: number, input: SheetTemplateInput): sheets_v4.Schema$Sheet {
  const rowData = sheet.rows.map((row, r) => ({
    values: row.cells.map((cell, c) => renderCell(cell, a1(r + 1, c + 1))),
  }));
  const rowMetadata = sheet.rows.map((row) => (row.height ? { pixelSize: px.height(row.height) } : {}));
  const columnMetadata = sheet.widths.map((w) => ({ pixelSize: px.width(w) }));
  const inputs = inputRanges(sheet, sheetId);
  const leaders = [...new Set([...input.projectLeaders, input.serviceAccount])];
  return {
    properties: {
      sheetId,
      title: sheet.title,
      ...(sheet.visibility === "visible" ? {} : { hidden: true }),
      ...(sheet.tabColour ? { tabColorStyle: { rgbColor: rgb(sheet.tabColour) } } : {}),
      ...(sheet.frozenRows > 0 ? { gridProperties: { frozenRowCount: sheet.frozenRows } } : {}),
    },
    data: [{ startRow: 0, startColumn: 0, rowData, rowMetadata, columnMetadata }],
    protectedRanges: [
      {
        range: { sheetId },
        description: `${sheet.title}: låst utom de gula cellerna`,
        editors: { users: leaders },
        unprotectedRanges: inputs,
      },
      ...inputs.map((range) => ({
        range,
        description: `${sheet.title}: inmatning`,
        editors: { users: [...(input.editors[sheet.reporter ?? ""] ?? []), ...leaders] },
      })),
    ],
  };
}

function renderCell(cell: LayoutCell, address: string): sheets_v4.Schema$CellData {
  const format: sheets_v4.Schema$CellFormat = {};
  if (cell.font) format.textFormat = { ...FONTS[cell.font] };
  if (cell.wrap) Object.assign(format, { wrapStrategy: "WRAP", verticalAlignment: "TOP" });
  if (cell.numFmt) format.numberFormat = numberFormat(cell.numFmt);
  if (cell.header) {
    Object.assign(format, { wrapStrategy: "WRAP", verticalAlignment: "MIDDLE" });
    format.textFormat = { bold: true };
    format.backgroundColorStyle = { rgbColor: rgb(COLOURS.header) };
    format.borders = { bottom: { style: "SOLID" } };
  }
  if (cell.input) format.backgroundColorStyle = { rgbColor: rgb(COLOURS.input) };
  const validation = cell.input ? dataValidation(cell.input, address) : undefined;
  return {
    ...(cell.formula !== undefined ? { userEnteredValue: { formulaValue: `=${sheetsFormula(cell.formula)}` } } : {}),
    ...(cell.value === undefined
      ? {}
      : { userEnteredValue: typeof cell.value === "number" ? { numberValue: cell.value } : { stringValue: cell.value } }),
    ...(Object.keys(format).length > 0 ? { userEnteredFormat: format } : {}),
    ...(cell.note ? { note: cell.note } : {}),
    ...(validation ? { dataValidation: validation } : {}),
  };
}

/**
 * A formula as a Swedish spreadsheet reads it. Google Sheets parses a formula in the
 * spreadsheet's locale, and in sv_SE the comma is the decimal sign, so "AND(A1,B1)" is an error
 * there; the semicolon separates arguments in every locale. Commas inside "text" are kept.
 */
export function sheetsFormula(formula: string): string {
  return formula.replace(/("(?:[^"]|"")*")|,/g, (_match, text: string | undefined) => text ?? ";");
}

function numberFormat(pattern: string): sheets_v4.Schema$NumberFormat {
  if (pattern === "@") return { type: "TEXT", pattern };
  return { type: /^[ymd-]+$/.test(pattern) ? "DATE" : "NUMBER", pattern };
}

/** The layout's rule as Sheets data validation; Sheets has no whole-number rule, so a formula. */
function dataValidation(rule: InputRule, address: string): sheets_v4.Schema$DataValidationRule | undefined {
  const formula = (f: string, message: string) => ({
    condition: { type: "CUSTOM_FORMULA", values: [{ userEnteredValue: `=${sheetsFormula(f)}` }] },
    strict: true,
    inputMessage: message,
  });
  switch (rule.kind) {
    case "text":
      return undefined;
    case "ready":
      return { condition: { type: "BOOLEAN" }, strict: true };
    case "date":
      return { condition: { type: "DATE_IS_VALID" }, strict: true, inputMessage: rule.error };
    case "list":
      return { condition: { type: "ONE_OF_RANGE", values: [{ userEnteredValue: `=${rule.range}` }] }, strict: true, showCustomUi: true };
    case "whole":
      return formula(wholeNumberFormula(address, rule.min, rule.max), rule.error);
    case "formula":
      return formula(rule.formula, rule.error);
  }
}

/** The input cells of a tab, merged into as few rectangles as possible. */
function inputRanges(sheet: LayoutSheet, sheetId: number): sheets_v4.Schema$GridRange[] {
  // Runs of input cells in each row …
  const runs: { row: number; start: number; end: number }[] = [];
  for (const { row, col } of inputCells(sheet)) {
    const last = runs.at(-1);
    if (last && last.row === row && last.end === col) last.end = col + 1;
    else runs.push({ row, start: col, end: col + 1 });
  }
  // … joined with the same run in the rows below.
  const ranges: sheets_v4.Schema$GridRange[] = [];
  const open = new Map<string, sheets_v4.Schema$GridRange>();
  for (const run of runs) {
    const key = `${run.start}-${run.end}`;
    const previous = open.get(key);
    if (previous && previous.endRowIndex === run.row) {
      previous.endRowIndex = run.row + 1;
    } else {
      const range = { sheetId, startRowIndex: run.row, endRowIndex: run.row + 1, startColumnIndex: run.start, endColumnIndex: run.end };
      ranges.push(range);
      open.set(key, range);
    }
  }
  return ranges;
}
