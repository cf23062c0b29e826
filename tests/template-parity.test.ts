/**
 * One template layout, two renderers: the .xlsx and the Google spreadsheet are rendered from
 * the same layout, read back through the readers the pipeline uses (the .xlsx reader, and the
 * Sheets reader over the real googleapis client against the stand-in), and must show the same
 * text, the same input cells and the same input rules.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GoogleClients } from "../functions/google/clients.js";
import { createYearSpreadsheet } from "../functions/google/create-spreadsheet.js";
import { sheetsFormula } from "../functions/google/write-template-sheets.js";
import type { LocalWork } from "../functions/model/records.js";
import { GoogleSheetsSource } from "../functions/google/sheets-source.js";
import { wholeNumberFormula } from "../functions/template/template-layout.js";
import { writeTemplateXlsx } from "../functions/template/write-template-xlsx.js";
import { a1, cellText, type WorkbookGrid } from "../functions/workbook/grid.js";
import { readXlsxBytes } from "../functions/workbook/read-xlsx.js";
import { context } from "./helpers.js";
import { GoogleApiStandIn, SERVICE_ACCOUNT, standInClients } from "./stand-in/google-api.js";

let standIn: GoogleApiStandIn;
let clients: GoogleClients;
beforeAll(async () => {
  standIn = await new GoogleApiStandIn().start();
  clients = await standInClients(standIn);
});
afterAll(() => standIn.stop());

/** Every non-blank cell's text, by tab and A1 address. */
function texts(grid: WorkbookGrid, tabs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const sheet of grid.sheets.filter((s) => tabs.includes(s.name))) {
    for (let r = 1; r <= sheet.rowCount; r++) {
      for (let c = 1; c <= sheet.columnCount; c++) {
        const text = cellText(sheet.cell(r, c));
        if (text !== undefined) out.set(`${sheet.name}!${a1(r, c)}`, text);
      }
    }
  }
  return out;
}

/** Input cells of the .xlsx (unlocked) with their rule in one neutral notation. */
async function xlsxInputs(bytes: Uint8Array): Promise<Map<string, string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out = new Map<string, string>();
  for (const ws of wb.worksheets) {
    for (let r = 1; r <= ws.rowCount; r++) {
      for (let c = 1; c <= ws.columnCount; c++) {
        const cell = ws.getCell(r, c);
        if (cell.protection?.locked !== false) continue;
        const dv = cell.dataValidation as ExcelJS.DataValidation | undefined;
        const rule = !dv?.type
          ? "text"
          : dv.type === "custom"
            ? `formula:${sheetsFormula(String(dv.formulae[0]))}`
            : dv.type === "list" && dv.formulae[0] === '"Ja,Nej"'
              ? "ready"
              : dv.type === "date"
                ? "date"
                : dv.type === "list"
              ? `list:${dv.formulae[0]}`
              : dv.type === "whole" && dv.operator === "between"
                ? `formula:${sheetsFormula(wholeNumberFormula(cell.address, Number(dv.formulae[0]), Number(dv.formulae[1])))}`
                : `${dv.type}:${dv.operator}:${dv.formulae.join(",")}`;
        out.set(`${ws.name}!${cell.address}`, rule);
      }
    }
  }
  return out;
}

/** Input cells of the spreadsheet (left open by the tab's protection) with their rule. */
function sheetInputs(spreadsheet: sheets_v4.Schema$Spreadsheet): Map<string, string> {
  const out = new Map<string, string>();
  for (const sheet of spreadsheet.sheets ?? []) {
    const title = sheet.properties!.title!;
    const whole = (sheet.protectedRanges ?? []).find((p) => p.range?.startRowIndex === undefined || p.range.startRowIndex === null);
    const rows = sheet.data?.[0]?.rowData ?? [];
    for (const range of whole?.unprotectedRanges ?? []) {
      for (let r = range.startRowIndex!; r < range.endRowIndex!; r++) {
        for (let c = range.startColumnIndex!; c < range.endColumnIndex!; c++) {
          const dv = rows[r]?.values?.[c]?.dataValidation;
          const value = (dv?.condition?.values ?? []).map((v) => (v.userEnteredValue ?? "").replace(/^=/, "")).join(",");
          const rule = !dv
            ? "text"
            : dv.condition?.type === "CUSTOM_FORMULA"
              ? `formula:${value}`
              : dv.condition?.type === "BOOLEAN"
                ? "ready"
                : dv.condition?.type === "DATE_IS_VALID"
                  ? "date"
                  : dv.condition?.type === "ONE_OF_RANGE"
                ? `list:${value}`
                : `${dv.condition?.type}:${value}`;
          out.set(`${title}!${a1(r + 1, c + 1)}`, rule);
        }
      }
    }
  }
  return out;
}

