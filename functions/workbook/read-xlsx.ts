/**
 * The .xlsx adapter of the reader: loads a workbook with exceljs and turns it into a
 * WorkbookGrid. Call readWorkbookFile or inspectWorkbookBytes first; this assumes the file is a sound .xlsx.
 */
import { readFile, stat } from "node:fs/promises";
import type ExcelJS from "exceljs";
import { type CellValue, type GridCell, MapSheetGrid, type WorkbookGrid } from "./grid.js";

export async function readXlsxGrid(path: string, shown: string): Promise<WorkbookGrid> {
  return readXlsxBytes(await readFile(path), shown, async () => (await stat(path)).mtime);
}

/** The same, from the bytes already read; `fileTime` is asked only when the workbook has no saved time. */
export async function readXlsxBytes(data: Buffer, shown: string, fileTime: () => Promise<Date | undefined>): Promise<WorkbookGrid> {
  const { default: Excel } = await import("exceljs");
  // exceljs's load() is typed for an ArrayBuffer; a Node Buffer is what it reads at run time.
  const load = async (bytes: Uint8Array) => {
    const wb = new Excel.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return wb;
  };
  let wb: ExcelJS.Workbook;
  try {
    wb = await load(data);
  } catch (error) {
    // openpyxl and some other writers keep cell notes in parts exceljs 4.4 cannot find
    // (xl/comments/comment1.xml; exceljs issue #2797), and loading fails. Notes are not
    // read anyway, so drop the links to them and retry.
    const withoutNotes = await dropNoteRelationships(data);
    if (!withoutNotes) throw error;
    wb = await load(withoutNotes);
  }
  const grid = workbookToGrid(wb, shown);
  // The time the workbook says it was saved; the file's own time when it says nothing.
  grid.modified = wb.modified instanceof Date && !Number.isNaN(wb.modified.getTime()) ? wb.modified : await fileTime();
  return grid;
}

const NOTE_RELATIONSHIP = /<Relationship\b[^>]*\/relationships\/(comments|vmlDrawing)"[^>]*\/>/g;

/** Removes the worksheets' relationships to notes; undefined when there were none. */
async function dropNoteRelationships(data: Uint8Array): Promise<Uint8Array | undefined> {
  const { unzipSync, zipSync, strFromU8, strToU8 } = await import("fflate");
  const files = unzipSync(data);
  let changed = false;
  for (const [name, bytes] of Object.entries(files)) {
    if (!/^xl\/worksheets\/_rels\/.+\.rels$/.test(name)) continue;
    const xml = strFromU8(bytes);
    const stripped = xml.replace(NOTE_RELATIONSHIP, "");
    if (stripped !== xml) {
      files[name] = strToU8(stripped);
      changed = true;
    }
  }
  return changed ? zipSync(files) : undefined;
}

export function workbookToGrid(wb: ExcelJS.Workbook, shown: string): WorkbookGrid {
  const sheets = wb.worksheets.map((ws) => {
    const merges = (ws.model as { merges?: string[] }).merges ?? [];
    const grid = new MapSheetGrid(ws.name, ws.state ?? "visible", [...merges]);
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        const gridCell = toGridCell(cell);
        if (gridCell) grid.set(rowNumber, colNumber, gridCell);
      });
    });
    return grid;
  });
  return { file: shown, sheets };
}

function toGridCell(cell: ExcelJS.Cell): GridCell | undefined {
  // A merged cell's followers repeat the leader's value in exceljs; keep only the leader.
  if (cell.isMerged && cell.master.address !== cell.address) return undefined;
  const raw = cell.value as unknown;
  let value: CellValue;
  let formula = false;
  if (raw && typeof raw === "object" && !(raw instanceof Date)) {
    const obj = raw as Record<string, unknown>;
    if ("formula" in obj || "sharedFormula" in obj) {
      formula = true;
      // cell.value drops a result of 0 (exceljs copies only truthy fields); cell.result keeps it.
      value = plain(cell.result, true);
    } else {
      value = plain(raw, false);
    }
  } else {
    value = plain(raw, false);
  }
  if (value === null && !formula) return undefined;
  return { value, numFmt: cell.numFmt || undefined, ...(formula ? { formula } : {}) };
}

function plain(raw: unknown, isResult: boolean): CellValue {
  if (raw === undefined) return isResult ? { noResult: true } : null;
  if (raw === null) return null;
  if (typeof raw === "number" || typeof raw === "string" || typeof raw === "boolean") return raw;
  if (raw instanceof Date) return raw;
  if (typeof raw === "object") {
    const obj = raw as Record<string, unknown>;
    if (typeof obj.error === "string") return { error: obj.error };
    if (Array.isArray(obj.richText)) return obj.richText.map((r: { text?: string }) => r.text ?? "").join("");
    if (typeof obj.text === "string") return obj.text;
  }
  return String(raw);
}
