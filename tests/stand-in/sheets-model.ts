/**
 * Spreadsheets as the stand-in models them: what spreadsheets.get answers and what each
 * batchUpdate request does, all or nothing, with protected ranges enforced per caller: a cell
 * in a protected range can be changed only by the range's editors (and, in a My Drive, the
 * owner), as Sheets does; otherwise the whole batch is refused.
 */
import type { sheets_v4 } from "@googleapis/sheets";

type Spreadsheet = sheets_v4.Schema$Spreadsheet;
type Sheet = sheets_v4.Schema$Sheet;
type GridRange = sheets_v4.Schema$GridRange;

/** A refusal as Sheets gives it. */
export class SheetsRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const PROTECTED =
  "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.";

/** A new sheet's grid, as Sheets makes it: 1000 rows and 26 columns unless the data needs more. */
export function withGrid(sheet: Sheet, ids: () => number): Sheet {
  const rows = Math.max(1000, ...(sheet.data ?? []).map((d) => (d.startRow ?? 0) + (d.rowData?.length ?? 0)));
  const columns = Math.max(26, ...(sheet.data ?? []).flatMap((d) => (d.rowData ?? []).map((r) => (d.startColumn ?? 0) + (r.values?.length ?? 0))));
  sheet.properties!.gridProperties = { rowCount: rows, columnCount: columns, ...sheet.properties!.gridProperties };
  for (const p of sheet.protectedRanges ?? []) p.protectedRangeId = ids();
  return sheet;
}

/** Whether a range (a missing bound is open) holds a cell. */
function holds(range: GridRange | undefined, row: number, col: number): boolean {
  return (
    !!range &&
    row >= (range.startRowIndex ?? 0) &&
    row < (range.endRowIndex ?? Number.POSITIVE_INFINITY) &&
    col >= (range.startColumnIndex ?? 0) &&
    col < (range.endColumnIndex ?? Number.POSITIVE_INFINITY)
  );
}

/** Whether the caller may change this cell of the sheet. */
export function mayEdit(sheet: Sheet, row: number, col: number, caller: string, owner: string | undefined): boolean {
  if (caller === owner) return true;
  return (sheet.protectedRanges ?? []).every(
    (p) =>
      p.warningOnly ||
      !holds(p.range ?? undefined, row, col) ||
      (p.unprotectedRanges ?? []).some((u) => holds(u, row, col)) ||
      (p.editors?.users ?? []).includes(caller),
  );
}

