/**
 * The .xlsx adapter of the reader: loads a workbook with exceljs and turns it into a
 * WorkbookGrid. Call inspectWorkbookFile first; this assumes the file is a sound .xlsx.
 */
import { readFile } from "node:fs/promises";
import type ExcelJS from "exceljs";
import { type CellValue, type GridCell, MapSheetGrid, type WorkbookGrid } from "./grid.js";

export async function readXlsxGrid(path: string, shown: string): Promise<WorkbookGrid> {
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  // exceljs's load() takes an ArrayBuffer-like; a Node Buffer works at run time.
  await wb.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
  return workbookToGrid(wb, shown);
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
      value = plain(obj.result, true);
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
