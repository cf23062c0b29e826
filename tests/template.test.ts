import { readdir } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { column, EXAMPLES, example, findRow, hp, tempDir } from "./helpers.js";

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
    // The whole template has every kind of input, so every instruction.
    expect(instructions).toContain("Skriv procent som tal mellan 0 och 100");
    expect(instructions).toContain("För enkätfrågor");
  });

  it("explains only the inputs the file's tabs have", async () => {
    const instructionsOf = async (...extra: string[]) => ((await makeTemplate(...extra)).getWorksheet("Instruktioner")!.getColumn(1).values as unknown[]).join("\n");
    const unit = await instructionsOf("--unit", "skarpnack");
    expect(unit).not.toContain("Skriv procent som tal");
    expect(unit).not.toContain("För enkätfrågor");
    expect(unit).toContain("För andelar fyller ni i täljare och nämnare");
    expect(unit).toContain("Under Lokalt arbete");
    const central = await instructionsOf("--unit", "central");
    expect(central).toContain("Skriv procent som tal");
    expect(central).not.toContain("Under Lokalt arbete");
  });

  it("shows last year's share with its numerator and denominator", async () => {
    const wb = await makeTemplate();
    const ws = wb.getWorksheet("Bromma")!;
    const previous = findRow(ws, "tp-personalrorlighet", "Totalt").getCell(column(ws, "Förra året (2024)"));
    expect(previous.value).toMatch(/^\d+(,\d)?\u00a0% \(\d[\d\u00a0]* av \d[\d\u00a0]*\)$/);
    expect(previous.alignment?.wrapText).toBe(true);
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
    expect(texts).toContain("Fokusområde | Önskat läge | Förra året (2024) | Självskattning (1–5) | Kontroll | Kommentar");
    expect(texts).toContain("Fokusområde för aktivitet | Aktivitet | Hur aktiviteten följs upp | Förra årets status (2024) | Status | Kontroll");
    const scoreRow = ws.getRows(1, ws.rowCount)!.find((r) => r.getCell(1).value === "3. Ett gott ledarskap")!;
    expect(scoreRow.getCell(4).dataValidation).toMatchObject({ type: "whole", formulae: [1, 5] });
    expect(scoreRow.getCell(3).protection?.locked ?? true).toBe(true);
  });

  it("refuses an unknown unit and a year that is not opened, with exit status 2", async () => {
    const out = join(await tempDir(), "x.xlsx");
    const unit = await hp("template", "--year", "2025", "--out", out, "--unit", "Gotham");
    expect(unit.code).toBe(2);
    expect(unit.err).toMatch(/^Enheten "Gotham" finns inte det året\. Välj en av: rinkeby-kista/);
    const year = await hp("template", "--year", "2031", "--out", out);
    expect(year.code).toBe(2);
    expect(year.err).toContain("Rapporteringsåret 2031 finns inte i katalogen.");
  });
});

