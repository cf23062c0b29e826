/**
 * The nightly check on Google: read the year's spreadsheet (one request), validate, and write
 * the findings back (one request). The same check as offline, with the Sheets source.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { GoogleClients } from "../google/clients.js";
import { GoogleSheetsSource } from "../google/sheets-source.js";
import type { History } from "../history/history.js";
import type { TemplateDefinition } from "../template/definition.js";
import type { ImportStore } from "../imports/import-store.js";
import { checkYear, type ValidateSummary, validationSummary } from "./check-year.js";

export interface GoogleRunInput {
  clients: GoogleClients;
  spreadsheetId: string;
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  maxChange: number;
  now: Date;
  /** The imports from the systems that hold the figures: their rows are not read, and say so. */
  imports?: ImportStore;
}

/** Validates the spreadsheet and writes the findings back into it. */
export async function validateAndWriteBack(input: GoogleRunInput): Promise<ValidateSummary> {
  const source = new GoogleSheetsSource(input.clients, input.spreadsheetId, input.definition.sheets.status, () => input.now);
  return validationSummary(input.yc, await checkYear({ ...input, source }));
}
