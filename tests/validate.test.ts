import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES, column, editWorkbook, example, findRow, hp, tempDir, validate } from "./helpers.js";

const withoutMissing = <T extends { code: string }>(findings: T[]) => findings.filter((f) => f.code !== "UNIT_MISSING");

describe("hp validate on the example data", () => {
  it("lists Skarpnäck's deliberate mistakes with their cells and exits 1", async () => {
    const run = await hp("validate", EXAMPLES, "--year", "2025", "--json");
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.out).findings as Record<string, string>[];
    expect(findings.map((f) => `${f.severity} ${f.code} ${f.sheet}!${f.cell} ${f.indicator ?? ""}`)).toMatchInlineSnapshot(`
      [
        "warning CHANGE_LARGE Skärholmen!H8 fa1-hot-vald-incidenter",
        "warning READY_WITH_ERRORS Skarpnäck!B4 ",
        "error PARTS_NOT_TOTAL Skarpnäck!H13 fa1-hot-vald-incidenter",
        "error NUMERATOR_EXCEEDS_DENOMINATOR Skarpnäck!I14 tp-personalrorlighet",
        "error PARTS_NOT_TOTAL Skarpnäck!I16 tp-personalrorlighet",
        "error VALUE_NOT_NUMBER Skarpnäck!H19 tp-socionomkonsulter",
        "error VALUE_NOT_INTEGER Skarpnäck!H23 tp-socionomkonsulter",
        "warning CHANGE_LARGE Skarpnäck!H24 tp-vfu-platser",
        "warning INDICATOR_RETIRED Skarpnäck!A25 tp-chefsprogram",
        "error SELF_ASSESSMENT_OUT_OF_RANGE Skarpnäck!D32 ",
        "error ACTIVITY_NO_FOCUS_AREA Skarpnäck!A38 ",
        "warning CHANGE_LARGE Socialförvaltningen!H9 fa1-hot-vald-incidenter",
        "warning CHANGE_LARGE Södermalm!H9 fa1-hot-vald-incidenter",
      ]
    `);
    expect(Object.keys(findings[0]!)).toEqual(["severity", "code", "file", "sheet", "cell", "unit", "indicator", "message", "hint"]);
    expect(findings.find((f) => f.code === "NUMERATOR_EXCEEDS_DENOMINATOR")).toMatchObject({
      file: "sheets/exempel/2025-skarpnack.xlsx",
      unit: "skarpnack",
      message: "Täljaren 130 är större än nämnaren 97, så andelen skulle bli över 100 %.",
    });
  });

  it("prints a readable table grouped by unit", async () => {
    const run = await hp("validate", EXAMPLES, "--year", "2025");
    expect(run.code).toBe(1);
    expect(run.out).toContain("Skarpnäck\n  varning sheets/exempel/2025-skarpnack.xlsx, fliken Skarpnäck, cell B4\n");
    expect(run.out).toContain("  fel     sheets/exempel/2025-skarpnack.xlsx, fliken Skarpnäck, cell H13\n");
    expect(run.out).toContain("”två” är inte ett tal.");
    expect(run.out.trim().split("\n").at(-1)).toBe("7 fel och 6 varningar i 16 filer.");
  });

  it("exits 0 without the faulty workbook, with Skarpnäck reported as not submitted", async () => {
    const dir = await tempDir();
    await cp(EXAMPLES, dir, { recursive: true });
    await rm(join(dir, "2025-skarpnack.xlsx"));
    const run = await hp("validate", dir, "--year", "2025", "--json");
    expect(run.code).toBe(0);
    const findings = JSON.parse(run.out).findings;
    // Warnings only: Skarpnäck is missing, and three units' large changes wait for an explanation.
    expect(findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
    expect(findings.filter((f: { code: string }) => f.code === "UNIT_MISSING")).toEqual([
      expect.objectContaining({ code: "UNIT_MISSING", unit: "skarpnack", severity: "warning" }),
    ]);
    expect(findings.filter((f: { code: string }) => f.code !== "UNIT_MISSING").map((f: { code: string }) => f.code)).toEqual(["CHANGE_LARGE", "CHANGE_LARGE", "CHANGE_LARGE"]);
  });
});

