import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { column, EXAMPLES, example, findRow, hp, ROOT, tempDir } from "./helpers.js";

async function makeTemplate(...extra: string[]) {
  const out = join(await tempDir(), "mall.xlsx");
  const run = await hp("template", "--year", "2025", "--out", out, ...extra);
  expect(run.code, run.err).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  return wb;
}

describe("hp template", () => {
  it("writes instructions, a tab per unit, the central tab and hidden identity", async () => {
    const wb = await makeTemplate();
    const names = wb.worksheets.map((w) => w.name);
    expect(names).toEqual([
      "Instruktioner",
      "Listor",
      "Rinkeby-Kista",
      "Spånga-Tensta",
      "Hässelby-Vällingby",
      "Bromma",
      "Kungsholmen",
      "Norrmalm",
      "Östermalm",
      "Södermalm",
      "Enskede-Årsta-Vantör",
      "Skarpnäck",
      "Farsta",
      "Hägersten-Älvsjö",
      "Skärholmen",
      "Socialförvaltningen",
      "Äldreförvaltningen",
      "Central rapportering",
      "Mallinfo",
    ]);
    expect(wb.getWorksheet("Mallinfo")!.state).toBe("veryHidden");
    expect(wb.getWorksheet("Listor")!.state).toBe("hidden");
    const meta = wb.getWorksheet("Mallinfo")!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1, 3));
    expect(meta.slice(0, 3)).toEqual([
      ["plan", "hp-2024"],
      ["år", 2025],
      ["mallversion", 1],
    ]);
    const instructions = (wb.getWorksheet("Instruktioner")!.getColumn(1).values as unknown[]).join("\n");
    expect(instructions).toContain("Sista dag för inlämning: 13 februari 2026");
    expect(instructions).toContain("..   Uppgift saknas");
    expect(instructions).toContain("–   Inget att redovisa");
  });

  it("unlocks and validates input cells, locks the rest, and shows last year's value", async () => {
    const wb = await makeTemplate();
    const ws = wb.getWorksheet("Bromma")!;
    const row = findRow(ws, "tp-vfu-platser", "Totalt");
    const value = row.getCell(column(ws, "Värde"));
    expect(value.protection).toMatchObject({ locked: false });
    expect(value.dataValidation.type).toBe("custom");
    expect(value.dataValidation.formulae[0]).toContain(`${value.address}=INT(${value.address})`);
    expect(value.dataValidation.formulae[0]).toContain(`${value.address}=".."`);
    expect(row.getCell(column(ws, "Id")).protection?.locked ?? true).toBe(true);
    expect(row.getCell(column(ws, "Förra året (2024)")).value).toEqual(expect.any(Number));
    const central = wb.getWorksheet("Central rapportering")!;
    const survey = findRow(central, "fa1-paverka-arbetet", "Totalt", "Bromma");
    expect(survey.getCell(column(central, "Värde")).dataValidation.formulae[0]).toContain("<=100");
    const status = findRow(central, "fa4-digitaliseringsplan", "Pilot med AI-stöd i dokumentationen");
    expect(status.getCell(column(central, "Värde")).dataValidation).toMatchObject({ type: "list" });
    expect((ws as unknown as { sheetProtection: unknown }).sheetProtection).toBeTruthy();
  });

  it("has the local work part: self-assessment 1–5 per focus area and an activity table", async () => {
    const wb = await makeTemplate("--unit", "Skarpnäck");
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Instruktioner", "Listor", "Skarpnäck", "Mallinfo"]);
    const ws = wb.getWorksheet("Skarpnäck")!;
    const texts: string[] = [];
    ws.eachRow((row) => texts.push((row.values as unknown[]).filter((v) => typeof v === "string").join(" | ")));
    expect(texts).toContain("Lokalt arbete – självskattning");
    expect(texts).toContain("Fokusområde för aktivitet | Aktivitet | Hur aktiviteten följs upp | Status | Kontroll");
    const scoreRow = ws.getRows(1, ws.rowCount)!.find((r) => r.getCell(1).value === "3. Ett gott ledarskap")!;
    expect(scoreRow.getCell(3).dataValidation).toMatchObject({ type: "whole", formulae: [1, 5] });
  });

  it("refuses an unknown unit and a year that is not opened, with exit status 2", async () => {
    const out = join(await tempDir(), "x.xlsx");
    const unit = await hp("template", "--year", "2025", "--out", out, "--unit", "Gotham");
    expect(unit.code).toBe(2);
    expect(unit.err).toMatch(/^Enheten "Gotham" finns inte det året\. Välj en av: rinkeby-kista/);
    const year = await hp("template", "--year", "2031", "--out", out);
    expect(year.code).toBe(2);
    expect(year.err).toContain("Rapporteringsåret 2031 är inte öppnat.");
  });
});

describe("last year's values where the run stored them", () => {
  it("shows the year a run stored in the next year's template, and says where they came from", async () => {
    const dir = await tempDir();
    const catalogue = join(dir, "katalog");
    await cp(join(ROOT, "sheets", "catalogue"), catalogue, { recursive: true });
    const years = join(catalogue, "years.yaml");
    await writeFile(years, (await readFile(years, "utf8")).replace("reportingYears:\n", "reportingYears:\n  - { year: 2026, deadline: 2027-02-12, dnr: SOF 2027/1 }\n"));
    const history = join(dir, "historik");
    const common = ["--catalogue", catalogue, "--history-dir", history];
    expect((await hp("aggregate", "--input", EXAMPLES, "--year", "2025", "--out", join(dir, "ut"), ...common)).code).toBe(1);
    const out = join(dir, "mall-2026.xlsx");
    const run = await hp("template", "--year", "2026", "--out", out, ...common);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Kolumnen Förra året \(2025\) har [\d\s]+ värden från historiken /);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet("Bromma")!;
    const lastYear = column(ws, "Förra året (2025)");
    // What Bromma typed in 2025.
    const bromma2025 = new ExcelJS.Workbook();
    await bromma2025.xlsx.readFile(example("bromma"));
    const typed = findRow(bromma2025.getWorksheet("Bromma")!, "tp-vfu-platser", "Totalt").getCell(8).value;
    expect(findRow(ws, "tp-vfu-platser", "Totalt").getCell(lastYear).value).toBe(typed);

    // Without the history it was stored in, the column is empty, and the command says so.
    const empty = await hp("template", "--year", "2026", "--out", join(dir, "tom.xlsx"), "--catalogue", catalogue, "--history-dir", join(dir, "annan"));
    expect(empty.code).toBe(0);
    expect(empty.err).toMatch(/^Varning: inga värden för 2025 i historiken .+, så kolumnen Förra året är tom\./);
  });
});