/** Applies a batch to a copy of the spreadsheet; returns the copy and the replies, or throws a refusal. */
export function applyBatch(
  spreadsheet: Spreadsheet,
  requests: sheets_v4.Schema$Request[],
  caller: string,
  owner: string | undefined,
  ids: () => number,
): { next: Spreadsheet; replies: sheets_v4.Schema$Response[] } {
  const next = structuredClone(spreadsheet);
  const replies: sheets_v4.Schema$Response[] = [];
  const refuse = (i: number, kind: string, message: string) => new SheetsRefusal(400, `Invalid requests[${i}].${kind}: ${message}`);
  const sheetOf = (sheetId: number | null | undefined) => next.sheets?.find((s) => (s.properties?.sheetId ?? 0) === (sheetId ?? 0));
  for (const [i, request] of requests.entries()) {
    const kinds = Object.keys(request);
    if (kinds.length !== 1) throw new SheetsRefusal(400, `Invalid requests[${i}]: exactly one kind of request is allowed, not ${kinds.join(",")}`);
    const kind = kinds[0]!;
    if (request.updateCells) {
      const update = request.updateCells;
      const comma = commaFormula(update.rows ?? [], next.properties?.locale);
      if (comma) throw refuse(i, kind, `Formula parse error in ${comma}: the spreadsheet's locale (${next.properties?.locale}) separates arguments with ";", its decimal sign is ",".`);
      const at = update.range ?? { sheetId: update.start?.sheetId, startRowIndex: update.start?.rowIndex, startColumnIndex: update.start?.columnIndex };
      const sheet = sheetOf(at.sheetId);
      if (!sheet) throw refuse(i, kind, `No grid with id: ${at.sheetId}`);
      const rows = update.rows ?? [];
      const top = at.startRowIndex ?? 0;
      const left = at.startColumnIndex ?? 0;
      const bottom = update.range ? (at.endRowIndex ?? top + rows.length) : top + rows.length;
      const right = update.range ? (at.endColumnIndex ?? left + 1) : left + Math.max(1, ...rows.map((r) => r.values?.length ?? 0));
      const grid = sheet.properties?.gridProperties;
      if (grid?.rowCount != null && bottom > grid.rowCount) {
        throw refuse(i, kind, `Range (${sheet.properties?.title}!${bottom}) exceeds grid limits. Max rows: ${grid.rowCount}`);
      }
      if (grid?.columnCount != null && right > grid.columnCount) {
        throw refuse(i, kind, `Range (${sheet.properties?.title}) exceeds grid limits. Max columns: ${grid.columnCount}`);
      }
      if (!update.fields) throw refuse(i, kind, "At least one field must be updated, but none were specified.");
      for (let r = top; r < bottom; r++) {
        for (let c = left; c < right; c++) if (!mayEdit(sheet, r, c, caller, owner)) throw new SheetsRefusal(400, PROTECTED);
      }
      const fields = update.fields.split(",");
      for (let r = top; r < bottom; r++) {
        for (let c = left; c < right; c++) {
          const value = rows[r - top]?.values?.[c - left];
          const cell = cellAt(sheet, r, c);
          for (const field of fields) setPath(cell as Record<string, unknown>, field.trim().split("."), value as Record<string, unknown> | undefined);
        }
      }
      replies.push({});
    } else if (request.addProtectedRange) {
      const range = request.addProtectedRange.protectedRange;
      const sheet = sheetOf(range?.range?.sheetId);
      if (!sheet || !range) throw refuse(i, kind, `No grid with id: ${range?.range?.sheetId}`);
      const r = range.range ?? {};
      const whole = r.startRowIndex == null && r.endRowIndex == null && r.startColumnIndex == null && r.endColumnIndex == null;
      if ((range.unprotectedRanges?.length ?? 0) > 0 && !whole) throw refuse(i, kind, "Unprotected ranges can only be set on a protected sheet, not on a protected range.");
      const added = { ...structuredClone(range), protectedRangeId: ids() };
      sheet.protectedRanges = [...(sheet.protectedRanges ?? []), added];
      replies.push({ addProtectedRange: { protectedRange: added } });
    } else if (request.deleteProtectedRange) {
      const id = request.deleteProtectedRange.protectedRangeId;
      const sheet = next.sheets?.find((s) => s.protectedRanges?.some((p) => p.protectedRangeId === id));
      if (!sheet) throw refuse(i, kind, `No protected range with id: ${id}`);
      const range = sheet.protectedRanges!.find((p) => p.protectedRangeId === id)!;
      if (caller !== owner && !(range.editors?.users ?? []).includes(caller)) throw new SheetsRefusal(400, PROTECTED);
      sheet.protectedRanges = sheet.protectedRanges!.filter((p) => p.protectedRangeId !== id);
      replies.push({});
    } else if (request.appendDimension) {
      const append = request.appendDimension;
      const sheet = sheetOf(append.sheetId);
      if (!sheet || !append.length || append.length < 1) throw refuse(i, kind, "length must be positive");
      sheet.properties!.gridProperties ??= { rowCount: 1000, columnCount: 26 };
      const grid = sheet.properties!.gridProperties;
      if (append.dimension === "ROWS") grid.rowCount = (grid.rowCount ?? 1000) + append.length;
      else grid.columnCount = (grid.columnCount ?? 26) + append.length;
      replies.push({});
    } else if (request.updateSpreadsheetProperties) {
      const { properties, fields } = request.updateSpreadsheetProperties;
      if (!fields) throw refuse(i, kind, "At least one field must be updated, but none were specified.");
      next.properties ??= {};
      for (const field of fields.split(",")) setPath(next.properties as Record<string, unknown>, field.trim().split("."), properties as Record<string, unknown>);
      replies.push({});
    } else if (request.addSheet) {
      const properties = structuredClone(request.addSheet.properties ?? {});
      properties.sheetId ??= ids();
      if (sheetOf(properties.sheetId)) throw refuse(i, kind, `A sheet with the id ${properties.sheetId} already exists.`);
      if (next.sheets?.some((s) => s.properties?.title === properties.title)) {
        throw refuse(i, kind, `A sheet with the name "${properties.title}" already exists. Please enter another name.`);
      }
      const added = withGrid({ properties }, ids);
      next.sheets = [...(next.sheets ?? []), added];
      replies.push({ addSheet: { properties: added.properties } });
    } else if (request.deleteSheet) {
      const sheet = sheetOf(request.deleteSheet.sheetId);
      if (!sheet) throw refuse(i, kind, `No grid with id: ${request.deleteSheet.sheetId}`);
      if (!mayEdit(sheet, 0, 0, caller, owner)) throw new SheetsRefusal(400, PROTECTED);
      next.sheets = next.sheets!.filter((s) => s !== sheet);
      if (next.sheets.length === 0) throw refuse(i, kind, "You can't remove all the sheets in a document.");
      replies.push({});
    } else if (request.updateDimensionProperties) {
      const { range, properties, fields } = request.updateDimensionProperties;
      const sheet = sheetOf(range?.sheetId);
      if (!sheet || !range) throw refuse(i, kind, `No grid with id: ${range?.sheetId}`);
      if (!fields) throw refuse(i, kind, "At least one field must be updated, but none were specified.");
      sheet.data ??= [{ startRow: 0, startColumn: 0, rowData: [] }];
      const data = sheet.data[0]!;
      data.rowMetadata ??= [];
      data.columnMetadata ??= [];
      const list = range.dimension === "ROWS" ? data.rowMetadata : data.columnMetadata;
      for (let n = range.startIndex ?? 0; n < (range.endIndex ?? (range.startIndex ?? 0) + 1); n++) {
        while (list.length <= n) list.push({});
        for (const field of fields.split(",")) setPath(list[n] as Record<string, unknown>, field.trim().split("."), properties as Record<string, unknown>);
      }
      replies.push({});
    } else {
      throw new SheetsRefusal(400, `Stand-in does not model ${kind}`);
    }
  }
  return { next, replies };
}

