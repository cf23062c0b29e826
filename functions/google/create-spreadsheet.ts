/**
 * `hp sheet create`: makes the year's shared spreadsheet in a shared-drive folder. A service
 * account has no Drive storage of its own, so spreadsheets.create (which puts the file in the
 * caller's My Drive) fails for it with storageQuotaExceeded; instead Drive creates an empty
 * spreadsheet in the folder (owned by the shared drive), and batchUpdates write the whole
 * template into it: tabs, cells, formats, validation, notes, sizes and protections, in order,
 * each batch under 1 MB (batches.ts). No call is repeated on its own (a lost answer would leave
 * two spreadsheets, or a batch applied twice); if any batch fails, the spreadsheet is moved to
 * the trash, so nothing half-made is left.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { HpError } from "../shared/errors.js";
import type { GoogleClients } from "./clients.js";
import { inBatches } from "./batches.js";
import { describeGoogleError } from "./errors.js";
import { callOptions } from "./retry.js";
import { buildSpreadsheet, type SheetTemplateInput } from "./write-template-sheets.js";

export const SPREADSHEET_TYPE = "application/vnd.google-apps.spreadsheet";

export async function createYearSpreadsheet(
  clients: GoogleClients,
  input: SheetTemplateInput,
  folderId: string,
): Promise<{ id: string; url: string }> {
  const spreadsheet = buildSpreadsheet(input);
  const file = await clients.drive.files.create(
    {
      requestBody: { name: spreadsheet.properties?.title ?? "Uppföljning", mimeType: SPREADSHEET_TYPE, parents: [folderId] },
      supportsAllDrives: true,
      fields: "id",
    },
    callOptions(clients.retry, false),
  );
  const id = file.data.id!;
  try {
    for (const requests of inBatches(templateRequests(spreadsheet))) {
      await clients.sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests }, fields: "spreadsheetId" }, callOptions(clients.retry, false));
    }
  } catch (error) {
    await trashFile(clients, id).catch(() => undefined);
    throw new HpError("google", `Mallen kunde inte skrivas in i det nya kalkylarket, som lagts i papperskorgen: ${describeGoogleError(error)}`);
  }
  return { id, url: `https://docs.google.com/spreadsheets/d/${id}/edit` };
}

/** Moves a file to the trash (a content manager may; only a manager may delete for good). */
export async function trashFile(clients: GoogleClients, fileId: string): Promise<void> {
  await clients.drive.files.update({ fileId, supportsAllDrives: true, fields: "id", requestBody: { trashed: true } }, callOptions(clients.retry, true));
}

/** The spreadsheet as requests on a new, empty one (whose only tab has sheetId 0). */
export function templateRequests(spreadsheet: sheets_v4.Schema$Spreadsheet): sheets_v4.Schema$Request[] {
  const sheets = spreadsheet.sheets ?? [];
  const { title, locale, timeZone } = spreadsheet.properties ?? {};
  const requests: sheets_v4.Schema$Request[] = [
    { updateSpreadsheetProperties: { properties: { title, locale, timeZone }, fields: "title,locale,timeZone" } },
  ];
  for (const [index, sheet] of sheets.entries()) {
    const data = sheet.data?.[0];
    const rows = data?.rowData?.length ?? 0;
    const columns = Math.max(0, ...(data?.rowData ?? []).map((r) => r.values?.length ?? 0));
    const properties = { ...sheet.properties, index };
    properties.gridProperties = { ...properties.gridProperties, rowCount: Math.max(1000, rows), columnCount: Math.max(26, columns) };
    requests.push({ addSheet: { properties } });
  }
  requests.push({ deleteSheet: { sheetId: 0 } });
  for (const sheet of sheets) {
    const sheetId = sheet.properties!.sheetId!;
    const data = sheet.data?.[0];
    if (data?.rowData?.length) {
      requests.push({
        updateCells: {
          start: { sheetId, rowIndex: 0, columnIndex: 0 },
          rows: data.rowData,
          fields: "userEnteredValue,userEnteredFormat,note,dataValidation",
        },
      });
    }
    requests.push(...dimensionRequests(sheetId, "ROWS", data?.rowMetadata ?? []), ...dimensionRequests(sheetId, "COLUMNS", data?.columnMetadata ?? []));
    for (const { protectedRangeId: _, ...range } of sheet.protectedRanges ?? []) requests.push({ addProtectedRange: { protectedRange: range } });
  }
  return requests;
}

/** Row heights or column widths, one request per run of equal sizes. */
function dimensionRequests(sheetId: number, dimension: "ROWS" | "COLUMNS", sizes: sheets_v4.Schema$DimensionProperties[]): sheets_v4.Schema$Request[] {
  const out: sheets_v4.Schema$Request[] = [];
  let start = 0;
  for (let i = 1; i <= sizes.length; i++) {
    const size = sizes[start]?.pixelSize;
    if (i < sizes.length && sizes[i]?.pixelSize === size) continue;
    if (size) {
      out.push({ updateDimensionProperties: { range: { sheetId, dimension, startIndex: start, endIndex: i }, properties: { pixelSize: size }, fields: "pixelSize" } });
    }
    start = i;
  }
  return out;
}
