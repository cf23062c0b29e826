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
import { TRACE_KINDS, traceText } from "./trace-text.js";
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
    header(ws, ["Underlag", "Fil", "SHA-256", "Anmärkning"]);
    for (const input of p.inputs) ws.addRow(["Arbetsbok", input.file, input.sha256, ""]);
    for (const i of p.imports) {
      const name = model.yc.catalogue.imports[i.source as keyof ReportModel["yc"]["catalogue"]["imports"]]?.name ?? i.source;
      ws.addRow([
        `Import: ${name}`,
        i.file.name,
        i.file.sha256,
        `${i.file.format}; ${i.rowsUsed} av ${i.rowsRead} rader används; importerad ${formatStockholmDay(new Date(i.importedAt))} av ${i.by}. Bara antalen sparas, aldrig raderna.`,
      ]);
    }
    for (const { years, origin } of historySpans(p.history)) {
      ws.addRow([`Historik ${years}`, origin.kind === "history-file" ? origin.file : `Sparad körning${origin.runId ? ` ${origin.runId}` : ""}`, "", origin.kind === "history-run" ? `Sparad ${formatStockholmDay(new Date(origin.createdAt))}` : ""]);
    }
    ws.addRow([]);
  }
  const head = header(ws, ["Indikator-id", "Enhet", "Uppdelning", "Visas som", "Ursprung", "Fil", "Flik", "Celler eller rader", "Varifrån"]);
  ws.views = [{ state: "frozen", ySplit: head.number }];
  ws.pageSetup.printTitlesRow = `${head.number}:${head.number}`;
  for (const f of model.figures) {
    if (f.year !== model.year) continue;
    const where = placeOf(f.trace);
    const row = ws.addRow([f.indicator, model.unitName(f.unit), f.breakdown, f.text, TRACE_KINDS[f.trace.kind], where.file, where.sheet, where.at, traceText(f.trace, model)]);
    row.getCell(4).alignment = { horizontal: "right" };
    row.getCell(9).alignment = { wrapText: true, vertical: "top" };
  }
  [26, 24, 20, 12, 14, 30, 18, 16, 80].forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
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
