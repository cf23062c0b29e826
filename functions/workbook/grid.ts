/**
 * A spreadsheet as the validator sees it, whatever it came from (.xlsx via exceljs, or the
 * Google Sheets API): tabs of cells with the value the person sees and its number format.
 */

/** A cell's value: what was typed, or a formula's cached result. */
export type CellValue = number | string | boolean | Date | null | { error: string } | { noResult: true };

export interface GridCell {
  value: CellValue;
  /** The number format, e.g. "0%" or "#,##0". */
  numFmt?: string | undefined;
  /** The cell holds a formula; value is its cached result. */
  formula?: boolean;
}

export interface SheetGrid {
  name: string;
  state: "visible" | "hidden" | "veryHidden";
  /** 1-based rows and columns. */
  cell(row: number, col: number): GridCell | undefined;
  rowCount: number;
  columnCount: number;
  /** Merged ranges in A1 notation, e.g. "A12:C12". */
  merges: string[];
}

export interface WorkbookGrid {
  /** The file or spreadsheet as the user knows it. */
  file: string;
  sheets: SheetGrid[];
  /** When the workbook was last saved, as far as it says. */
  modified?: Date | undefined;
  /** The workbook says it holds made-up example data (the bundled examples do, in their keywords). */
  example?: boolean;
  /** Each tab's own address, where the source has one (Google Sheets: the tab in the spreadsheet). */
  tabLinks?: ReadonlyMap<string, string>;
  /** The workbook holds macros (VBA): an .xlsm, or an .xlsx with a vbaProject part. They are never run or kept. */
  macros?: boolean;
  /**
   * When each tab was first seen marked ready, where the source keeps that (Google Sheets), and
   * when this read was made: the time a new mark is first seen.
   */
  readySeen?: { first: Map<string, Date>; readAt: Date } | undefined;
  /** The tabs locked as approved, where the source keeps approvals (Google Sheets). */
  approvedTabs?: Set<string> | undefined;
}

/** A grid over a sparse map of cells; adapters fill it. */
export class MapSheetGrid implements SheetGrid {
  private readonly cells = new Map<number, GridCell>();
  rowCount = 0;
  columnCount = 0;

  constructor(
    readonly name: string,
    readonly state: SheetGrid["state"] = "visible",
    readonly merges: string[] = [],
  ) {}

  set(row: number, col: number, cell: GridCell): void {
    this.cells.set(row * 16_384 + col, cell);
    if (row > this.rowCount) this.rowCount = row;
    if (col > this.columnCount) this.columnCount = col;
  }

  cell(row: number, col: number): GridCell | undefined {
    return this.cells.get(row * 16_384 + col);
  }
}

/** "H12" from 1-based row and column. */
export function a1(row: number, col: number): string {
  let letters = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row}`;
}

/** The text of a cell as a person reads it, trimmed; undefined when blank. */
/** A spreadsheet date serial (days since 1899-12-30, as Excel and Sheets count) as a date. */
export function serialToDate(serial: number): Date {
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
}

/** The row and column of an A1 address ("C12" → 12 and 3). */
export function rowOf(address: string): number {
  return Number(/\d+/.exec(address)?.[0] ?? 0);
}
export function colOf(address: string): number {
  const letters = /^[A-Z]+/i.exec(address)?.[0] ?? "A";
  return [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}

export function cellText(cell: GridCell | undefined): string | undefined {
  const v = cell?.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v.trim() === "" ? undefined : v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ("error" in v) return v.error;
  return undefined;
}
