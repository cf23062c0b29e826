/**
 * Workbooks that are not what they look like. Memory bounded by work, not only by bytes: a workbook whose tab has far more rows or cells
 * than the catalogue allows is refused before the spreadsheet library builds it, with the tab
 * named, on the CLI and through checkFile's in-memory source; the other workbooks are read.
 * A macro workbook is read for its values, said to be one, and its checked copy is an .xlsx.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../functions/submission/source.js";
import { validateSource } from "../functions/validate/validate-source.js";
import { limitsFor } from "../functions/workbook/inspect-file.js";
import { context, EXAMPLES, example, hp, tempDir } from "./helpers.js";

/** Bromma's workbook with `rows` extra rows of `cellsPerRow` cells each at the end of its tab. */
async function padded(rows: number, cellsPerRow: number): Promise<Uint8Array> {
  const files = unzipSync(new Uint8Array(await readFile(example("bromma"))));
  const workbook = strFromU8(files["xl/workbook.xml"]!);
  const rels = strFromU8(files["xl/_rels/workbook.xml.rels"]!);
  // The part behind the tab called Bromma, found as a reader would.
  const rid = /<sheet [^>]*name="Bromma"[^>]*r:id="([^"]+)"/.exec(workbook)![1]!;
  const part = `xl/${new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)![1]}`;
  const sheet = strFromU8(files[part]!);
  const extra: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row = 1000 + r;
    const cells = Array.from({ length: cellsPerRow }, (_, c) => `<c r="${String.fromCharCode(65 + (c % 26))}${row}"><v>${r}</v></c>`).join("");
    extra.push(`<row r="${row}">${cells}</row>`);
  }
  files[part] = strToU8(sheet.replace("</sheetData>", `${extra.join("")}</sheetData>`));
  return zipSync(files);
}

describe("a workbook bigger than any real tab", () => {
  it("is refused with the tab and the limit named, and the other workbooks are read (hp validate)", async () => {
    const dir = await tempDir();
    await cp(EXAMPLES, dir, { recursive: true });
    await writeFile(join(dir, "2025-bromma.xlsx"), await padded(100_000, 1));
    const run = await hp("validate", dir, "--year", "2025", "--json");
    expect(run.code).toBe(1);
    const { findings } = JSON.parse(run.out) as { findings: { code: string; file: string; sheet: string | null; message: string }[] };
    const refused = findings.find((f) => f.code === "FILE_TOO_LARGE")!;
    expect(refused.file).toMatch(/2025-bromma\.xlsx$/);
    expect(refused.sheet).toBe("Bromma");
    expect(refused.message).toMatch(/^Fliken Bromma har 100\s\d{3} rader, fler än gränsen 5\s000 för en flik\. Arbetsboken lästes inte\.$/);
    // The other units were read and checked as usual.
    expect(findings.some((f) => f.sheet === "Skarpnäck" && f.code === "PARTS_NOT_TOTAL")).toBe(true);
  });

  it("is refused by the cells per tab too, in memory as checkFile and the page read it", async () => {
    const { yc, definition, history } = await context();
    const bytes = await padded(2_000, 60);
    const source = new MemorySource([{ file: "bromma.xlsx", bytes }], limitsFor(yc.catalogue.workbookLimits));
    const result = await validateSource(source, { yc, definition, history, maxChange: 0.5 });
    expect(result.findings.map((f) => f.code)).toEqual(["FILE_TOO_LARGE"]);
    expect(result.findings[0]!.message).toMatch(/^Fliken Bromma har 120\s\d{3} celler, fler än gränsen 100\s000 för en flik\./);
  });

  it("reads a real workbook, its tabs well under the limits", async () => {
    const { yc, definition, history } = await context();
    const source = new MemorySource([{ file: "bromma.xlsx", bytes: await padded(100, 10) }], limitsFor(yc.catalogue.workbookLimits));
    const result = await validateSource(source, { yc, definition, history, maxChange: 0.5 });
    expect(result.findings.filter((f) => f.code.startsWith("FILE_"))).toEqual([]);
  });
});

describe("a macro workbook", () => {
  it("is read for its values, named as one, and its checked copy is an .xlsx without the macros", async () => {
    const dir = await tempDir();
    const files = unzipSync(new Uint8Array(await readFile(example("bromma"))));
    files["xl/vbaProject.bin"] = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 9, 9, 9]);
    await writeFile(join(dir, "2025-bromma.xlsm"), zipSync(files));
    const out = join(dir, "kontrollerade");
    const run = await hp("validate", join(dir, "2025-bromma.xlsm"), "--year", "2025", "--annotate", out, "--json");
    const { findings } = JSON.parse(run.out) as { findings: { code: string; severity: string }[] };
    expect(findings.find((f) => f.code === "FILE_MACROS")).toMatchObject({ severity: "warning" });
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(out)).toEqual(["2025-bromma.xlsx"]);
    const copy = unzipSync(new Uint8Array(await readFile(join(out, "2025-bromma.xlsx"))));
    expect(Object.keys(copy)).not.toContain("xl/vbaProject.bin");
    expect(Object.values(copy).some((f) => strFromU8(f).includes("Arbetsboken innehåller makron"))).toBe(true);
  });
});
