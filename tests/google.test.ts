import { mkdir, readFile, writeFile } from "node:fs/promises";
import { strFromU8, unzipSync } from "fflate";
import { basename, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import type { GoogleClients } from "../functions/google/clients.js";
import { createYearSpreadsheet } from "../functions/google/create-spreadsheet.js";
import { deliverToDrive } from "../functions/google/drive-sink.js";
import { GoogleSheetsSource } from "../functions/google/sheets-source.js";
import { readTextTab } from "../functions/google/text-tab.js";
import { aggregateYear } from "../functions/pipeline/aggregate-year.js";
import { validateAndWriteBack } from "../functions/pipeline/google-run.js";
import { importYear } from "../functions/pipeline/import-year.js";
import { MemoryImportStore } from "../functions/imports/import-store.js";
import { reportModelOf } from "../functions/pipeline/write-outputs.js";
import { boardWordFile, renderBoardHtml } from "../functions/render/render-reports.js";
import { readSubmission } from "../functions/submission/read-submission.js";
import { XlsxFileSource } from "../functions/submission/source.js";
import { columnOf, INDICATOR_COLUMN_KEYS } from "../functions/template/definition.js";
import { validateSubmissions } from "../functions/validate/validate-submissions.js";
import { readXlsxGrid } from "../functions/workbook/read-xlsx.js";
import { context, EXAMPLES, example, ROOT, tempDir } from "./helpers.js";
import { GoogleApiStandIn, SERVICE_ACCOUNT, standInClients } from "./stand-in/google-api.js";
import { MemoryPrinter } from "../functions/render/memory-printer.js";

let standIn: GoogleApiStandIn;
let clients: GoogleClients;
beforeAll(async () => {
  standIn = await new GoogleApiStandIn().start();
  // A client timeout no loaded machine reaches; the slow-answer test hangs a request instead.
  clients = await standInClients(standIn, { attempts: 5, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 30_000 });
});
afterAll(() => standIn.stop());
afterEach(() => standIn.clearFaults());

async function newSpreadsheet() {
  const { catalogue, history, definition } = await context();
  const yc = catalogueForYear(catalogue, 2025);
  const created = await createYearSpreadsheet(clients, {
    yc,
    definition,
    history,
    editors: { bromma: ["rapportor@bromma.example"], skarpnack: ["rapportor@skarpnack.example"] },
    projectLeaders: ["projektledare@stad.example"],
    serviceAccount: SERVICE_ACCOUNT,
  }, standIn.sharedFolder());
  return { ...created, yc, definition, history };
}

/** Copies a tab of an .xlsx into the spreadsheet, cell for cell, as if typed there. */
async function copyTab(spreadsheetId: string, file: string, tab: string) {
  const grid = await readXlsxGrid(file, file);
  const sheet = grid.sheets.find((s) => s.name === tab)!;
  const target = standIn.spreadsheets.get(spreadsheetId)!.sheets!.find((s) => s.properties?.title === tab)!;
  target.data = [{ startRow: 0, startColumn: 0, rowData: [] }];
  for (let r = 1; r <= sheet.rowCount; r++) {
    for (let c = 1; c <= sheet.columnCount; c++) {
      const v = sheet.cell(r, c)?.value;
      if (typeof v === "number" || typeof v === "string") {
        standIn.type(spreadsheetId, tab, `${String.fromCharCode(64 + c)}${r}`, v);
      }
    }
  }
}

describe("the Google Sheets front end, through the real googleapis client", () => {
  it("creates the year's spreadsheet in the shared drive, then writes it in batches under 1 MB: tabs, validation, notes, protection, last year's values", async () => {
    const before = { create: standIn.count("drive.createMeta"), batch: standIn.count("sheets.batchUpdate") };
    const { id, url } = await newSpreadsheet();
    expect(standIn.count("drive.createMeta") - before.create).toBe(1);
    // The city's template is 2–3 MB of requests: a few batches, each under 1 MB (tests/sheets-batches.test.ts).
    const batches = standIn.count("sheets.batchUpdate") - before.batch;
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThanOrEqual(4);
    expect(standIn.count("sheets.create")).toBe(0);
    expect(standIn.files.get(id)).toMatchObject({ driveId: expect.any(String), owner: undefined });
    expect(url).toBe(`https://docs.google.com/spreadsheets/d/${id}/edit`);
    const spreadsheet = standIn.spreadsheets.get(id)!;
    const titles = spreadsheet.sheets!.map((s) => s.properties!.title);
    expect(titles).toHaveLength(21);
    expect(titles.slice(0, 3)).toEqual(["Instruktioner", "Listor", "Rinkeby-Kista"]);
    expect(titles.slice(-4)).toEqual(["Central rapportering", "Valideringsstatus", "Rapporttext", "Mallinfo"]);
    expect(spreadsheet.sheets!.find((s) => s.properties!.title === "Mallinfo")!.properties!.hidden).toBe(true);
    const bromma = spreadsheet.sheets!.find((s) => s.properties!.title === "Bromma")!;
    const [whole, ...inputs] = bromma.protectedRanges!;
    // The service account writes the findings back, so it is an editor of every protected range.
    expect(whole!.editors!.users).toEqual(["projektledare@stad.example", SERVICE_ACCOUNT]);
    expect(bromma.protectedRanges!.every((p) => p.editors!.users!.includes(SERVICE_ACCOUNT))).toBe(true);
    expect(whole!.unprotectedRanges!.length).toBeGreaterThan(0);
    expect(inputs.every((p) => p.editors!.users!.includes("rapportor@bromma.example") && !p.editors!.users!.includes("rapportor@skarpnack.example"))).toBe(true);
    // Row 7 is the first indicator row: its value cell is validated, its indicator has a note.
    const row7 = bromma.data![0]!.rowData![6]!.values!;
    expect(row7[0]!.userEnteredValue!.stringValue).toBe("fa1-hot-vald-incidenter");
    expect(row7[2]!.note).toBe("Antal rapporterade incidenter/stadsdelsförvaltning angående hot och våld samt otillåten påverkan.");
    expect(row7[7]!.dataValidation!.condition!.type).toBe("CUSTOM_FORMULA");
    expect(row7[6]!.userEnteredValue!.numberValue).toEqual(expect.any(Number));
  });

  it("reads all tabs in one request and writes back in one, with the same findings and cells as the .xlsx path", async () => {
    const { id, yc, definition, history } = await newSpreadsheet();
    await copyTab(id, example("skarpnack"), "Skarpnäck");
    await copyTab(id, example("bromma"), "Bromma");
    const [gets, updates] = [standIn.count("sheets.get"), standIn.count("sheets.batchUpdate")];
    const summary = await validateAndWriteBack({ clients, spreadsheetId: id, yc, definition, history, maxChange: 0.5, now: new Date("2026-02-10T12:00:00Z") });
    expect(standIn.count("sheets.get") - gets).toBe(1);
    expect(standIn.count("sheets.batchUpdate") - updates).toBe(1);
    // Skarpnäck is marked ready but has errors: told so, and not counted as submitted.
    expect(summary).toMatchObject({ errors: 7, warnings: 3 + 14, received: 1 });

    // The same workbooks through the .xlsx path give the same codes at the same cells.
    const xlsx = await Promise.all(["skarpnack", "bromma"].map((u) => readXlsxGrid(example(u), example(u))));
    const offline = validateSubmissions(xlsx.map((g) => readSubmission(g, yc, definition)), { yc, definition, history, maxChange: 0.5 });
    const key = (f: { code: string; sheet: string | null; cell: string | null }) => `${f.code} ${f.sheet}!${f.cell}`;
    const onlineFindings = await (async () => {
      const { GoogleSheetsSource } = await import("../functions/google/sheets-source.js");
      const { validateSource } = await import("../functions/validate/validate-source.js");
      const result = await validateSource(new GoogleSheetsSource(clients, id, definition.sheets.status), { yc, definition, history, maxChange: 0.5 });
      // Each unit's own tab has its address (reminders and the page link to it, not to the whole spreadsheet).
      const bromma = standIn.spreadsheets.get(id)!.sheets!.find((s) => s.properties!.title === "Bromma")!.properties!.sheetId;
      expect(result.submissions.find((s) => s.reporter === "bromma")?.link).toBe(`https://docs.google.com/spreadsheets/d/${id}/edit#gid=${bromma}`);
      return result.findings;
    })();
    const notMissing = (f: { code: string }) => f.code !== "UNIT_MISSING";
    expect(onlineFindings.filter(notMissing).map(key).sort()).toEqual(offline.findings.filter(notMissing).map(key).sort());

    // Write-back: the Kontroll cell of each row with a finding, never an input cell.
    const row13 = standIn.cell(id, "Skarpnäck", 12, columnOf(INDICATOR_COLUMN_KEYS, "check") - 1)!;
    expect(row13.userEnteredValue!.stringValue).toMatch(/^1 fel: Värde: .* blir tillsammans/);
    expect(row13.note).toContain("→ Rätta totalen eller delarna");
    expect(standIn.cell(id, "Skarpnäck", 18, 7)!.userEnteredValue!.stringValue).toBe("två");
    const status = standIn.spreadsheets.get(id)!.sheets!.find((s) => s.properties!.title === "Valideringsstatus")!;
    const row = (name: string) => status.data![0]!.rowData!.find((r) => r.values?.[0]?.userEnteredValue?.stringValue === name)!;
    const shown = (name: string) => row(name).values!.slice(0, 9).map((v) => v.userEnteredValue?.stringValue ?? v.userEnteredValue?.numberValue ?? "");
    // Swedish time; ready from when the run first saw the mark; Skarpnäck is ready but has errors.
    expect(shown("Skarpnäck")).toEqual(["Skarpnäck", "klar med fel", "2026-02-10 13:00", "", 7, 3, 1, "2026-02-10 13:00", ""]);
    expect(shown("Bromma")).toEqual(["Bromma", "inlämnad", "2026-02-10 13:00", "Ja", 0, 0, 0, "2026-02-10 13:00", ""]);
    expect(shown("Farsta")).toEqual(["Farsta", "inte påbörjad", "", "", 0, 0, 0, "", ""]);
    expect(row("Bromma").values![0]!.userEnteredFormat?.textFormat?.link?.uri).toMatch(new RegExp(`/spreadsheets/d/${id}/edit#gid=\\d+$`));
  });

  it("marks the cell to fix, clears it when fixed, and locks and opens a unit the project leader approves", async () => {
    const { id, yc, definition, history } = await newSpreadsheet();
    await copyTab(id, example("bromma"), "Bromma");
    const run = async (at: string) => {
      const [gets, updates] = [standIn.count("sheets.get"), standIn.count("sheets.batchUpdate")];
      const summary = await validateAndWriteBack({ clients, spreadsheetId: id, yc, definition, history, maxChange: 0.5, now: new Date(at) });
      expect([standIn.count("sheets.get") - gets, standIn.count("sheets.batchUpdate") - updates]).toEqual([1, 1]);
      return summary;
    };
    const sheet = (title: string) => standIn.spreadsheets.get(id)!.sheets!.find((s) => s.properties!.title === title)!;
    const statusRow = (name: string) => {
      const rows = sheet("Valideringsstatus").data![0]!.rowData!;
      const r = rows.findIndex((row) => row.values?.[0]?.userEnteredValue?.stringValue === name);
      return { r, values: rows[r]!.values!.map((v) => v.userEnteredValue?.stringValue ?? v.userEnteredValue?.numberValue ?? v.userEnteredValue?.boolValue ?? "") };
    };
    const statusText = () => JSON.stringify(sheet("Valideringsstatus").data![0]!.rowData!.map((r) => (r.values ?? []).map((v) => v.userEnteredValue?.stringValue ?? "")));
    const fill = (row: number, col: number) => standIn.cell(id, "Bromma", row, col)?.userEnteredFormat?.backgroundColorStyle?.rgbColor;

    // Marked ready: the mark is seen at the first run and counts from then.
    standIn.type(id, "Bromma", "B4", true);
    standIn.type(id, "Bromma", "D4", "Lena Öberg");
    await run("2026-02-09T08:00:00Z");
    expect(statusRow("Bromma").values.slice(0, 4)).toEqual(["Bromma", "inlämnad", "2026-02-09 09:00", "Ja"]);

    // A mistake: the cell is marked and noted, listed on the status tab with a link; the unit is ready with errors.
    const original = standIn.cell(id, "Bromma", 18, 7)!.userEnteredValue!;
    standIn.type(id, "Bromma", "H19", "två");
    await run("2026-02-10T08:00:00Z");
    expect(fill(18, 7)).toEqual({ red: 1, green: 0.78, blue: 0.808 });
    expect(standIn.cell(id, "Bromma", 18, 7)!.note).toMatch(/^Fel: ”två” är inte ett tal\.\n→ Skriv ett tal/);
    expect(statusRow("Bromma").values.slice(0, 5)).toEqual(["Bromma", "klar med fel", "2026-02-09 09:00", "", 1]);
    const listed = sheet("Valideringsstatus").data![0]!.rowData!.find((r) => r.values?.[1]?.userEnteredValue?.stringValue === "H19")!;
    expect(listed.values![1]!.userEnteredFormat!.textFormat!.link!.uri).toMatch(new RegExp(`/d/${id}/edit#gid=\\d+&range=H19$`));
    expect(statusText()).toContain("Enheten räknas inte som inlämnad förrän felet är rättat.");

    // Fixed: the mark and the note are gone, the cell has its input colour back.
    sheet("Bromma").data![0]!.rowData![18]!.values![7]!.userEnteredValue = original;
    await run("2026-02-11T08:00:00Z");
    expect(fill(18, 7)).toEqual({ red: 1, green: 0.949, blue: 0.8 });
    expect(standIn.cell(id, "Bromma", 18, 7)!.note).toBeUndefined();
    expect(statusText()).not.toContain("H19");

    // The project leader approves Bromma, and tries Farsta, which has not started: Bromma is locked, Farsta unticked.
    const bromma = statusRow("Bromma").r;
    standIn.type(id, "Valideringsstatus", `J${bromma + 1}`, true);
    standIn.type(id, "Valideringsstatus", `K${bromma + 1}`, "Eva Projektledare");
    standIn.type(id, "Valideringsstatus", `J${statusRow("Farsta").r + 1}`, true);
    await run("2026-02-12T08:00:00Z");
    const lock = sheet("Bromma").protectedRanges!.find((p) => p.description === "Godkänd och låst: Bromma")!;
    expect(lock.editors!.users).toEqual(["projektledare@stad.example", SERVICE_ACCOUNT]);
    expect(lock.range).toEqual({ sheetId: sheet("Bromma").properties!.sheetId });
    expect(statusRow("Bromma").values.slice(0, 12)).toEqual(["Bromma", "godkänd", "2026-02-09 09:00", "Ja", 0, 0, 0, "2026-02-11 09:00", "2026-02-12 09:00", true, "Eva Projektledare", ""]);
    expect(statusRow("Farsta").values[9]).toBe(false);
    expect(statusText()).toContain('["2026-02-12 09:00","Bromma","godkänd och låst","Eva Projektledare",""]');
    expect(statusText()).toContain("kunde inte godkännas: enheten har inte lämnat in");
    const summary = await run("2026-02-12T09:00:00Z");
    expect(summary.received).toBe(1);

    // Opened again with a reason: the lock is gone and the event says why.
    standIn.type(id, "Valideringsstatus", `J${bromma + 1}`, false);
    standIn.type(id, "Valideringsstatus", `L${bromma + 1}`, "Fel antal svarande");
    await run("2026-02-13T08:00:00Z");
    expect(sheet("Bromma").protectedRanges!.some((p) => p.description?.startsWith("Godkänd"))).toBe(false);
    expect(statusRow("Bromma").values[1]).toBe("inlämnad");
    expect(statusText()).toContain('["2026-02-13 09:00","Bromma","öppnad igen","Eva Projektledare","Fel antal svarande"]');
  });

  it("tells an imported indicator's rows, in their Kontroll cells, which import gives the figure, and does not judge what is typed there", async () => {
    const { id, yc, definition, history } = await newSpreadsheet();
    await copyTab(id, example("bromma"), "Bromma");
    const imports = new MemoryImportStore();
    const csv = Buffer.from("Id;Datum;Förvaltning;Verksamhet;Typ\r\nIA-1;2025-01-14;Bromma;Äldre;Hot\r\nIA-2;2025-02-03;Bromma;Äldre;Våld\r\nIA-3;2025-03-03;Bromma;Missbruk;Hot\r\n");
    const imported = await importYear({ yc, imports, now: new Date("2026-01-20T09:00:00Z"), by: "Eva" }, "incidenter", csv, "ia-2025.csv", { dryRun: false });
    expect(imported.problems).toEqual([]);
    // A typo in Bromma's incidents total: an error while the incidents are typed, nothing once they are imported.
    const grid = await readXlsxGrid(example("bromma"), "bromma");
    const bromma = grid.sheets.find((s) => s.name === "Bromma")!;
    const totalRow = [...Array(bromma.rowCount).keys()].map((i) => i + 1).find((r) => bromma.cell(r, 1)?.value === "fa1-hot-vald-incidenter" && bromma.cell(r, columnOf(INDICATOR_COLUMN_KEYS, "breakdown"))?.value === "Totalt")!;
    standIn.type(id, "Bromma", `${String.fromCharCode(64 + columnOf(INDICATOR_COLUMN_KEYS, "value"))}${totalRow}`, -5);
    const summary = await validateAndWriteBack({ clients, spreadsheetId: id, yc, definition, history, maxChange: 0.5, now: new Date("2026-02-10T12:00:00Z"), imports });
    expect(summary.errors).toBe(0);
    const value = standIn.cell(id, "Bromma", totalRow - 1, columnOf(INDICATOR_COLUMN_KEYS, "value") - 1)!;
    expect(value.userEnteredFormat?.backgroundColorStyle?.rgbColor).not.toMatchObject({ red: 1, green: expect.closeTo(0.78, 1) });
    const check = standIn.cell(id, "Bromma", totalRow - 1, columnOf(INDICATOR_COLUMN_KEYS, "check") - 1)!;
    expect(check.userEnteredValue?.stringValue).toBe("Importerat: 3. Det som skrivs här används inte.");
    expect(check.note).toBe("Importerat från Incidenter: ia-2025.csv, 2026-01-20 av Eva. Ändras med en ny import (hp import), inte här.");
    // The typed cell itself is never touched.
    expect(standIn.cell(id, "Bromma", totalRow - 1, columnOf(INDICATOR_COLUMN_KEYS, "value") - 1)!.userEnteredValue?.numberValue).toBe(-5);
  });

  it("retries 429, 503 and slow answers with backoff, honouring Retry-After, and succeeds", async () => {
    const { id, yc, definition, history } = await newSpreadsheet();
    await copyTab(id, example("bromma"), "Bromma");
    // The third answer never comes: the client gives up after its timeout and asks again.
    standIn.fail("sheets.get", { status: 429, retryAfterSeconds: 0 }, { status: 503 }, { hang: true });
    standIn.fail("sheets.batchUpdate", { status: 503 }, { status: 429, retryAfterSeconds: 0 });
    const gets = standIn.count("sheets.get");
    // Long enough for a loaded machine to answer the requests that do get an answer.
    const impatient = await standInClients(standIn, { attempts: 5, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 10_000 });
    const summary = await validateAndWriteBack({ clients: impatient, spreadsheetId: id, yc, definition, history, maxChange: 0.5, now: new Date() });
    expect(summary.errors).toBe(0);
    expect(standIn.count("sheets.get") - gets).toBe(4);
  });

  it("fails a permanent error with a clear message and writes nothing", async () => {
    const { id, yc, definition, history } = await newSpreadsheet();
    await copyTab(id, example("bromma"), "Bromma");
    const before = structuredClone(standIn.spreadsheets.get(id));
    standIn.fail("sheets.batchUpdate", { status: 400 });
    await expect(validateAndWriteBack({ clients, spreadsheetId: id, yc, definition, history, maxChange: 0.5, now: new Date() })).rejects.toThrow();
    expect(standIn.spreadsheets.get(id)).toEqual(before);
    await expect(validateAndWriteBack({ clients, spreadsheetId: "no-such-sheet", yc, definition, history, maxChange: 0.5, now: new Date() })).rejects.toThrow(
      /Kalkylarket kunde inte läsas: hittades inte \(404\)/,
    );
  });
});

describe("a year opened after the deployment", () => {
  it("is never checked against last year's spreadsheet: the run stops before reading or writing anything", async () => {
    const { id, definition } = await newSpreadsheet();
    const before = structuredClone(standIn.spreadsheets.get(id));
    const source = new GoogleSheetsSource(clients, id, definition.sheets.status, () => new Date(), { year: 2026, metaSheet: definition.sheets.meta });
    await expect(source.load()).rejects.toThrow(
      `Kalkylarket ${id} är mallen för 2025, men körningen gäller 2026. Inget har lästs in eller skrivits. Öppna 2026 med hp year open 2026`,
    );
    expect(standIn.spreadsheets.get(id)).toEqual(before);
    // The year it was made for reads as before.
    const same = new GoogleSheetsSource(clients, id, definition.sheets.status, () => new Date(), { year: 2025, metaSheet: definition.sheets.meta });
    expect(await same.load()).toHaveLength(1);
  });
});

describe("hp sheet create", () => {
  it("creates and shares the spreadsheet and prints its id and link", async () => {
    const dir = await tempDir();
    const editors = join(dir, "redigerare.yaml");
    await writeFile(editors, "projectLeaders: [projektledare@stad.example]\nunits:\n  bromma: [rapportor@bromma.example]\n");
    const { hpWithEnv } = await import("./helpers.js");
    const folder = standIn.sharedFolder();
    const run = await hpWithEnv(
      { HP_GOOGLE_API_ROOT: standIn.url, HP_GOOGLE_ACCESS_TOKEN: `as:${SERVICE_ACCOUNT}`, HP_SERVICE_ACCOUNT: SERVICE_ACCOUNT },
      "sheet", "create", "--year", "2025", "--editors", editors, "--folder", folder,
    );
    expect(run.code, run.err).toBe(0);
    const id = /Id: +(\S+)/.exec(run.out)![1]!;
    expect(run.out).toContain(`Länk:  https://docs.google.com/spreadsheets/d/${id}/edit`);
    expect(standIn.files.get(id)).toMatchObject({ parents: [folder] });
    expect(standIn.drive.readers(id)).toEqual(["projektledare@stad.example", "rapportor@bromma.example"]);
  });
});

describe("Drive delivery", () => {
  it("uploads reports, replaces them as new revisions of the same file, and shares them", async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    const files = [join(dir, "uppfoljning-2025.pdf"), join(dir, "uppfoljning-2025.xlsx")];
    for (const f of files) await writeFile(f, `första ${f}`);
    const readers = ["sekreterare@socialnamnden.example"];
    standIn.fail("drive.list", { status: 403, reason: "rateLimitExceeded" });
    const items = async () => Promise.all(files.map(async (f) => ({ name: basename(f), data: await readFile(f) })));
    const folder = standIn.sharedFolder();
    const first = await deliverToDrive(clients, folder, await items(), readers);
    expect(first.map((f) => f.replaced)).toEqual([false, false]);
    for (const f of files) await writeFile(f, `andra ${f}`);
    standIn.fail("drive.update", { status: 503 });
    const second = await deliverToDrive(clients, folder, await items(), readers);
    expect(second.map((f) => f.id)).toEqual(first.map((f) => f.id));
    expect(second.map((f) => f.replaced)).toEqual([true, true]);
    const stored = standIn.files.get(first[0]!.id)!;
    expect(stored).toMatchObject({ name: "uppfoljning-2025.pdf", parents: [folder], revisions: 2 });
    expect(standIn.drive.readers(stored.id)).toEqual(readers);
    expect(stored.content.toString()).toBe(`andra ${files[0]}`);
    expect(second[0]!.link).toBe(`https://drive.google.com/file/d/${first[0]!.id}/view`);
  });

  it("reads the officials' text from the Rapporttext tab, reports rows that name nothing, and keeps hostile text inert in the PDF's HTML and the Word file", async () => {
    const { id, yc, definition } = await newSpreadsheet();
    const tab = definition.sheets.text;
    const sheet = standIn.spreadsheets.get(id)!.sheets!.find((s) => s.properties?.title === tab)!;
    // Only the project leaders (and the service account) may write here: the whole tab is protected, nothing left open.
    expect(sheet.protectedRanges![0]!.editors!.users).toEqual(["projektledare@stad.example", SERVICE_ACCOUNT]);
    expect(sheet.protectedRanges![0]!.unprotectedRanges ?? []).toEqual([]);
    const rowOf = (label: string) => sheet.data![0]!.rowData!.findIndex((r) => r.values?.[0]?.userEnteredValue?.stringValue === label) + 1;
    const hostile = '<script>fetch("http://127.0.0.1:9/x")</script> <img src="http://127.0.0.1:9/y"> =HYPERLINK("http://127.0.0.1:9/z")';
    standIn.type(id, tab, `B${rowOf("Analys")}`, `Vår **egna** analys.\n\n${hostile}`);
    standIn.type(id, tab, `B${rowOf("Kommentar: Chefen hjälper till att prioritera (fa1-chef-prioritera)")}`, "- en punkt\n- en *till*");
    const stray = sheet.data![0]!.rowData!.length + 2;
    standIn.type(id, tab, `A${stray}`, "Något annat");
    standIn.type(id, tab, `B${stray}`, "Hamnar inte i rapporten.");

    const gets = standIn.count("sheets.get");
    const text = await readTextTab(clients, id, tab, yc.indicators);
    expect(standIn.count("sheets.get") - gets).toBe(1);
    expect(text.source).toBe("fliken Rapporttext");
    expect([...text.sections.keys()]).toEqual(["analys"]);
    expect(text.sections.get("analys")).toEqual([
      { kind: "paragraph", runs: [{ text: "Vår " }, { text: "egna", strong: true }, { text: " analys." }] },
      { kind: "paragraph", runs: [{ text: hostile }] },
    ]);
    expect(text.indicators.get("fa1-chef-prioritera")).toEqual([{ kind: "list", ordered: false, items: [[{ text: "en punkt" }], [{ text: "en " }, { text: "till", em: true }]] }]);
    expect(text.problems).toEqual([expect.stringMatching(new RegExp(`^fliken Rapporttext, rad ${stray}: rubriken ”Något annat” är inget avsnitt`))]);

    // Through the board paper: escaped in the HTML Chromium prints, plain text runs in the Word file.
    const { history } = await context();
    const now = new Date("2026-03-02T09:00:00Z");
    const result = await aggregateYear({ yc, definition, history, source: new XlsxFileSource([EXAMPLES], ROOT), maxChange: 0.5, now });
    const board = await renderBoardHtml(reportModelOf(result, definition, yc), result.aggregates.trends, now, text);
    expect(board.html).toContain("&lt;script&gt;fetch(");
    expect(board.html).not.toContain("<script");
    expect(board.html).not.toContain('<img src="http');
    expect(board.paper.drafts).not.toContain("Analys");
    const document = strFromU8(unzipSync(await boardWordFile(new MemoryPrinter(), board.paper, now))["word/document.xml"]!);
    expect(document).toContain("&lt;script&gt;fetch(");
    expect(document).toContain("=HYPERLINK(");
    expect(document).not.toMatch(/<script|<img|w:fldSimple|HYPERLINK \\/);
  });
});
