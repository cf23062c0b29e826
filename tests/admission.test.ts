/**
 * What counts as the year's figures, through the real command and real files: parts that
 * already exceed their total, the catalogue's choice that only approved units count, and the
 * project leader's preview with drafts, which is marked everywhere and never stored.
 */
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { column, EXAMPLES, editWorkbook, example, findRow, hp, ROOT, tempDir, validate } from "./helpers.js";
import { pdfPages } from "./pdf.js";

interface Row {
  indicator: string;
  unit: string;
  year: number;
  breakdown: string;
  value: number | string | null;
  text: string;
  status: string;
  reason?: string;
  marks: string[];
}
const rowOf = (rows: Row[], unit: string, indicator = "tp-vfu-platser", year = 2025) =>
  rows.find((r) => r.unit === unit && r.indicator === indicator && r.year === year && r.breakdown === "T");
const aggregatesOf = async (out: string, set = "2025") =>
  JSON.parse(await readFile(join(out, set, "aggregates.json"), "utf8")) as { rows: Row[]; admission: string; preview?: boolean };

describe("parts and their total", () => {
  it("finds parts that already exceed the total when another part is .. or –, and K + M against T beside another row's error", async () => {
    const dir = await tempDir();
    const file = await editWorkbook(example("bromma"), join(dir, "2025-bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      const value = column(ws, "Värde");
      const parts: [string, number | string][] = [
        ["Ekonomiskt bistånd", 4],
        ["Socialpsykiatri", 3],
        ["Missbruk", 2],
        ["Stöd till funktionsnedsatta", ".."],
        ["Äldre", "–"],
        ["Barn och unga", 1234],
        ["Totalt", 20],
      ];
      for (const [part, v] of parts) findRow(ws, "fa1-hot-vald-incidenter", part).getCell(value).value = v;
      // Turnover: women's numerator is not a number, and the denominators do not add up (107 + 23 ≠ 150).
      findRow(ws, "tp-personalrorlighet", "Kvinnor").getCell(column(ws, "Täljare")).value = "sjutton";
      findRow(ws, "tp-personalrorlighet", "Totalt").getCell(column(ws, "Nämnare")).value = 150;
    });
    const { findings } = await validate([file]);
    const parts = findings.filter((f) => f.code === "PARTS_NOT_TOTAL");
    const incidents = parts.find((f) => f.indicator === "fa1-hot-vald-incidenter")!;
    expect(incidents).toMatchObject({ severity: "error", sheet: "Bromma", cell: "H13" });
    expect(incidents.message).toBe(
      "Värde: redan ekonomiskt bistånd, socialpsykiatri, missbruk och barn och unga blir tillsammans 1\u00a0243, mer än totalt 20, fast alla delar inte är ifyllda.",
    );
    const turnover = parts.find((f) => f.indicator === "tp-personalrorlighet")!;
    expect(turnover).toMatchObject({ severity: "error", cell: "J16" });
    expect(turnover.message).toBe("Nämnare: kvinnor och män blir tillsammans 130, men totalt är 150.");
    expect(findings.some((f) => f.code === "VALUE_NOT_NUMBER" && f.cell === "I14")).toBe(true);
  });
});

describe("when the catalogue says only approved units count", () => {
  it("shows a handed-in unit as .. until the project leader approves it, and then its values", async () => {
    const dir = await tempDir();
    const catalogue = join(dir, "katalog");
    await cp(join(ROOT, "sheets", "catalogue"), catalogue, { recursive: true });
    const years = join(catalogue, "years.yaml");
    const yaml = await readFile(years, "utf8");
    expect(yaml).toMatch(/^admission: submitted$/m);
    await writeFile(years, yaml.replace(/^admission: submitted$/m, "admission: approved"));
    const common = ["--year", "2025", "--input", EXAMPLES, "--catalogue", catalogue, "--history-dir", join(dir, "historik")];

    const before = await hp("aggregate", ...common, "--out", join(dir, "ut1"));
    expect(before.code).toBe(1);
    const first = await aggregatesOf(join(dir, "ut1"));
    expect(first.admission).toBe("approved");
    expect(rowOf(first.rows, "bromma")).toMatchObject({ value: null, text: "..", reason: "not-approved" });
    expect(rowOf(first.rows, "stockholm")).toMatchObject({ value: null, status: "missing" });

    const status = await hp("status", ...common);
    expect(status.out).toContain("0 av 16 räknas i stadens värden. Stadens värden bygger bara på enheter som projektledaren har godkänt.");

    const approve = await hp("approve", ...common, "--unit", "bromma", "--by", "Eva Projektledare");
    expect(approve.code, approve.err).toBe(0);
    // Skarpnäck has errors: it cannot be approved, and stays out.
    const refused = await hp("approve", ...common, "--unit", "skarpnack", "--by", "Eva Projektledare");
    expect(refused.code).toBe(2);

    await hp("aggregate", ...common, "--out", join(dir, "ut2"));
    const second = await aggregatesOf(join(dir, "ut2"));
    expect(rowOf(second.rows, "bromma")).toMatchObject({ value: 8, text: "8", status: "ok" });
    expect(rowOf(second.rows, "norrmalm")).toMatchObject({ value: null, reason: "not-approved" });
    expect(rowOf(second.rows, "skarpnack")).toMatchObject({ value: null, reason: "submitted-with-errors" });
    expect((await hp("status", ...common)).out).toContain("1 av 16 räknas i stadens värden.");
  });
});

