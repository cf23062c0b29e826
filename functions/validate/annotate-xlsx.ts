/**
 * The findings written into a copy of the reporter's own workbook, where they are fixed:
 * - each cell to fix filled (one colour for errors, one for warnings, explained at the top of
 *   the tab) with a note giving the message and what to do;
 * - the Kontroll cell of each row with findings filled, earlier Kontroll texts cleared;
 * - a first tab, Kontrollresultat, with every finding of the workbook – also those without a
 *   cell – in reading order, each linked to its cell or tab, and the counts.
 * Nothing else is changed: values, formats, validation, protection and print settings stay as
 * they were, and reading the copy gives the same findings as the original. The original is
 * never written. A copy checked again (the reporter fixed it and asks once more) first loses
 * every mark, note and legend an earlier check made – the reporter's own notes stay – so
 * what is marked is what is wrong now.
 */
import { wrappedHeight } from "../workbook/row-height.js";
import type ExcelJS from "exceljs";
import { type Finding, sortFindings } from "../model/findings.js";
import { workbookBytes } from "../shared/deterministic-zip.js";
import { groupBy } from "../shared/group-by.js";
import type { TemplateDefinition } from "../template/definition.js";
import { COLOURS } from "../template/template-layout.js";
import { EARLIER_MARK_COLOURS } from "../template/layout-model.js";
import type { LoadedWorkbook } from "../submission/source.js";
import type { WorkbookGrid } from "../workbook/grid.js";
import { internalLinksWithoutRelationships } from "../workbook/internal-links.js";
import { loadXlsx } from "../workbook/read-xlsx.js";
import { checkCellFor, checkSections, countsText, findingNote, rowCheckText, rowOf } from "./finding-text.js";

export interface AnnotateInput {
  /** The workbook as it was read. */
  bytes: Uint8Array;
  /** What was read from it: where each section's Kontroll column is. */
  grid: WorkbookGrid;
  /** The workbook's findings (others are left out). */
  findings: readonly Finding[];
  definition: TemplateDefinition;
  /** When it was checked, for the results tab. */
  now: Date;
}

const fill = (rgb: string): ExcelJS.Fill => ({ type: "pattern", pattern: "solid", fgColor: { argb: `FF${rgb}` } });
const MARK = { error: fill(COLOURS.error), warning: fill(COLOURS.warning) };
const LEGEND = {
  error: "Röd cell: fel som måste rättas. Håll muspekaren över cellen för att läsa vad som är fel.",
  warning: "Orange cell: varning att kontrollera, och rätta eller kommentera. (De ljusgula cellerna är de du fyller i.)",
};
/** What an earlier check wrote, to be taken away before this one: its legend texts (today's and before). */
const EARLIER_LEGENDS = new Set([...Object.values(LEGEND), "Gul cell: varning att kontrollera, och rätta eller kommentera."]);
/** The first line of the check's part of a cell's note; what comes before it is the reporter's own. */
const NOTE_HEAD = "Kontrollen:";
/** The results tab's column widths, in characters: tab, cell, severity, message, hint, code. */
const WIDTHS = [22, 10, 12, 70, 50, 30];
const TIME = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", dateStyle: "long", timeStyle: "short" });

/** An annotated copy of each workbook that was read as .xlsx bytes: its file, and the copy. */
export async function annotateLoaded(
  loaded: readonly LoadedWorkbook[],
  findings: readonly Finding[],
  definition: TemplateDefinition,
  now: Date,
): Promise<{ file: string; path?: string; bytes: Uint8Array }[]> {
  const copies: { file: string; path?: string; bytes: Uint8Array }[] = [];
  for (const w of loaded) {
    if (!("grid" in w) || !w.bytes) continue;
    const bytes = await annotateXlsx({ bytes: w.bytes, grid: w.grid, findings, definition, now });
    copies.push({ file: w.file, ...(w.path ? { path: w.path } : {}), bytes });
  }
  return copies;
}