describe("last year's values where the run stored them", () => {
  it("shows the year a run stored in the next year's template, and says where they came from", async () => {
    const dir = await tempDir();
    const history = join(dir, "historik");
    const common = ["--history-dir", history];
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

    // Last year's self-assessment beside this year's empty one, and last year's unfinished
    // activities carried over with last year's status shown and this year's left to choose.
    const old = bromma2025.getWorksheet("Bromma")!;
    const rowsOf = (sheet: ExcelJS.Worksheet) => sheet.getRows(1, sheet.rowCount)!;
    /** A column of the header row that starts with `first`. */
    const columnAfter = (sheet: ExcelJS.Worksheet, first: string, header: string) =>
      (rowsOf(sheet).find((r) => r.getCell(1).value === first)!.values as unknown[]).indexOf(header);
    const scoreColumn = (sheet: ExcelJS.Worksheet) => columnAfter(sheet, "Fokusområde", "Självskattning (1–5)");
    const area = "2. Kompetens- och utvecklingsmöjligheter";
    const oldScore = rowsOf(old).find((r) => r.getCell(1).value === area)!.getCell(scoreColumn(old)).value;
    expect(oldScore).toEqual(expect.any(Number));
    const newArea = rowsOf(ws).find((r) => r.getCell(1).value === area)!;
    expect(newArea.getCell(scoreColumn(ws) - 1).value).toMatch(new RegExp(`^${oldScore} – `));
    expect(newArea.getCell(scoreColumn(ws)).value).toBeNull();
    const statusColumn = columnAfter(ws, "Fokusområde för aktivitet", "Status");
    let carriedSeen = 0;
    let finishedSeen = 0;
    let draftSeen = 0;
    for (const file of (await readdir(EXAMPLES)).filter((f) => f.endsWith(".xlsx"))) {
      const typed2025 = new ExcelJS.Workbook();
      await typed2025.xlsx.readFile(join(EXAMPLES, file));
      for (const before of typed2025.worksheets) {
        const after = wb.getWorksheet(before.name);
        const header = rowsOf(before).find((r) => r.getCell(1).value === "Fokusområde för aktivitet")?.number;
        if (!after || header === undefined) continue;
        const activities = rowsOf(before)
          .filter((r) => r.number > header && typeof r.getCell(2).value === "string")
          .map((r) => ({ activity: r.getCell(2).value as string, status: r.getCell(columnAfter(before, "Fokusområde för aktivitet", "Status")).value as string }));
        for (const a of activities) {
          const carried = rowsOf(after).find((r) => r.getCell(2).value === a.activity);
          if (before.name === "Central rapportering") {
            // The plan's city-wide activities are listed every year, finished or not, with last year's status beside.
            expect(carried, a.activity).toBeDefined();
            expect(carried!.getCell(statusColumn - 1).value).toBe(a.status);
            expect(carried!.getCell(statusColumn).value).toBeNull();
            continue;
          }
          // Skarpnäck handed in with errors: nothing of its 2025 draft reaches next year's template.
          if (before.name === "Skarpnäck") {
            expect(carried, `${before.name}: ${a.activity}`).toBeUndefined();
            draftSeen++;
            continue;
          }
          if (a.status === "Genomförd" || a.status === "Avbruten") {
            expect(carried, `${before.name}: ${a.activity}`).toBeUndefined();
            finishedSeen++;
            continue;
          }
          expect(carried, `${before.name}: ${a.activity}`).toBeDefined();
          expect(carried!.getCell(statusColumn - 1).value).toBe(a.status);
          expect(carried!.getCell(statusColumn).value).toBeNull();
          expect(carried!.getCell(2).protection?.locked).toBe(false);
          carriedSeen++;
        }
      }
    }
    expect(carriedSeen).toBeGreaterThan(5);
    expect(finishedSeen).toBeGreaterThan(0);
    expect(draftSeen).toBeGreaterThan(0);
    // Nor its values: Förra året is empty on Skarpnäck's tab, where Bromma's shows what it handed in.
    const skarpnack = wb.getWorksheet("Skarpnäck")!;
    const skarpnackLastYear = column(skarpnack, "Förra året (2025)");
    expect(findRow(skarpnack, "tp-vfu-platser", "Totalt").getCell(skarpnackLastYear).value ?? null).toBeNull();
    expect(findRow(skarpnack, "fa1-hot-vald-incidenter", "Totalt").getCell(skarpnackLastYear).value ?? null).toBeNull();

    // This year's share, worked out by the template next to what the reporter types.
    const share = findRow(ws, "tp-personalrorlighet", "Totalt").getCell(column(ws, "Andel (2026)"));
    const numerator = findRow(ws, "tp-personalrorlighet", "Totalt").getCell(column(ws, "Täljare")).address;
    const denominator = findRow(ws, "tp-personalrorlighet", "Totalt").getCell(column(ws, "Nämnare")).address;
    expect(share.formula).toBe(`IF(AND(ISNUMBER(${numerator}),ISNUMBER(${denominator})),IF(${denominator}>0,${numerator}/${denominator}*100,""),"")`);
    expect(share.protection?.locked ?? true).toBe(true);

    // Without the history it was stored in, the column is empty, and the command says so.
    const empty = await hp("template", "--year", "2026", "--out", join(dir, "tom.xlsx"), "--history-dir", join(dir, "annan"));
    expect(empty.code).toBe(0);
    expect(empty.err).toMatch(/^Varning: inga värden för 2025 i historiken .+, så kolumnen Förra året är tom\./);
  });
});
