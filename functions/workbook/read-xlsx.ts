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
  const wb = await loadXlsx(data);
  const grid = workbookToGrid(wb, shown);
  // The time the workbook says it was saved; the file's own time when it says nothing.
  grid.modified = wb.modified instanceof Date && !Number.isNaN(wb.modified.getTime()) ? wb.modified : await fileTime();
  grid.example = isExampleKeywords(wb.keywords);
  if (await hasPart(data, "xl/vbaProject.bin")) grid.macros = true;
  return grid;
}

/**
 * Loads a sound .xlsx with exceljs, past the exceljs bugs this project knows. `toWrite`: the
 * workbook will be written again (an annotated copy), so what exceljs would drop on the way
 * is kept – it reads a protection or a print setting written as "true"/"false" (LibreOffice
 * does) as absent: the copy would be unprotected, or print on twelve pages instead of two.
 */
export async function loadXlsx(data: Uint8Array, { toWrite = false }: { toWrite?: boolean } = {}): Promise<ExcelJS.Workbook> {
  if (toWrite) data = await booleansAsDigits(data);
  const { default: Excel } = await import("exceljs");
  // exceljs's load() is typed for an ArrayBuffer; a Node Buffer is what it reads at run time.
  const load = async (bytes: Uint8Array) => {
    const wb = new Excel.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    return wb;
  };
  try {
    return await load(data);
  } catch (error) {
    // openpyxl and some other writers keep cell notes in parts exceljs 4.4 cannot find
    // (xl/comments/comment1.xml; exceljs issue #2797), and loading fails. The parts are
    // moved to where exceljs looks, so the notes are kept, and loading is tried again.
    const moved = await moveNoteParts(data);
    if (!moved) throw error;
    return load(moved);
  }
}

/** Whether the zip has a part of that name: its directory is read, no part is inflated. */
async function hasPart(data: Uint8Array, name: string): Promise<boolean> {
  const { unzipSync } = await import("fflate");
  let found = false;
  unzipSync(data, {
    filter: (entry) => {
      found ||= entry.name === name;
      return false;
    },
  });
  return found;
}

/**
 * The elements whose attributes are all flags, numbers or names (never text a person wrote):
 * protection, and what decides how a tab prints and shows (fit to page, print options, views,
 * hidden rows and columns).
 */
const FLAG_ELEMENTS = /<(sheetProtection|workbookProtection|protection|sheetPr|pageSetUpPr|outlinePr|pageSetup|printOptions|sheetView|sheetFormatPr|row|col)\b[^>]*>/g;

/** xsd:boolean "true"/"false" as "1"/"0" in those elements, which is all exceljs reads. */
async function booleansAsDigits(data: Uint8Array): Promise<Uint8Array> {
  const { unzipSync, zipSync, strFromU8, strToU8 } = await import("fflate");
  const files = unzipSync(data);
  let changed = false;
  for (const [name, bytes] of Object.entries(files)) {
    if (!/^xl\/(worksheets\/[^/]+|styles|workbook)\.xml$/.test(name)) continue;
    const xml = strFromU8(bytes);
    const edited = xml.replace(FLAG_ELEMENTS, (element) => element.replace(/="true"/g, '="1"').replace(/="false"/g, '="0"'));
    if (edited !== xml) {
      files[name] = strToU8(edited);
      changed = true;
    }
  }
  return changed ? zipSync(files) : data;
}

const NOTE_RELATIONSHIP = /<Relationship\b[^>]*\/relationships\/(comments|vmlDrawing)"[^>]*\/>/g;

/** Moves each worksheet's notes and their drawing to the names exceljs reads; undefined when none were elsewhere. */
async function moveNoteParts(data: Uint8Array): Promise<Uint8Array | undefined> {
  const { unzipSync, zipSync, strFromU8, strToU8 } = await import("fflate");
  const files = unzipSync(data);
  let changed = false;
  let n = 0;
  for (const [name, bytes] of Object.entries(files)) {
    if (!/^xl\/worksheets\/_rels\/.+\.rels$/.test(name)) continue;
    const xml = strFromU8(bytes);
    const edited = xml.replace(NOTE_RELATIONSHIP, (relationship, kind: string) => {
      const target = /Target="([^"]+)"/.exec(relationship)?.[1];
      if (!target) return relationship;
      const from = target.startsWith("/") ? target.slice(1) : new URL(target, "file:///xl/worksheets/").pathname.slice(1);
      n++;
      const to = kind === "comments" ? `xl/comments${1000 + n}.xml` : `xl/drawings/vmlDrawing${1000 + n}.vml`;
      if (!files[from] || from === to) return relationship;
      files[to] = files[from]!;
      delete files[from];
      changed = true;
      return relationship.replace(/Target="[^"]+"/, `Target="${kind === "comments" ? `../comments${1000 + n}.xml` : `../drawings/vmlDrawing${1000 + n}.vml`}"`);
    });
    if (edited !== xml) files[name] = strToU8(edited);
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

/** The keyword the bundled example workbooks carry in their properties, so reports on them say so. */
export const EXAMPLE_KEYWORD = "Exempeldata";

export function isExampleKeywords(keywords: string | undefined): boolean {
  return (keywords ?? "").split(/[,;]/).some((k) => k.trim().toLocaleLowerCase("sv-SE") === EXAMPLE_KEYWORD.toLocaleLowerCase("sv-SE"));
}