export async function annotateXlsx(input: AnnotateInput): Promise<Uint8Array> {
  const wb = await loadXlsx(input.bytes, { toWrite: true });
  const resultsName = input.definition.sheets.results;
  const earlier = wb.getWorksheet(resultsName);
  if (earlier) wb.removeWorksheet(earlier.id);
  const findings = sortFindings(input.findings.filter((f) => f.file === input.grid.file));

  for (const sheet of input.grid.sheets) {
    const ws = wb.getWorksheet(sheet.name);
    if (!ws) continue;
    clearEarlierCheck(ws);
    const own = findings.filter((f) => f.sheet === sheet.name && f.cell);
    clearAndFillChecks(ws, sheet, own, input.definition);
    for (const list of groupBy(own, (f) => f.cell!).values()) markCell(ws, list);
    if (own.length > 0) addLegend(ws);
  }
  addResults(wb, resultsName, findings, input);
  return workbookBytes(wb, input.now, internalLinksWithoutRelationships);
}

/** The Kontroll column: earlier texts cleared, each row with findings told. */
function clearAndFillChecks(ws: ExcelJS.Worksheet, sheet: WorkbookGrid["sheets"][number], own: Finding[], definition: TemplateDefinition) {
  const sections = checkSections(sheet, definition);
  sections.forEach((section, i) => {
    const end = sections[i + 1]?.header ?? sheet.rowCount + 1;
    for (let r = section.header + 1; r < end; r++) {
      const cell = ws.getCell(r, section.col);
      if (typeof cell.value === "string") cell.value = null;
    }
  });
  for (const [row, list] of groupBy(own, (f) => rowOf(f.cell!))) {
    const check = checkCellFor(sections, row);
    if (!check) continue;
    // Kontroll sits beside the values, before Kommentar: its text wraps in its own cell (the row
    // made tall enough) instead of running over the reporter's comment.
    const cell = ws.getCell(check.row, check.col);
    const text = rowCheckText(list);
    cell.value = text;
    cell.style = { ...cell.style, alignment: { ...cell.style.alignment, wrapText: true, vertical: "top" } };
    const tall = wrappedHeight([{ text, width: ws.getColumn(check.col).width ?? 9 }]);
    const r = ws.getRow(check.row);
    if (tall && tall > (r.height ?? 15)) r.height = tall;
  }
}

/** The cell to fix: filled, and a note with what is wrong and what to do (after any note it had). */
function markCell(ws: ExcelJS.Worksheet, list: Finding[]) {
  const at = ws.getCell(list[0]!.cell!);
  const cell = at.isMerged ? at.master : at;
  const error = list.some((f) => f.severity === "error");
  // A new style object: exceljs shares one between cells styled alike.
  cell.style = { ...cell.style, fill: error ? MARK.error : MARK.warning };
  const before = noteText(cell.note);
  cell.note = { texts: [{ text: [before, `${NOTE_HEAD}\n${findingNote(list)}`].filter(Boolean).join("\n\n") }] };
}

const MARK_COLOURS = new Set([COLOURS.error, COLOURS.warning, ...EARLIER_MARK_COLOURS].map((c) => `FF${c}`.toUpperCase()));

/**
 * Takes away what an earlier check wrote into this copy: the fill of each marked cell (an input
 * cell gets its pale yellow back, any other cell no fill), the check's part of each note (the
 * reporter's own text before it stays; a note that was only the check's goes), and the legend.
 */
function clearEarlierCheck(ws: ExcelJS.Worksheet) {
  // Empty cells too: a cell marked because it was left empty is still empty.
  ws.eachRow({ includeEmpty: true }, (row) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      if (typeof cell.value === "string" && EARLIER_LEGENDS.has(cell.value)) {
        cell.value = null;
        cell.style = {};
        return;
      }
      const argb = (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb?.toUpperCase();
      if (argb && MARK_COLOURS.has(argb) && (!cell.isMerged || cell.master === cell)) {
        const { fill: _, ...rest } = cell.style;
        cell.style = cell.protection?.locked === false ? { ...rest, fill: fill(COLOURS.input) } : rest;
      }
      if (cell.note) {
        const own = reportersPart(noteText(cell.note));
        if (own === undefined) return;
        if (own) cell.note = { texts: [{ text: own }] };
        else {
          // exceljs has no way to take a note away: setting one makes a new, empty note. Its own
          // field goes, and the value is set again so that the note read with it goes too.
          (cell as unknown as { _comment?: unknown })._comment = undefined;
          const value = cell.value;
          cell.value = value;
        }
      }
    });
  });
}

/**
 * The reporter's own part of a note an earlier check added to; undefined when the check wrote
 * nothing in it. A check before this one began its part with "Fel: " or "Varning: ".
 */
