/**
 * The Excel report's Källor tab: what the year's figures were made from (the run, each
 * workbook and import with its SHA-256, where the earlier years were read), and then, for
 * every figure of the year, where it came from: the file, tab and cells it was typed in, the
 * import and its rows, or the rule and units of a city figure. Names and hashes only, never a
 * number a table does not show (an import's rows are named only beside a figure shown).
 */
import type ExcelJS from "exceljs";
import type { HistoryOrigin } from "../model/origin.js";
import { formatStockholmDay, formatStockholmTime } from "../shared/format-sv.js";
import type { FigureTrace } from "./figures.js";
import type { ReportModel } from "./report-model.js";
import { importSourceName, TRACE_KINDS, traceText } from "./trace-text.js";
import { wrappedHeight } from "../workbook/row-height.js";
import { header, sheet, title } from "./xlsx-style.js";

export const SOURCES_TAB = "Källor";

export function addSources(wb: ExcelJS.Workbook, model: ReportModel) {
  const p = model.provenance;
  const ws = sheet(wb, SOURCES_TAB, true);
  title(
    ws,
    `Källor ${model.year}`,
    p
      ? `Varifrån varje siffra för ${model.year} kommer, i körningen ${formatStockholmTime(new Date(p.createdAt))}.`
      : `Varifrån varje siffra för ${model.year} kommer.`,
  );
  if (p) {
    // In the columns of the table below: the file under Fil, the hash and the rest under Anmärkning.
    const input = (what: string, file: string, note: string) => ws.addRow([what, "", "", "", "", file, "", "", note]);
    header(ws, ["Underlag", "", "", "", "", "Fil", "", "", "SHA-256 och anmärkning"]);
    for (const i of p.inputs) input("Arbetsbok", i.file, `SHA-256 ${i.sha256}`);
    for (const i of p.imports) {
      input(
        `Import: ${importSourceName(model.yc, i.source)}`,
        i.file.name,
        `SHA-256 ${i.file.sha256}. ${i.file.format}; ${i.rowsUsed} av ${i.rowsRead} rader används; importerad ${formatStockholmDay(new Date(i.importedAt))} av ${i.by}. Bara antalen sparas, aldrig raderna.`,
      ).getCell(9).alignment = { wrapText: true, vertical: "top" };
    }
    for (const { years, origin } of historySpans(p.history)) {
      input(
        `Historik ${years}`,
        origin.kind === "history-file" ? origin.file : `Sparad körning${origin.runId ? ` ${origin.runId}` : ""}`,
        origin.kind === "history-run" ? `Sparad ${formatStockholmDay(new Date(origin.createdAt))}` : "",
      );
    }
    ws.addRow([]);
  }
  const widths = [26, 24, 20, 12, 14, 46, 22, 16, 70];
  const head = header(ws, ["Indikator-id", "Enhet", "Uppdelning", "Visas som", "Ursprung", "Fil", "Flik", "Celler eller rader", "Anmärkning"]);
  ws.views = [{ state: "frozen", ySplit: head.number }];
  ws.pageSetup.printTitlesRow = `${head.number}:${head.number}`;
  for (const f of model.figures) {
    if (f.year !== model.year) continue;
    const where = placeOf(f.trace);
    const note = noteOf(f.trace, model);
    const row = ws.addRow([f.indicator, model.unitName(f.unit), f.breakdown, f.text, TRACE_KINDS[f.trace.kind], where.file, where.sheet, where.at, note]);
    row.alignment = { vertical: "top" };
    row.getCell(4).alignment = { horizontal: "right", vertical: "top" };
    row.getCell(9).alignment = { wrapText: true, vertical: "top" };
    // Spreadsheet programs do not grow a row for text a program wrote: a city's list of units would run into the next rows.
    const height = wrappedHeight([{ text: note, width: widths[8]! }]);
    if (height) row.height = height;
  }
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
}

/** What the columns do not say: the import's source and day, the approval, the city's rule and units. */
function noteOf(trace: FigureTrace, model: ReportModel): string {
  if (trace.kind === "typed" || trace.kind === "history-file") return "";
  if (trace.kind === "import") {
    return `${importSourceName(model.yc, trace.source)}, importerad ${formatStockholmDay(new Date(trace.importedAt))} av ${trace.by}; SHA-256 i underlaget ovan`;
  }
  return traceText(trace, model);
}

/** The file, tab and cells (or rows) of a trace, for the columns that can be filtered. */
function placeOf(trace: FigureTrace): { file: string; sheet: string; at: string } {
  if (trace.kind === "typed") return { file: trace.file, sheet: trace.sheet, at: trace.cells.join(", ") };
  if (trace.kind === "import") return { file: trace.file, sheet: "", at: trace.rows ?? "" };
  if (trace.kind === "history-file") return { file: trace.file, sheet: "", at: "" };
  return { file: "", sheet: "", at: "" };
}

/** Consecutive years read from the same place, as one line: "2016–2024". */
function historySpans(history: ReadonlyMap<number, HistoryOrigin>): { years: string; origin: HistoryOrigin }[] {
  const spans: { from: number; to: number; origin: HistoryOrigin; key: string }[] = [];
  for (const year of [...history.keys()].sort((a, b) => a - b)) {
    const origin = history.get(year)!;
    const key = JSON.stringify(origin);
    const last = spans.at(-1);
    if (last && last.key === key && last.to === year - 1) last.to = year;
    else spans.push({ from: year, to: year, origin, key });
  }
  return spans.map((s) => ({ years: s.from === s.to ? String(s.from) : `${s.from}–${s.to}`, origin: s.origin }));
}
