/**
 * The whole run for a year: validate → aggregate → render, writing everything to one folder.
 * Progress is told per stage and per unit. A unit with errors still gets its page, and a
 * page that fails to render is reported while the others are still made.
 */
import { join } from "node:path";
import type { PdfPrinter } from "../render/pdf-printer.js";
import { printReport, renderBoardHtml, renderDistrictHtml } from "../render/render-reports.js";
import { writeFileAtomic } from "../shared/write-file-atomic.js";
import { type AggregateYearInput, type AggregateYearResult, aggregateYear } from "./aggregate-year.js";
import { reportModelOf, writeAggregateOutputs } from "./write-outputs.js";

export interface RunYearInput extends AggregateYearInput {
  outDir: string;
  /** Starts the PDF printer; called once, closed at the end whatever happens. */
  launchPrinter: () => Promise<PdfPrinter>;
  progress: (line: string) => void;
}

export interface RunYearResult {
  aggregate: AggregateYearResult;
  /** Everything written, the project leader's files (aggregates.json, findings.json) included. */
  files: string[];
  /**
   * What report readers receive: the Excel report and the PDFs. findings.json quotes
   * reporters' raw values and aggregates.json carries coverage detail, so neither is shared.
   */
  published: string[];
  /** Pages that could not be made, with why. */
  failures: { what: string; message: string }[];
}

export async function runYear(input: RunYearInput): Promise<RunYearResult> {
  const { yc, progress, outDir, now } = input;
  progress(`1/3 Kontroll av inlämningarna för ${yc.year}`);
  const aggregate = await aggregateYear(input);
  const names = new Map([...yc.units.map((u) => [u.id, u.name] as const), ["central", input.definition.sheets.central]]);
  const order = (reporter: string) => {
    const i = yc.units.findIndex((u) => u.id === reporter);
    return i < 0 ? yc.units.length : i;
  };
  for (const s of [...aggregate.validation.submissions].sort((a, b) => order(a.reporter) - order(b.reporter))) {
    progress(`    ${names.get(s.reporter) ?? s.reporter}: ${s.errors} fel, ${s.warnings} varningar (${s.file})`);
  }
  for (const r of aggregate.reporting.units.filter((u) => !u.received)) progress(`    ${names.get(r.reporter)}: ingen inlämning`);

  progress("2/3 Sammanställning och Excelrapport");
  const model = reportModelOf(aggregate, input.definition, yc);
  const written = await writeAggregateOutputs(outDir, aggregate, model, input.definition, now);
  const files = Object.values(written);
  const published = [written.excel];

  progress("3/3 Nämndrapport och sidor per enhet (PDF)");
  const failures: RunYearResult["failures"] = [];
  const printer = await input.launchPrinter();
  try {
    const board = await renderBoardHtml(model, aggregate.aggregates.trends, now);
    const boardFile = join(outDir, `uppfoljning-${yc.year}.pdf`);
    await writeFileAtomic(boardFile, await printReport(printer, board, yc.year, now));
    files.push(boardFile);
    published.push(boardFile);
    progress("    nämndrapporten klar");
    for (const unit of yc.units) {
      try {
        const page = await renderDistrictHtml(model, unit, aggregate.aggregates.trends, aggregate.validation.observations, now);
        const file = join(outDir, "enheter", `${yc.year}-${unit.id}.pdf`);
        await writeFileAtomic(file, await printReport(printer, page, yc.year, now));
        files.push(file);
        published.push(file);
        progress(`    ${unit.name} klar`);
      } catch (error) {
        failures.push({ what: unit.name, message: (error as Error).message });
        progress(`    ${unit.name}: kunde inte skapas: ${(error as Error).message}`);
      }
    }
  } finally {
    await printer.close();
  }
  return { aggregate, files, published, failures };
}