describe("reading as people fill the template", () => {
  it("gives the same values after inserting a column, sorting rows and adding blank rows", async () => {
    const original = await validate([example("bromma")]);
    const dir = await tempDir();
    const edited = await editWorkbook(example("bromma"), join(dir, "bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      const first = findRow(ws, "fa1-hot-vald-incidenter", "Ekonomiskt bistånd").number;
      const last = findRow(ws, "tp-vfu-platser", "Totalt").number;
      // Sort the indicator rows backwards, by copying values.
      const rows = [];
      for (let r = first; r <= last; r++) rows.push((ws.getRow(r).values as unknown[]).slice(1));
      rows.reverse().forEach((values, i) => {
        const row = ws.getRow(first + i);
        values.forEach((v, c) => {
          row.getCell(c + 1).value = (v ?? null) as never;
        });
      });
      ws.insertRow(first + 3, []);
      ws.spliceColumns(3, 0, []);
      ws.getRow(first - 1).getCell(3).value = "Egen anteckning";
    });
    const after = await validate([edited]);
    expect(withoutMissing(after.findings)).toEqual([]);
    const strip = (o: { source: unknown }[]) =>
      o.map(({ source: _, ...rest }) => rest).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(strip(after.observations)).toEqual(strip(original.observations));
    expect(after.observations.length).toBeGreaterThan(15);
  });

  it("keeps blank, “..”, “–” and 0 apart", async () => {
    const dir = await tempDir();
    const file = await editWorkbook(example("bromma"), join(dir, "bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      const value = column(ws, "Värde");
      findRow(ws, "tp-socionomkonsulter", "Ekonomiskt bistånd").getCell(value).value = null;
      findRow(ws, "tp-socionomkonsulter", "Socialpsykiatri").getCell(value).value = "..";
      findRow(ws, "tp-socionomkonsulter", "Missbruk").getCell(value).value = "–";
      findRow(ws, "tp-socionomkonsulter", "Äldre").getCell(value).value = 0;
    });
    const result = await validate([file]);
    const status = (b: string) =>
      result.observations.find((o) => o.indicator === "tp-socionomkonsulter" && o.breakdown === b);
    expect(status("ekonomiskt-bistand")).toMatchObject({ status: "missing" });
    expect(status("ekonomiskt-bistand")).not.toHaveProperty("value");
    expect(status("socialpsykiatri")).toMatchObject({ status: "missing" });
    expect(status("missbruk")).toMatchObject({ status: "not-applicable" });
    expect(status("aldre")).toMatchObject({ status: "ok", value: 0 });
    expect(withoutMissing(result.findings).map((f) => f.code)).toEqual(["VALUE_PART_BLANK"]);
  });

  const rules = [
    { name: "a required total left blank", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Värde", typed: null, code: "VALUE_REQUIRED" },
    { name: "a negative count", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Värde", typed: -2, code: "VALUE_OUT_OF_RANGE" },
    { name: "a percent in a count", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Värde", typed: "12 %", code: "VALUE_PERCENT_IN_COUNT" },
    { name: "an ambiguous thousands point", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Värde", typed: "1.234", code: "VALUE_AMBIGUOUS" },
    { name: "a number Excel made a date", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Värde", typed: new Date("2025-05-01T00:00:00Z"), code: "VALUE_DATE" },
    { name: "a formula error", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Värde", typed: { formula: "1/0", result: { error: "#DIV/0!" } }, code: "VALUE_FORMULA_ERROR" },
    { name: "men and women not adding up", indicator: "tp-personalrorlighet", breakdown: "Kvinnor", field: "Nämnare", typed: 500, code: "PARTS_NOT_TOTAL" },
    { name: "only a numerator", indicator: "tp-personalrorlighet", breakdown: "Män", field: "Nämnare", typed: "..", code: "RATIO_HALF_GIVEN" },
    { name: "an unknown indicator id", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Id", typed: "tp-vfu", code: "INDICATOR_UNKNOWN" },
    { name: "an unknown breakdown", indicator: "tp-vfu-platser", breakdown: "Totalt", field: "Uppdelning", typed: "Alla", code: "BREAKDOWN_UNKNOWN" },
  ];
  it.each(rules)("finds $name ($code)", async ({ indicator, breakdown, field, typed, code }) => {
    const dir = await tempDir();
    const file = await editWorkbook(example("bromma"), join(dir, "bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      const cell = findRow(ws, indicator, breakdown).getCell(column(ws, field));
      cell.value = typed as never;
      if (typed instanceof Date) cell.numFmt = "yyyy-mm-dd";
    });
    const codes = withoutMissing((await validate([file])).findings).map((f) => f.code);
    expect(codes).toContain(code);
  });

  it("finds a row given twice and the same unit given twice", async () => {
    const dir = await tempDir();
    await editWorkbook(example("bromma"), join(dir, "bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      const row = findRow(ws, "tp-vfu-platser", "Totalt");
      ws.insertRow(row.number + 1, (row.values as unknown[]).slice(1));
    });
    await cp(example("bromma"), join(dir, "bromma-igen.xlsx"));
    const codes = withoutMissing((await validate([dir])).findings).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(["ROW_DUPLICATE", "UNIT_DUPLICATE"]));
  });

  it("finds survey respondents that are not whole numbers and shares typed as fractions", async () => {
    const dir = await tempDir();
    const file = await editWorkbook(example("central-rapportering"), join(dir, "central.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Central rapportering")!;
      findRow(ws, "fa1-paverka-arbetet", "Totalt", "Bromma").getCell(column(ws, "Antal svarande")).value = 101.5;
      findRow(ws, "fa1-paverka-arbetet", "Totalt", "Farsta").getCell(column(ws, "Värde")).value = 0.74;
    });
    const findings = withoutMissing((await validate([file])).findings);
    expect(findings.map((f) => [f.code, f.unit])).toEqual(
      expect.arrayContaining([
        ["VALUE_NOT_INTEGER", "bromma"],
        ["VALUE_LOOKS_LIKE_FRACTION", "farsta"],
      ]),
    );
  });

  it("warns about a large change against last year, unless the reporter explained it", async () => {
    const dir = await tempDir();
    const edit = (comment: string | null) => (wb: import("exceljs").Workbook) => {
      const ws = wb.getWorksheet("Bromma")!;
      const row = findRow(ws, "tp-vfu-platser", "Totalt");
      row.getCell(column(ws, "Värde")).value = 60;
      row.getCell(column(ws, "Kommentar")).value = comment;
    };
    const bare = await editWorkbook(example("bromma"), join(dir, "a.xlsx"), edit(null));
    expect(withoutMissing((await validate([bare])).findings).map((f) => f.code)).toEqual(["CHANGE_LARGE"]);
    const explained = await editWorkbook(example("bromma"), join(dir, "b.xlsx"), edit("Ny enhet för VFU från 2025."));
    expect(withoutMissing((await validate([explained])).findings)).toEqual([]);
  });
});

describe("a template filled by another program", () => {
  const reporters = ["bromma", "central"];
  const values = async (paths: string[]) =>
    (await validate(paths)).observations
      .filter((o) => o.unit === "bromma" || o.source.sheet === "Central rapportering")
      .map(({ source: _, ...rest }) => rest)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it.each(["openpyxl", "libreoffice"])("gives the same values when filled by %s with Swedish-formatted numbers", async (program) => {
    const fixture = join(import.meta.dirname, "fixtures", "other-programs", `${program}-2025.xlsx`);
    const result = await validate([fixture]);
    // The fixtures were saved in November with the ready day typed in February: told, and
    // counted from the save. Nothing else.
    const findings = withoutMissing(result.findings);
    expect(findings.map((f) => f.code)).toEqual(["READY_DATE_BEFORE_SAVE", "READY_DATE_BEFORE_SAVE"]);
    expect(findings[0]!.message).toContain("men filen sparades 2026-11-23");
    expect(result.received.sort()).toEqual(reporters);
    const expected = await values([example("bromma"), example("central-rapportering")]);
    expect(expected.length).toBeGreaterThan(400);
    expect(await values([fixture])).toEqual(expected);
  });
});