describe("the template, as .xlsx and as Google spreadsheet", () => {
  it("has the same text, the same input cells and the same input rules both ways", async () => {
    const { yc, definition, history } = await context();
    // Last year's local work, carried into both the same way.
    const area = yc.plan.focusAreas[1]!.id;
    const lastYear: LocalWork = {
      selfAssessments: [{ unit: "bromma", focusArea: area, score: 2, comment: "Svårt att rekrytera" }],
      activities: [
        { unit: "bromma", focusArea: area, activity: "Mentorskap för nya", followUp: "Enkät", status: "Pågår" },
        { unit: "bromma", focusArea: area, activity: "Klar sedan länge", followUp: "Enkät", status: "Genomförd" },
      ],
    };
    const bytes = await writeTemplateXlsx({ yc, definition, history, lastYear, now: new Date("2025-12-01T00:00:00Z") });
    const xlsx = await readXlsxBytes(Buffer.from(bytes), "mall.xlsx", async () => new Date());

    const input = { yc, definition, history, lastYear, editors: {}, projectLeaders: ["projektledare@stad.example"], serviceAccount: SERVICE_ACCOUNT };
    const { id } = await createYearSpreadsheet(clients, input, standIn.sharedFolder());
    const source = new GoogleSheetsSource(clients, id, definition.sheets.status);
    const [loaded] = await source.load();
    expect(loaded && "grid" in loaded, "the spreadsheet is read").toBe(true);
    const google = (loaded as { grid: WorkbookGrid }).grid;

    // The same tabs in the same order; the status tab (the write-back's) and the Rapporttext tab
    // (the officials' text; offline it is a Markdown file) are in Google only.
    const xlsxTabs = xlsx.sheets.map((s) => s.name);
    expect(google.sheets.map((s) => s.name).filter((n) => n !== definition.sheets.status && n !== definition.sheets.text)).toEqual(xlsxTabs);
    expect(xlsxTabs).toContain(definition.sheets.lists);

    const xlsxText = texts(xlsx, xlsxTabs);
    const googleText = texts(google, xlsxTabs);
    expect(xlsxText.size).toBeGreaterThan(1000);
    expect(Object.fromEntries(googleText)).toEqual(Object.fromEntries(xlsxText));

    const { data } = await clients.sheets.spreadsheets.get({ spreadsheetId: id, includeGridData: true });
    const xlsxRules = await xlsxInputs(bytes);
    const googleRules = sheetInputs(data);
    // The status tab's inputs are the project leader's approvals: a checkbox, a name and a reason per unit.
    const status = [...googleRules].filter(([cell]) => cell.startsWith(`${definition.sheets.status}!`));
    expect(status.map(([, rule]) => rule).sort()).toEqual(
      ["ready", "text", "text"].flatMap((rule) => Array.from({ length: yc.units.length + 1 }, () => rule)).sort(),
    );
    for (const [cell] of status) googleRules.delete(cell);
    expect(xlsxRules.size).toBeGreaterThan(500);
    expect(Object.fromEntries(googleRules)).toEqual(Object.fromEntries(xlsxRules));
    // Every kind of rule is there: numbers, lists (from the lists tab) and free text.
    const kinds = new Set([...xlsxRules.values()].map((r) => r.split(":")[0]));
    expect(kinds).toEqual(new Set(["formula", "list", "text", "ready", "date"]));
    expect([...xlsxRules.values()].some((r) => r.startsWith(`list:'${definition.sheets.lists}'!`))).toBe(true);
    expect([...xlsxText.values()]).toContain("Mentorskap för nya");
    expect([...xlsxText.values()]).not.toContain("Klar sedan länge");

    // Our own formulas (this year's share) in the same locked cells; in Google with the
    // separator every locale reads, and nowhere a comma outside quotes (a decimal sign in sv_SE).
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const xlsxFormulas = new Map<string, string>();
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.formula) xlsxFormulas.set(`${ws.name}!${cell.address}`, `=${sheetsFormula(cell.formula)}`);
        }),
      );
    }
    const googleFormulas = new Map<string, string>();
    for (const sheet of data.sheets ?? []) {
      for (const [r, row] of (sheet.data?.[0]?.rowData ?? []).entries()) {
        for (const [c, cell] of (row.values ?? []).entries()) {
          const formula = cell.userEnteredValue?.formulaValue;
          if (formula) googleFormulas.set(`${sheet.properties!.title}!${a1(r + 1, c + 1)}`, formula);
        }
      }
    }
    expect(xlsxFormulas.size).toBeGreaterThan(50);
    expect(Object.fromEntries(googleFormulas)).toEqual(Object.fromEntries(xlsxFormulas));
    const rules = [...googleRules.values()].filter((r) => r.startsWith("formula:"));
    for (const formula of [...googleFormulas.values(), ...rules]) expect(formula.replace(/"(?:[^"]|"")*"/g, "")).not.toContain(",");
  });
});
