/**
 * `hp sheet create`: makes the year's shared spreadsheet in one spreadsheets.create call.
 * Creating is not safe to repeat (a lost answer would leave two spreadsheets), so it is not
 * retried; a failure says so, and nothing is left half-made by this call.
 */
import type { GoogleClients } from "./clients.js";
import { callOptions } from "./retry.js";
import { buildSpreadsheet, type SheetTemplateInput } from "./sheet-template.js";

export async function createYearSpreadsheet(
  clients: GoogleClients,
  input: SheetTemplateInput,
): Promise<{ id: string; url: string }> {
  const res = await clients.sheets.spreadsheets.create(
    { requestBody: buildSpreadsheet(input), fields: "spreadsheetId,spreadsheetUrl" },
    callOptions(clients.retry, false),
  );
  const id = res.data.spreadsheetId!;
  return { id, url: res.data.spreadsheetUrl ?? `https://docs.google.com/spreadsheets/d/${id}/edit` };
}