describe("the project leader's preview", () => {
  it("includes drafts marked †, says FÖRHANDSVISNING on every page and tab, and stores and publishes nothing", async () => {
    const dir = await tempDir();
    const history = join(dir, "historik");
    const out = join(dir, "ut");
    const run = await hp("run", "--year", "2025", "--input", EXAMPLES, "--out", out, "--history-dir", history, "--forhandsvisning");
    expect(run.code, run.err).toBe(1);
    expect(run.out).toContain("Skarpnäck lämnade in med 7 fel (med som utkast i förhandsvisningen)");
    expect(run.out).toContain("Förhandsvisning med utkast: inget sparades i historiken");

    // Nothing stored as the year's history, and no published set for 2025.
    expect(await readdir(history).catch(() => [])).toEqual([]);
    expect((await readdir(out)).filter((f) => !f.startsWith("."))).toEqual(["forhandsvisning-2025"]);

    const set = join(out, "forhandsvisning-2025");
    const aggregates = await aggregatesOf(out, "forhandsvisning-2025");
    expect(aggregates.preview).toBe(true);
    // Skarpnäck's draft 45 is in, marked as a draft; the city's sum with it likewise.
    expect(rowOf(aggregates.rows, "skarpnack")).toMatchObject({ value: 45, marks: expect.arrayContaining(["draft"]) });
    expect(rowOf(aggregates.rows, "stockholm")!.marks).toContain("draft");
    expect(rowOf(aggregates.rows, "bromma")!.marks).not.toContain("draft");

    const pages = await pdfPages(await readFile(join(set, "uppfoljning-2025.pdf")));
    for (const [i, page] of pages.entries()) expect(page, `sida ${i + 1}`).toContain("FÖRHANDSVISNING");
    expect(pages.join("\n")).toMatch(/Skarpnäck\s+8\s+7\s+7\s+45\?†/);
    for (const unit of await readdir(join(set, "enheter"))) {
      for (const page of await pdfPages(await readFile(join(set, "enheter", unit)))) expect(page, unit).toContain("FÖRHANDSVISNING");
    }

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(set, "uppfoljning-2025.xlsx"));
    for (const ws of wb.worksheets) {
      const top = [1, 2, 3].flatMap((r) => (ws.getRow(r).values as unknown[]).map(String)).join(" ");
      const header = ws.headerFooter.oddHeader ?? "";
      expect(`${top} ${header}`, ws.name).toContain("FÖRHANDSVISNING");
    }
  }, 120_000);
});

describe("when a file was handed in", () => {
  it("counts from when the file was saved, not from an earlier day typed beside the mark", async () => {
    const { strFromU8, strToU8, unzipSync, zipSync } = await import("fflate");
    const dir = await tempDir();
    await cp(EXAMPLES, dir, { recursive: true });
    // Bromma typed 2026-02-10 beside its mark, and saved the file in December.
    const files = unzipSync(await readFile(join(dir, "2025-bromma.xlsx")));
    files["docProps/core.xml"] = strToU8(strFromU8(files["docProps/core.xml"]!).replace(/(<dcterms:modified[^>]*>)[^<]*/, "$12026-12-03T10:00:00Z"));
    await writeFile(join(dir, "2025-bromma.xlsx"), zipSync(files));
    const status = await hp("status", "--year", "2025", "--input", dir, "--json", "--history-dir", join(dir, "historik"));
    const units = (JSON.parse(status.out) as { units: { reporter: string; onTime: boolean | null; ready: { at: string } | null }[] }).units;
    const bromma = units.find((u) => u.reporter === "bromma")!;
    expect(bromma.onTime).toBe(false);
    expect(bromma.ready).toMatchObject({ at: "2026-12-03T10:00:00.000Z", typed: "2026-02-10T00:00:00.000Z" });
    const table = await hp("status", "--year", "2025", "--input", dir, "--history-dir", join(dir, "historik"));
    expect(table.out).toMatch(/Bromma .* Ja 2026-12-03 \([^)]+\), skrev 2026-02-10 /);
    // Farsta, saved before the day it typed, counts from that day, on time as before.
    expect(units.find((u) => u.reporter === "farsta")!.onTime).toBe(true);
    const check = await hp("validate", join(dir, "2025-bromma.xlsx"), "--year", "2025", "--json");
    const findings = (JSON.parse(check.out) as { findings: { code: string; message: string }[] }).findings;
    expect(findings.find((f) => f.code === "READY_DATE_BEFORE_SAVE")?.message).toBe(
      "Fliken är markerad klar 2026-02-10, men filen sparades 2026-12-03. Inlämningen räknas från när filen sparades, 2026-12-03.",
    );
  });
});
