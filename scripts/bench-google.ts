/**
 * The Google part of `npm run bench`: the number of Sheets requests one validation run makes
 * against the local stand-in of the API, with all 15 units' tabs and the central tab filled.
 * Run by bench.ts.
 */
import { OAuth2Client } from "google-auth-library";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { googleClients } from "../functions/google/clients.js";
import { createYearSpreadsheet } from "../functions/google/create-spreadsheet.js";
import { readHistoryCsv } from "../functions/history/history.js";
import { validateAndWriteBack } from "../functions/pipeline/google-run.js";
import { defaultHistoryFile, projectRoot } from "../functions/shared/paths.js";
import { templateDefinition } from "../functions/template/definition.js";
import { readXlsxGrid } from "../functions/workbook/read-xlsx.js";
import { GoogleApiStandIn, SERVICE_ACCOUNT } from "../tests/stand-in/google-api.js";
import { join } from "node:path";
import { readdir } from "node:fs/promises";

const standIn = await new GoogleApiStandIn().start();
try {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: `as:${SERVICE_ACCOUNT}`, expiry_date: Date.now() + 3_600_000 });
  const clients = await googleClients({ rootUrl: standIn.url, auth });
  const catalogue = await loadCatalogue();
  const yc = catalogueForYear(catalogue, 2025);
  const definition = templateDefinition();
  const history = await readHistoryCsv(defaultHistoryFile());
  const leaders = ["projektledare@stad.example"];
  const { id } = await createYearSpreadsheet(clients, { yc, definition, history, editors: {}, projectLeaders: leaders, serviceAccount: SERVICE_ACCOUNT }, standIn.sharedFolder());
  // Every example tab typed into the spreadsheet, as reporters would.
  const folder = join(projectRoot(), "sheets", "exempel");
  let tabs = 0;
  for (const name of (await readdir(folder)).filter((n) => n.endsWith(".xlsx"))) {
    const grid = await readXlsxGrid(join(folder, name), name);
    for (const sheet of grid.sheets.filter((s) => s.state === "visible" && s.name !== definition.sheets.instructions)) {
      const target = standIn.spreadsheets.get(id)!.sheets!.find((s) => s.properties?.title === sheet.name)!;
      target.data = [{ startRow: 0, startColumn: 0, rowData: [] }];
      for (let r = 1; r <= sheet.rowCount; r++) {
        for (let c = 1; c <= sheet.columnCount; c++) {
          const v = sheet.cell(r, c)?.value;
          if (typeof v === "number" || typeof v === "string") standIn.type(id, sheet.name, `${String.fromCharCode(64 + c)}${r}`, v);
        }
      }
      tabs++;
    }
  }
  const before = { get: standIn.count("sheets.get"), update: standIn.count("sheets.batchUpdate") };
  const summary = await validateAndWriteBack({ clients, spreadsheetId: id, yc, definition, history, maxChange: 0.5, now: new Date() });
  process.stdout.write(
    JSON.stringify({
      tabs,
      received: summary.received,
      reads: standIn.count("sheets.get") - before.get,
      writes: standIn.count("sheets.batchUpdate") - before.update,
    }),
  );
} finally {
  await standIn.stop();
}
