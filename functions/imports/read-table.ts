/**
 * A system's export as a table: a header row and data rows, each with the row number and the
 * column as the user sees them in Excel. Two formats, as people get them:
 * - .xlsx: the first visible tab (numbers and dates as Excel holds them);
 * - CSV as Excel with Swedish settings writes it: `;` between fields (`,` and tab are told from
 *   the header line), decimal comma, UTF-8 with or without BOM, UTF-16 with BOM ("Unicode-text")
 *   or Windows-1252. csv-parse reads the fields, iconv-lite the encodings.
 * A file that cannot be read gives one Swedish problem naming the file, never a partial table.
 */
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { isPercentFormat } from "../normalise/parse-cell.js";
import { a1, type CellValue, type GridCell } from "../workbook/grid.js";
import { DEFAULT_LIMITS, inspectWorkbookBytes } from "../workbook/inspect-file.js";
import { readXlsxBytes } from "../workbook/read-xlsx.js";

export type TableValue = string | number | Date | boolean | null;

export interface TableRow {
  /** The row number as the user sees it: Excel's row, or the CSV file's line. */
  row: number;
  cells: TableValue[];
}

export interface Table {
  /** The file as the user names it. */
  file: string;
  /** The tab read, for an .xlsx. */
  tab?: string;
  /** How the file was read, for the user: "CSV (semikolon, Windows-1252)" or "Excel, fliken Blad1". */
  format: string;
  /** Every row with something in it, the header among them (an export may have a title above it). */
  rows: TableRow[];
}

/** The most rows an export may have: far above any year's incidents or new employees. */
export const MAX_IMPORT_ROWS = 200_000;

export class TableProblem extends Error {}

/** A column as the user finds it: its letter in Excel, or its place in a CSV file. */
export function columnName(table: Pick<Table, "tab">, index: number, header: string): string {
  const letter = a1(1, index + 1).replace(/\d+$/, "");
  return table.tab !== undefined ? `kolumn ${letter} (${header})` : `kolumn ${index + 1} (${header})`;
}

export async function readTable(bytes: Buffer, shown: string): Promise<Table> {
  if (bytes.length === 0) throw new TableProblem(`${shown} är tom (0 byte).`);
  if (bytes.subarray(0, 2).toString("latin1") === "PK" || bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return readXlsxTable(bytes, shown);
  return readCsvTable(bytes, shown);
}

async function readXlsxTable(bytes: Buffer, shown: string): Promise<Table> {
  const limits = { ...DEFAULT_LIMITS, maxRowsPerTab: MAX_IMPORT_ROWS + 100, maxCellsPerTab: (MAX_IMPORT_ROWS + 100) * 40 };
  const problem = await inspectWorkbookBytes(bytes, shown, limits);
  if (problem) throw new TableProblem(`${shown}: ${problem.message}${problem.hint ? ` ${problem.hint}` : ""}`);
  const grid = await readXlsxBytes(bytes, shown, async () => undefined);
  const sheet = grid.sheets.find((s) => s.state === "visible");
  if (!sheet) throw new TableProblem(`${shown} har ingen synlig flik.`);
  const rows: TableRow[] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const cells: TableValue[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(plainValue(sheet.cell(r, c)));
    if (cells.some((v) => v !== null && !(typeof v === "string" && v.trim() === ""))) rows.push({ row: r, cells });
  }
  return tableFrom(shown, `Excel, fliken ${sheet.name}`, rows, sheet.name);
}

/** A cell as the export meant it: 0.74 in a cell formatted as percent is 74 (%), as the user sees it. */
function plainValue(cell: GridCell | undefined): TableValue {
  const v: CellValue = cell?.value ?? null;
  if (typeof v === "number") return isPercentFormat(cell?.numFmt) ? Math.round(v * 100 * 1e9) / 1e9 : v;
  if (v === null || typeof v === "string" || typeof v === "boolean" || v instanceof Date) return v;
  return "error" in v ? v.error : null;
}

const ENCODINGS = { "utf-8": "UTF-8", "utf-16le": "UTF-16", "windows-1252": "Windows-1252" } as const;

/** The text of a CSV file, and which encoding it was in. */
export function decodeText(bytes: Buffer, shown: string): { text: string; encoding: keyof typeof ENCODINGS } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString("utf8"), encoding: "utf-8" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), "utf-16le"), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), "utf-16be"), encoding: "utf-16le" };
  // A NUL byte or C0 control characters (but tab and line ends) are no text in any of these encodings.
  if (bytes.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) {
    throw new TableProblem(`${shown} kan inte läsas: den är varken en Excel-arbetsbok eller text (UTF-8, UTF-16 eller Windows-1252). Spara den från Excel som CSV UTF-8 eller som .xlsx.`);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not UTF-8: Excel's "CSV (semikolonavgränsad)" in Windows-1252. Bytes it leaves undefined are no text.
    const text = iconv.decode(bytes, "windows-1252");
    if (/[\u0081\u008d\u008f\u0090\u009d\ufffd]/.test(text)) {
      throw new TableProblem(`${shown} kan inte läsas: teckenkodningen är okänd (varken UTF-8 eller Windows-1252). Spara filen från Excel som CSV UTF-8.`);
    }
    return { text, encoding: "windows-1252" };
  }
}

const DELIMITERS = { ";": "semikolon", ",": "komma", "\t": "tabb" } as const;

/**
 * The delimiter: of ; tab and , the one that occurs most, outside quotes, on the busiest of the
 * first lines (a title line above the header has none); ; on a tie, as Swedish Excel writes.
 */
function delimiterOf(text: string): keyof typeof DELIMITERS {
  const lines = text.split(/\r?\n/, 20).map((l) => l.replace(/"[^"]*"/g, ""));
  const count = (d: string) => Math.max(0, ...lines.map((l) => l.split(d).length - 1));
  return ([";", "\t", ","] as const).reduce((best, d) => (count(d) > count(best) ? d : best), ";" as keyof typeof DELIMITERS);
}

function readCsvTable(bytes: Buffer, shown: string): Table {
  const { text, encoding } = decodeText(bytes, shown);
  const delimiter = delimiterOf(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: false, to: MAX_IMPORT_ROWS + 2 }) as unknown as typeof records;
  } catch (error) {
    const message = (error as Error).message.replace(/^Invalid [^:]*: /, "");
    const line = /line (\d+)/.exec((error as Error).message)?.[1];
    throw new TableProblem(`${shown}${line ? `, rad ${line}` : ""}: filen kan inte läsas som CSV (${message}).`);
  }
  const rows = records
    .map(({ record, info }) => ({ row: info.lines, cells: record.map((c) => c as TableValue) }))
    .filter((r) => r.cells.some((c) => typeof c === "string" && c.trim() !== ""));
  return tableFrom(shown, `CSV (${DELIMITERS[delimiter]}, ${ENCODINGS[encoding]})`, rows);
}

function tableFrom(file: string, format: string, rows: TableRow[], tab?: string): Table {
  if (rows.length === 0) throw new TableProblem(`${file} har inga rader.`);
  if (rows.length > MAX_IMPORT_ROWS + 1) throw new TableProblem(`${file} har fler än ${MAX_IMPORT_ROWS.toLocaleString("sv-SE")} rader; dela upp exporten per år.`);
  return { file, format, ...(tab !== undefined ? { tab } : {}), rows };
}
