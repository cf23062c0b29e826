/**
 * The production path, on Google: read the year's spreadsheet (one request), validate, write
 * the findings back (one request); and for the full run, make every report and deliver it to
 * Drive. The same pipeline as the offline path, with the Google adapters.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { GoogleClients } from "../google/clients.js";
import { type DeliveredFile, deliverToDrive } from "../google/drive-delivery.js";
import { GoogleSheetsSource } from "../google/sheets-source.js";
import { buildWriteBack, writeBack } from "../google/write-back.js";
import type { History } from "../history/history.js";
import type { HistoryStore } from "../history/store.js";
import type { PdfPrinter } from "../render/pdf-printer.js";
import type { TemplateDefinition } from "../template/definition.js";
import { countErrors, countWarnings } from "../validate/findings.js";
import { validateSource } from "../validate/validate-source.js";
import type { ValidationResult } from "../validate/validate-submissions.js";
import { reportingRate } from "../aggregate/reporting-rate.js";
import { runYear } from "./run-year.js";

export interface GoogleRunInput {
  clients: GoogleClients;
  spreadsheetId: string;
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  maxChange: number;
  now: Date;
}

export interface ValidateSummary {
  year: number;
  errors: number;
  warnings: number;
  received: number;
  expected: number;
}

/** Validates the spreadsheet and writes the findings back into it. */
export async function validateAndWriteBack(input: GoogleRunInput): Promise<ValidateSummary> {
  const source = new GoogleSheetsSource(input.clients, input.spreadsheetId, input.definition.sheets.status);
  const result = await validateSource(source, input);
  if (source.read) {
    const requests = buildWriteBack({
      spreadsheet: source.read.spreadsheet,
      grid: source.read.grid,
      findings: result.findings,
      submissions: result.submissions,
      yc: input.yc,
      definition: input.definition,
      now: input.now,
    });
    await writeBack(input.clients, input.spreadsheetId, requests);
  } else {
    // The spreadsheet could not be read; the finding says why, and the run must fail loudly.
    throw new Error(result.findings[0]?.message ?? "Kalkylarket kunde inte läsas.");
  }
  return validationSummary(input.yc, result);
}

/** Counts of a validation: errors, warnings, and units received of those expected. */
export function validationSummary(yc: YearCatalogue, result: Pick<ValidationResult, "findings" | "submissions">): ValidateSummary {
  const { received, expected } = reportingRate(yc, result.submissions);
  return { year: yc.year, errors: countErrors(result.findings), warnings: countWarnings(result.findings), received, expected };
}

export interface ReportRunInput extends GoogleRunInput {
  folderId: string;
  readers: string[];
  store?: HistoryStore;
  launchPrinter: () => Promise<PdfPrinter>;
  progress: (line: string) => void;
}

/** The full run on the spreadsheet, with every report delivered to the Drive folder. */
export async function reportAndDeliver(input: ReportRunInput): Promise<ValidateSummary & { files: DeliveredFile[] }> {
  const outDir = await mkdtemp(join(tmpdir(), "hp-run-"));
  try {
    const result = await runYear({ ...input, source: new GoogleSheetsSource(input.clients, input.spreadsheetId, input.definition.sheets.status), outDir });
    if (result.failures.length > 0) {
      throw new Error(`Rapporter kunde inte skapas: ${result.failures.map((f) => `${f.what}: ${f.message}`).join("; ")}`);
    }
    const files = await deliverToDrive(input.clients, input.folderId, result.published, input.readers);
    return { ...validationSummary(input.yc, result.aggregate.validation), files };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