export function reportersPart(note: string): string | undefined {
  const blocks = note.split("\n\n");
  const first = blocks.findIndex((b) => b.startsWith(`${NOTE_HEAD}\n`) || b === NOTE_HEAD || /^(Fel|Varning): /.test(b));
  if (first < 0) return undefined;
  return blocks.slice(0, first).join("\n\n").trim();
}

function noteText(note: ExcelJS.Cell["note"]): string {
  if (!note) return "";
  if (typeof note === "string") return note;
  return (note.texts ?? []).map((t) => t.text).join("");
}

/** The legend at the top of a tab with marks: in the first column where rows 2 and 3 are free. */
function addLegend(ws: ExcelJS.Worksheet) {
  // The tab as it is now, an earlier check's legend already taken away: a copy checked again
  // gets its legend where the first check put it.
  const free = (row: number, col: number) => {
    const cell = ws.getCell(row, col);
    return (cell.value === null || cell.value === undefined || cell.value === "") && !cell.isMerged;
  };
  for (let col = 4; col <= 12; col++) {
    if (!free(2, col) || !free(3, col)) continue;
    for (const [row, kind] of [
      [2, "error"],
      [3, "warning"],
    ] as const) {
      const cell = ws.getCell(row, col);
      cell.value = LEGEND[kind];
      cell.style = { font: { size: 10 }, fill: MARK[kind], alignment: { vertical: "middle" } };
    }
    return;
  }
}

/** The Kontrollresultat tab, first in the workbook. */
function addResults(wb: ExcelJS.Workbook, name: string, findings: Finding[], input: AnnotateInput) {
  const ws = wb.addWorksheet(name, { properties: { tabColor: { argb: `FF${COLOURS.error}` } } });
  // exceljs writes the tabs in orderNo order (not in its types).
  const order = (w: ExcelJS.Worksheet) => w as unknown as { orderNo: number };
  order(ws).orderNo = Math.min(...wb.worksheets.filter((w) => w !== ws).map((w) => order(w).orderNo), 0) - 1;
  const file = input.grid.file.split(/[\\/]/).at(-1) ?? input.grid.file;
  ws.addRow([`Kontrollresultat för ${file}`]).font = { bold: true, size: 14 };
  ws.addRow([`Kontrollerad ${TIME.format(input.now)}. ${findings.length === 0 ? "Inga fel eller varningar." : `${countsText(findings)}.`}`]);
  ws.addRow([]);
  for (const kind of ["error", "warning"] as const) {
    const row = ws.addRow([kind === "error" ? "Fel" : "Varning", LEGEND[kind]]);
    row.getCell(1).fill = MARK[kind];
  }
  ws.addRow([]);
  const header = ws.addRow(["Flik", "Cell", "Allvarlighet", "Vad som är fel", "Vad du gör", "Kod"]);
  header.font = { bold: true };
  header.eachCell((c) => {
    c.fill = fill(COLOURS.header);
  });
  const sheets = new Set(wb.worksheets.map((w) => w.name));
  for (const f of findings) {
    const target = f.sheet && sheets.has(f.sheet) ? `'${f.sheet.replaceAll("'", "''")}'!${f.cell ?? "A1"}` : undefined;
    const row = ws.addRow([f.sheet ?? "(hela filen)", f.cell ?? (target ? "fliken" : "–"), f.severity === "error" ? "Fel" : "Varning", f.message, f.hint ?? "", f.code]);
    if (target) row.getCell(2).value = { text: f.cell ?? "fliken", hyperlink: target, tooltip: `Gå till ${f.sheet} ${f.cell ?? ""}`.trim() };
    row.getCell(3).fill = f.severity === "error" ? MARK.error : MARK.warning;
    row.alignment = { wrapText: true, vertical: "top" };
    row.height = wrappedHeight([f.message, f.hint ?? "", f.code].map((text, i) => ({ text, width: WIDTHS[i + 3]! }))) ?? 15;
  }
  WIDTHS.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  ws.views = [{ state: "frozen", ySplit: header.number }];
  ws.pageSetup = { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 };
  wb.views = [{ ...(wb.views?.[0] ?? { x: 0, y: 0, width: 20000, height: 12000, visibility: "visible" }), activeTab: 0, firstSheet: 0 }];
}
