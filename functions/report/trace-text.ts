/**
 * A figure's trace in Swedish, one text for the Excel report's Källor tab and `hp explain`:
 * "Inskrivet i 2025-bromma.xlsx, fliken Bromma, cell F14", "Importerat från Incidenter: …",
 * "Summa för enheterna: 14 enheter (…)".
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { formatStockholmDay, joinSv, sortSv } from "../shared/format-sv.js";
import type { FigureTrace } from "./figures.js";
import { FIGURE_KINDS } from "./legend.js";

export interface TraceContext {
  yc: YearCatalogue;
  unitName(id: string): string;
}

/** The kind of origin, as a word for a column. */
export const TRACE_KINDS: Record<FigureTrace["kind"], string> = {
  typed: "Inskrivet",
  approved: "Godkänt",
  import: "Import",
  "history-file": "Historik",
  "history-run": "Historik",
  merged: "Sammanslagning",
  city: "Sammanvägt",
  none: "Inget värde",
};

/** A source's name as the catalogue gives it ("Medarbetarenkäten"), from the id a stored trace or import carries. */
export function importSourceName(yc: YearCatalogue, source: string): string {
  return yc.catalogue.imports[source as keyof YearCatalogue["catalogue"]["imports"]]?.name ?? source;
}

/** The run's id as people quote it: its first eight characters. */
export const shortRun = (runId: string) => runId.slice(0, 8);

const day = (iso: string) => formatStockholmDay(new Date(iso));
const capital = (text: string) => text.charAt(0).toLocaleUpperCase("sv-SE") + text.slice(1);

export function traceText(trace: FigureTrace, context: TraceContext): string {
  switch (trace.kind) {
    case "typed":
      return `Inskrivet i ${trace.file}, fliken ${trace.sheet}, ${trace.cells.length === 1 ? "cell" : "cellerna"} ${joinSv(trace.cells)}`;
    case "approved":
      return `Godkänt ${day(trace.at)} av ${trace.by}: värdet som godkändes, sparat i historiken`;
    case "import": {
      const source = importSourceName(context.yc, trace.source);
      const rows = trace.rows ? `, rad ${trace.rows}` : "";
      return `Importerat från ${source}: ${trace.file} (SHA-256 ${trace.sha256.slice(0, 12)}…)${rows}, ${day(trace.importedAt)} av ${trace.by}`;
    }
    case "history-file":
      return `Historikfilen ${trace.file}`;
    case "history-run":
      return `Sparad körning${trace.runId ? ` ${shortRun(trace.runId)}` : ""} ${day(trace.createdAt)}`;
    case "merged":
      return `Sammanslaget av ${joinSv(trace.units.map(context.unitName))}`;
    case "city":
      return trace.units.length === 0
        ? `${capital(FIGURE_KINDS[trace.rule])}: ingen enhet med värde`
        : `${capital(FIGURE_KINDS[trace.rule])}: ${trace.units.length} ${trace.units.length === 1 ? "enhet" : "enheter"} (${joinSv(sortSv(trace.units.map(context.unitName)))})`;
    case "none":
      return "Inget värde lämnat";
  }
}
