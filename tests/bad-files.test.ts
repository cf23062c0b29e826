import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { editWorkbook, example, hp, tempDir, validate } from "./helpers.js";

/** Writes a bad file beside a good one and validates the folder: one finding, the good one still read. */
async function folderWith(name: string, content: Uint8Array | string) {
  const dir = await tempDir();
  await writeFile(join(dir, name), content);
  await writeFile(join(dir, "2025-farsta.xlsx"), await readFile(example("farsta")));
  const result = await validate([dir]);
  const about = result.findings.filter((f) => f.file.endsWith(name));
  expect(result.received).toContain("farsta");
  return about.map((f) => ({ code: f.code, severity: f.severity, message: f.message }));
}

describe("bad files get a finding, not a crash, and never stop the other files", () => {
  it("a CSV renamed to .xlsx", async () => {
    expect(await folderWith("bromma.xlsx", "Id;Värde\nfa1;12\n")).toEqual([
      { code: "FILE_NOT_XLSX", severity: "error", message: "Filen är en textfil (till exempel CSV), inte en Excel-arbetsbok." },
    ]);
  });

  it("an .ods and a .docx renamed to .xlsx", async () => {
    const ods = zipSync({ mimetype: strToU8("application/vnd.oasis.opendocument.spreadsheet"), "content.xml": strToU8("<x/>") });
    expect((await folderWith("ods.xlsx", ods))[0]?.message).toBe(
      "Filen är ett OpenDocument-kalkylark (.ods), inte en Excel-arbetsbok (.xlsx).",
    );
    const docx = zipSync({ "[Content_Types].xml": strToU8("<x/>"), "word/document.xml": strToU8("<x/>") });
    expect((await folderWith("docx.xlsx", docx))[0]?.message).toBe(
      "Filen är ett Word-dokument (.docx), inte en Excel-arbetsbok (.xlsx).",
    );
  });

  it("an empty file", async () => {
    expect(await folderWith("tom.xlsx", "")).toEqual([
      { code: "FILE_EMPTY", severity: "error", message: "Filen är tom (0 byte)." },
    ]);
  });

  it("a corrupt zip (a workbook cut off half-way)", async () => {
    const whole = await readFile(example("bromma"));
    expect((await folderWith("trasig.xlsx", whole.subarray(0, whole.length / 2)))[0]?.code).toBe("FILE_CORRUPT");
  });

  it("a password-protected workbook (an encrypted OOXML package is a compound file)", async () => {
    // The layout Excel writes: the compound-file signature, then streams named in UTF-16,
    // among them EncryptionInfo and EncryptedPackage.
    const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const body = Buffer.concat([Buffer.alloc(1024), Buffer.from("EncryptionInfo", "utf16le"), Buffer.alloc(64), Buffer.from("EncryptedPackage", "utf16le"), Buffer.alloc(2048)]);
    expect(await folderWith("skyddad.xlsx", Buffer.concat([header, body]))).toEqual([
      { code: "FILE_ENCRYPTED", severity: "error", message: "Arbetsboken är skyddad med lösenord och kan inte läsas." },
    ]);
  });

  it("a workbook that unpacks to hundreds of megabytes is refused by size before loading", async () => {
    const bomb = zipSync({ "xl/workbook.xml": new Uint8Array(300 * 1024 * 1024) }, { level: 1 });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const [found] = await folderWith("bomb.xlsx", bomb);
    expect(found?.code).toBe("FILE_TOO_LARGE");
    expect(found?.message).toMatch(/^Filen packas upp till mer än 150 MB \(minst 300 MB\)\. Den lästes inte\.$/);
  });

  it("a foreign workbook, and a template of the wrong year or version", async () => {
    const dir = await tempDir();
    const foreign = await editWorkbook(example("bromma"), join(dir, "foreign.xlsx"), (wb) => {
      wb.removeWorksheet(wb.getWorksheet("Mallinfo")!.id);
    });
    const wrongVersion = await editWorkbook(example("bromma"), join(dir, "version.xlsx"), (wb) => {
      wb.getWorksheet("Mallinfo")!.getCell("B4").value = 99;
    });
    const old = join(dir, "mall-2024.xlsx");
    expect((await hp("template", "--year", "2024", "--out", old, "--unit", "bromma")).code).toBe(0);
    const codes = (await validate([foreign, wrongVersion, old])).findings
      .filter((f) => f.code !== "UNIT_MISSING")
      .map((f) => [f.file.split("/").at(-1), f.code]);
    expect(codes).toEqual([
      ["foreign.xlsx", "TEMPLATE_FOREIGN"],
      ["mall-2024.xlsx", "TEMPLATE_WRONG_YEAR"],
      ["version.xlsx", "TEMPLATE_WRONG_VERSION"],
    ]);
  });

  it("a renamed tab is still read, with a warning; a missing tab is an error", async () => {
    const dir = await tempDir();
    const renamed = await editWorkbook(example("bromma"), join(dir, "renamed.xlsx"), (wb) => {
      wb.getWorksheet("Bromma")!.name = "Vår flik";
    });
    const result = await validate([renamed]);
    expect(result.received).toEqual(["bromma"]);
    expect(result.findings.find((f) => f.code === "TAB_RENAMED")).toMatchObject({
      severity: "warning",
      sheet: "Vår flik",
      message: 'Fliken heter "Vår flik" men innehåller Bromma. Den lästes ändå.',
    });
    const missing = await editWorkbook(example("bromma"), join(dir, "missing.xlsx"), (wb) => {
      wb.removeWorksheet(wb.getWorksheet("Bromma")!.id);
    });
    const codes = (await validate([missing])).findings.map((f) => f.code);
    expect(codes).toContain("TAB_MISSING");
  });

  it("merged cells", async () => {
    const dir = await tempDir();
    const merged = await editWorkbook(example("bromma"), join(dir, "merged.xlsx"), (wb) => {
      wb.getWorksheet("Bromma")!.mergeCells("H7:I7");
    });
    const found = (await validate([merged])).findings.find((f) => f.code === "MERGED_CELLS");
    expect(found).toMatchObject({ severity: "error", cell: "H7:I7", sheet: "Bromma" });
  });

  it("hp validate exits 1 on a bad file and 2 when it cannot run", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "x.xlsx"), "a;b\n");
    expect((await hp("validate", join(dir, "x.xlsx"), "--year", "2025")).code).toBe(1);
    const noYear = await hp("validate", dir);
    expect(noYear).toMatchObject({ code: 2, err: "hp validate behöver --year, till exempel --year 2025." });
    const badFlag = await hp("validate", dir, "--year", "2025", "--strict");
    expect(badFlag).toMatchObject({ code: 2, err: "Okänd flagga --strict för hp validate. Se hp validate --help." });
    const badCatalogue = await hp("validate", dir, "--year", "2025", "--catalogue", join(dir, "nothing"));
    expect(badCatalogue.code).toBe(2);
    expect(badCatalogue.err).toMatch(/^Katalogfilen .*plans\.yaml saknas eller kan inte läsas\.$/);
  });
});