/** Locales whose decimal sign is the comma: their formulas separate arguments with ";". */
const DECIMAL_COMMA = new Set(["sv_SE", "fi_FI", "nb_NO", "da_DK", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "ru_RU"]);

/**
 * The first formula (a cell's, or a validation rule's) that separates its arguments with a comma
 * outside quotes in a decimal-comma locale, where Sheets cannot parse it; or undefined.
 */
function commaFormula(rows: sheets_v4.Schema$RowData[], locale: string | null | undefined): string | undefined {
  if (!locale || !DECIMAL_COMMA.has(locale)) return undefined;
  const outsideQuotes = (formula: string) => formula.replace(/"[^"]*"/g, "");
  for (const row of rows) {
    for (const cell of row.values ?? []) {
      const formulas = [cell.userEnteredValue?.formulaValue, ...(cell.dataValidation?.condition?.values ?? []).map((v) => v.userEnteredValue)];
      for (const f of formulas) if (typeof f === "string" && f.startsWith("=") && outsideQuotes(f).includes(",")) return f;
    }
  }
  return undefined;
}

/** Sets (or, where the value has none, clears) one field-mask path, as updateCells does. */
function setPath(target: Record<string, unknown>, path: string[], source: Record<string, unknown> | undefined): void {
  const [key, ...rest] = path as [string, ...string[]];
  const value = source?.[key];
  if (rest.length === 0) {
    if (value === undefined) delete target[key];
    else target[key] = structuredClone(value);
    return;
  }
  target[key] ??= {};
  const inner = target[key] as Record<string, unknown>;
  setPath(inner, rest, value as Record<string, unknown> | undefined);
  if (Object.keys(inner).length === 0) delete target[key];
}

export function cellAt(sheet: Sheet, row: number, col: number): sheets_v4.Schema$CellData {
  sheet.data ??= [{ startRow: 0, startColumn: 0, rowData: [] }];
  sheet.data[0]!.rowData ??= [];
  const rows = sheet.data[0]!.rowData;
  while (rows.length <= row) rows.push({ values: [] });
  rows[row]!.values ??= [];
  const values = rows[row]!.values;
  while (values.length <= col) values.push({});
  return values[col]!;
}

/**
 * What spreadsheets.get answers the caller: effective values and formats derived from what was
 * entered, and on each protected range whether the caller may edit it.
 */
export function asRead(spreadsheet: Spreadsheet, caller: string, owner: string | undefined): Spreadsheet {
  const copy = structuredClone(spreadsheet);
  for (const sheet of copy.sheets ?? []) {
    for (const p of sheet.protectedRanges ?? []) {
      p.requestingUserCanEdit = caller === owner || (p.editors?.users ?? []).includes(caller);
    }
    for (const data of sheet.data ?? []) {
      for (const row of data.rowData ?? []) {
        for (const cell of row.values ?? []) {
          if (cell.userEnteredValue) cell.effectiveValue = cell.userEnteredValue;
          if (cell.userEnteredFormat) cell.effectiveFormat = cell.userEnteredFormat;
        }
      }
    }
  }
  return copy;
}
