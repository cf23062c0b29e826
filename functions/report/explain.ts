/**
 * `hp explain`: where each published figure of an indicator came from, in Swedish, from a
 * run's figures as it published them (aggregates.json): the city's rule, units and coverage,
 * and for each unit the file, tab and cells, the import, or why it has no value.
 */
import { breakdownParts, CITY } from "../catalogue/catalogue-for-year.js";
import type { Indicator } from "../catalogue/schema.js";
import { formatStockholmTime } from "../shared/format-sv.js";
import type { PublishedFigure } from "./figures.js";
import { missingReasonText } from "./legend.js";
import type { ImportUsed } from "./provenance.js";
import { importSourceName, type TraceContext, traceText } from "./trace-text.js";
import { coverageText } from "./xlsx-data.js";

/** Why a figure is hidden, without saying which rule hid it: that would tell which group is the small one. */
const SUPPRESSED_WHY = "skyddad: gruppen är för liten, eller uppgiften skulle låta en annan skyddad uppgift räknas fram";

export interface PublishedRun {
  generatedAt: string;
  inputs?: { file: string; sha256: string }[];
  imports?: ImportUsed[];
  rows: PublishedFigure[];
}

export function explainLines(run: PublishedRun, indicator: Indicator, year: number, context: TraceContext, unit?: string): string[] {
  const parts = new Map(breakdownParts(context.yc.catalogue, indicator.breakdown).map((p) => [p.key, p]));
  const figures = run.rows.filter((f) => f.indicator === indicator.id && f.year === year && (unit === undefined || f.unit === unit));
  const imports = (run.imports ?? []).map((i) => `${importSourceName(context.yc, i.source)} (${i.file.name}, SHA-256 ${i.file.sha256.slice(0, 12)}…)`);
  const lines = [
    `${indicator.title} (${indicator.id}), ${year}`,
    `Körningen ${formatStockholmTime(new Date(run.generatedAt))}. Underlag: ${run.inputs?.length ?? 0} arbetsböcker${imports.length > 0 ? `; import från ${imports.join(", ")}` : ""}.`,
  ];
  if (figures.length === 0) return [...lines, "", "Körningen har ingen siffra för det."];
  // The city first, then the units in the catalogue's order.
  const order = new Map([CITY.id, ...context.yc.units.map((u) => u.id)].map((id, i) => [id, i]));
  const sorted = [...figures].sort((a, b) => (order.get(a.unit) ?? 999) - (order.get(b.unit) ?? 999));
  for (const f of sorted) {
    const part = parts.get(f.breakdown);
    const label = `${context.unitName(f.unit)}${part && !part.isTotal ? `, ${part.label.toLocaleLowerCase("sv-SE")}` : ""}${f.aggregation === "unweighted-mean" ? " (ovägt medelvärde)" : ""}`;
    const state = f.status === "suppressed" ? SUPPRESSED_WHY : f.status === "withheld" ? "redovisas inte: alla enheter ingår inte" : "";
    const why = [state, f.unit === CITY.id ? coverageText(f, indicator, context) : f.reason ? missingReasonText(f.reason, indicator.reportedBy === "central") : ""].filter(Boolean).join("; ");
    lines.push("", `${label}: ${f.text}${why ? ` (${why})` : ""}`);
    lines.push(`  ${f.trace ? traceText(f.trace, context) : "Körningen gjordes innan siffrorna fick sina källor: kör hp run igen."}`);
  }
  return lines;
}
