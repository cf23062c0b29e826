/**
 * The whole run for a year: validate → aggregate → render, every file written into one output
 * set, which is made current together with the year's snapshot only when all of it is made.
 * Progress is told per stage and per unit. A unit with errors still gets its page, and a page
 * that fails to render is reported while the others are still made.
 */
import type { ReportSink, SinkFile } from "../output/report-sink.js";
import type { OfficialsText } from "../report/officials-text.js";
import type { PdfPrinter } from "../render/pdf-printer.js";
import { boardWordFile, printReport, renderBoardHtml, renderDistrictHtml } from "../render/render-reports.js";
import { standingLines } from "./year-status.js";
import { type AggregateYearInput, type AggregateYearResult, aggregateYear } from "./aggregate-year.js";
import { inCatalogueOrder, submissionResult } from "./check-year.js";
import { inOutputSet, outputNames, reportModelOf, writeAggregateOutputs } from "./write-outputs.js";

export interface RunYearInput extends AggregateYearInput {
  sink: ReportSink;
  /** Starts the PDF printer; called once, closed at the end whatever happens. */
  launchPrinter: () => Promise<PdfPrinter>;
  progress: (line: string) => void;
  /** The officials' text for the board paper; without it every such section is a marked draft. */
  officialsText?: OfficialsText;
}

export interface RunYearResult {
  aggregate: AggregateYearResult;
  /** Everything written, the project leader's files (aggregates.json, findings.json) included. */
  written: SinkFile[];
  /** Where each written file is (paths for a folder). */
  files: string[];
  /**
   * What report readers receive: the Excel report and the PDFs. findings.json quotes
   * reporters' raw values and aggregates.json carries coverage detail, so neither is shared.
   */
  published: string[];
  /** Pages that could not be made, with why. */
  failures: { what: string; message: string }[];
  /** The board paper's sections that still have only generated draft text, or are missing. */
  drafts: string[];
}

/** Which sections of the board paper still show only generated draft text, and where to write them. */
export function draftsSentence(drafts: string[], source: string): string {
  return `Nämndrapporten har bara förslag till text (märkt ej granskad) i: ${drafts.join(", ")}. Skriv förvaltningarnas text i ${source}.`;
}

export async function runYear(input: RunYearInput): Promise<RunYearResult> {
  const { yc, progress, sink, now, definition } = input;
  progress(`1/3 Kontroll av inlämningarna för ${yc.year}`);
  const aggregate = await aggregateYear(input);
  for (const s of inCatalogueOrder(yc, aggregate.validation.submissions)) {
    progress(`    ${submissionResult(yc, definition, s)} (${s.file})`);
  }
  for (const line of standingLines(yc, definition, aggregate.reporting.units, input.preview ? " (med som utkast i förhandsvisningen)" : "")) progress(`    ${line}`);

  if (yc.signatures.length === 0) progress(`    Nämndrapporten saknar underskrifter: ange namn, titel och förvaltning under signatures för ${yc.year} i years.yaml.`);
  if (!yc.officer) progress(`    Nämndrapporten saknar handläggare: ange officer ({ name, phone }) för ${yc.year} i years.yaml.`);
  progress("2/3 Sammanställning och Excelrapport");
  const model = reportModelOf(aggregate, definition, yc);
  const failures: RunYearResult["failures"] = [];
  let drafts: string[] = [];
  const written = await inOutputSet(sink, aggregate, yc.units.map((u) => u.id), input.store, async (set) => {
    await writeAggregateOutputs(set, aggregate, model, definition, now);
    const names = outputNames(yc.year);
    progress("3/3 Nämndrapport och sidor per enhet (PDF)");
    const printer = await input.launchPrinter();
    try {
      const board = await renderBoardHtml(model, aggregate.aggregates.trends, now, input.officialsText);
      drafts = board.paper.drafts;
      await set.write(names.board, await printReport(printer, board, yc.year, now), { published: true });
      await set.write(names.boardWord, await boardWordFile(printer, board.paper, now), { published: true });
      progress("    nämndrapporten klar (PDF och Word)");
      for (const unit of yc.units) {
        try {
          const page = await renderDistrictHtml(model, unit, aggregate.aggregates.trends, aggregate.validation.observations, now);
          await set.write(names.unitPage(unit.id), await printReport(printer, page, yc.year, now), { published: true });
          progress(`    ${unit.name} klar`);
        } catch (error) {
          failures.push({ what: unit.name, message: (error as Error).message });
          progress(`    ${unit.name}: kunde inte skapas: ${(error as Error).message}`);
        }
      }
    } finally {
      await printer.close();
    }
  });
  return {
    aggregate,
    written,
    files: written.map((f) => f.location),
    published: written.filter((f) => f.published).map((f) => f.location),
    failures,
    drafts,
  };
}
