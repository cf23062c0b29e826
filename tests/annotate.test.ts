/**
 * The reporter's loop offline: hp validate --annotate writes a copy of each workbook with the
 * findings where they are fixed. Checked on the example with mistakes and on workbooks filled
 * by openpyxl and LibreOffice, read back with the project's reader and with read-excel-file.
 */
import { createHash } from "node:crypto";
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import readXlsxFile from "read-excel-file/node";
import { describe, expect, it } from "vitest";
import { groupBy } from "../functions/shared/group-by.js";
import { COLOURS } from "../functions/template/template-layout.js";
import { column, EXAMPLES, example, findRow, hp, tempDir } from "./helpers.js";
import { setCellText } from "./support/xlsx-edit.js";
import { loadXlsx } from "../functions/workbook/read-xlsx.js";

type JsonFinding = { severity: string; code: string; file: string; sheet: string | null; cell: string | null; message: string };

const sha = async (path: string) => createHash("sha256").update(await readFile(path)).digest("hex");
const withoutFile = (findings: JsonFinding[]) => findings.map(({ file: _, ...rest }) => rest);

async function findingsOf(path: string, ...extra: string[]): Promise<JsonFinding[]> {
  const run = await hp("validate", path, "--year", "2025", "--json", ...extra);
  return (JSON.parse(run.out) as { findings: JsonFinding[] }).findings;
}

/** With the project's loader, which gets past exceljs's trouble with openpyxl's notes. */
const load = async (path: string) => loadXlsx(await readFile(path), { toWrite: true });

const FIXTURES = join(import.meta.dirname, "fixtures", "other-programs");
const workbooks = [
  { name: "the example with mistakes (exceljs)", path: example("skarpnack") },
  { name: "a workbook filled by openpyxl", path: join(FIXTURES, "openpyxl-2025.xlsx") },
  { name: "a workbook re-saved by LibreOffice", path: join(FIXTURES, "libreoffice-2025.xlsx") },
];

describe.each(workbooks)("hp validate --annotate on $name", ({ path }) => {
  it("marks every cell to fix, fills Kontroll, lists every finding first, and changes nothing else", async () => {
    const dir = await tempDir();
    const original = join(dir, "in", basename(path));
    await cp(path, original);
    // A mistake at a known cell, whatever the workbook held.
    const tab = basename(path).startsWith("2025-") ? "Skarpnäck" : "Bromma";
    const value = findRow((await load(original)).getWorksheet(tab)!, "tp-vfu-platser", "Totalt").getCell(8).address;
    await writeFile(original, setCellText(await readFile(original), tab, value, "sju"));
    const before = await sha(original);
    const out = join(dir, "kontrollerade");
    const run = await hp("validate", original, "--year", "2025", "--annotate", out);
    expect(run.code).toBe(1);
    expect(run.out).toContain("Kopior med fynden markerade:");
    expect(await sha(original)).toBe(before);
    const copy = join(out, basename(path));
    expect(await readdir(out)).toEqual([basename(path)]);

    // Reading the copy gives the same findings.
    const findings = await findingsOf(original);
    expect(findings.some((f) => f.code === "VALUE_NOT_NUMBER")).toBe(true);
    expect(withoutFile(await findingsOf(copy))).toEqual(withoutFile(findings));

    const [a, b] = [await load(original), await load(copy)];
    // The results tab first, with a row per finding, linked to its cell.
    expect(b.worksheets[0]!.name).toBe("Kontrollresultat");
    expect(b.worksheets.slice(1).map((w) => [w.name, w.state])).toEqual(a.worksheets.map((w) => [w.name, w.state]));
    const results = b.worksheets[0]!;
    // The links as the file holds them (exceljs does not read links within a workbook back).
    const files = unzipSync(new Uint8Array(await readFile(copy)));
    const links = new Map<number, string>();
    for (const [name, data] of Object.entries(files)) {
      if (!name.startsWith("xl/worksheets/sheet")) continue;
      const xml = strFromU8(data);
      if (!xml.includes("Kontrollresultat") && !/<hyperlink\b/.test(xml)) continue;
      for (const m of xml.matchAll(/<hyperlink\b([^>]*)\/>/g)) {
        expect(m[1]).not.toMatch(/r:id=/);
        const ref = /ref="B(\d+)"/.exec(m[1]!)?.[1];
        const location = /location="([^"]+)"/.exec(m[1]!)?.[1]?.replaceAll("&apos;", "'");
        if (ref && location) links.set(Number(ref), location);
      }
    }
    const listed: { sheet: unknown; cell: unknown; link?: string }[] = [];
    let inTable = false;
    results.eachRow((row, n) => {
      if (inTable) listed.push({ sheet: row.getCell(1).value, cell: row.getCell(2).text, ...(links.has(n) ? { link: links.get(n) } : {}) });
      if (row.getCell(1).value === "Flik") inTable = true;
    });
    expect(listed).toHaveLength(findings.length);
    for (const f of findings.filter((f) => f.sheet && f.cell)) {
      expect(listed).toContainEqual({ sheet: f.sheet, cell: f.cell, link: `'${f.sheet}'!${f.cell}` });
    }

    // Every cell to fix: the mark of its worst finding, and a note with each message.
    const marks = { error: `FF${COLOURS.error}`, warning: `FF${COLOURS.warning}` };
    const byCell = groupBy(findings.filter((f) => f.sheet && f.cell), (f) => `${f.sheet}!${f.cell}`);
    for (const list of byCell.values()) {
      const cell = b.getWorksheet(list[0]!.sheet!)!.getCell(list[0]!.cell!);
      const worst = list.some((f) => f.severity === "error") ? "error" : "warning";
      expect((cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb, `${list[0]!.sheet}!${list[0]!.cell}`).toBe(marks[worst]);
      const note = typeof cell.note === "string" ? cell.note : (cell.note?.texts ?? []).map((t) => t.text).join("");
      for (const f of list) expect(note).toContain(f.message);
    }

    // Everything else as it was: every value, every input cell's protection, every validation
    // (an attribute written as its OOXML default, showInputMessage="0", is the same as none).
    const validation = (c: ExcelJS.Cell) => {
      const { showInputMessage, ...rest } = (c.dataValidation ?? {}) as ExcelJS.DataValidation;
      return showInputMessage ? { showInputMessage, ...rest } : rest;
    };
    for (const ws of a.worksheets) {
      const copied = b.getWorksheet(ws.name)!;
      const checkCols = new Set<number>();
      ws.eachRow((row) => row.eachCell((c, col) => c.value === "Kontroll" && checkCols.add(col)));
      ws.eachRow({ includeEmpty: false }, (row, r) =>
        row.eachCell({ includeEmpty: false }, (cell, c) => {
          const other = copied.getCell(r, c);
          if (!checkCols.has(c)) expect(other.value, `${ws.name}!${cell.address}`).toEqual(cell.value);
          expect(other.protection?.locked, `${ws.name}!${cell.address}`).toEqual(cell.protection?.locked);
          expect(validation(other), `${ws.name}!${cell.address}`).toEqual(validation(cell));
          expect(other.numFmt ?? "General", `${ws.name}!${cell.address}`).toEqual(cell.numFmt ?? "General");
        }),
      );
      const protection = (w: ExcelJS.Worksheet) => (w as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection;
      expect(protection(copied)).toEqual(protection(ws));
      if (ws.state === "visible") expect(protection(ws)?.sheet, ws.name).toBe(true);
    }
    // The Kontroll cell of the row with the mistake tells it.
    const row = findRow(b.getWorksheet(tab)!, "tp-vfu-platser", "Totalt");
    const check = [...Array(row.cellCount).keys()].map((i) => row.getCell(i + 1).value).find((v) => typeof v === "string" && /^\d+ fel/.test(v));
    expect(check).toMatch(/^1 fel: /);

    // A second reader sees the same values in every tab of the original.
    const second = await readXlsxFile(await readFile(copy));
    expect(second.map((s) => s.sheet)).toEqual(b.worksheets.map((w) => w.name));
    const bromma = second.find((s) => s.sheet === tab)!.data;
    const brommaA = (await readXlsxFile(await readFile(original))).find((s) => s.sheet === tab)!.data;
    expect(bromma.map((r) => r[0])).toEqual(brommaA.map((r) => r[0]));
  });
});

/** How each tab prints, as the file says it (flags as written by any program, "true" or "1"). */
function printSettings(bytes: Uint8Array): Record<string, unknown> {
  const files = unzipSync(bytes);
  const xml = (name: string) => strFromU8(files[name]!);
  const flag = (v: string | undefined) => (v === undefined ? undefined : v === "1" || v === "true");
  const attr = (element: string | undefined, name: string) => (element ? new RegExp(`\\b${name}="([^"]*)"`).exec(element)?.[1] : undefined);
  const workbook = xml("xl/workbook.xml");
  const rels = xml("xl/_rels/workbook.xml.rels");
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => ({ name: attr(m[0], "name")!.replace(/&apos;/g, "'"), rid: attr(m[0], "r:id")! }));
  const titles = [...workbook.matchAll(/<definedName\b([^>]*)>([^<]*)<\/definedName>/g)].filter((m) => /_xlnm\.Print_(Titles|Area)/.test(m[1]!)).map((m) => `${attr(m[1], "name")} ${m[2]!.replace(/&apos;|'/g, "")}`);
  const out: Record<string, unknown> = { titles: titles.sort() };
  for (const s of sheets) {
    const target = new RegExp(`<Relationship\\b[^>]*Id="${s.rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`<Relationship\\b[^>]*Target="([^"]+)"[^>]*Id="${s.rid}"`).exec(rels)?.[1];
    const sheet = xml(target!.startsWith("/") ? target!.slice(1) : `xl/${target}`);
    const setup = /<pageSetup\b[^>]*>/.exec(sheet)?.[0];
    out[s.name] = {
      fitToPage: flag(attr(/<pageSetUpPr\b[^>]*>/.exec(sheet)?.[0], "fitToPage")) ?? false,
      orientation: attr(setup, "orientation") ?? "portrait",
      paperSize: attr(setup, "paperSize") ?? "1",
      fitToWidth: attr(setup, "fitToWidth") ?? "1",
      fitToHeight: attr(setup, "fitToHeight") ?? "1",
    };
  }
  return out;
}

describe.each(workbooks)("the print settings of $name", ({ path }) => {
  it("are the same in the checked copy: fit to page, orientation, paper, titles", async () => {
    const dir = await tempDir();
    expect((await hp("validate", path, "--year", "2025", "--annotate", dir)).code).toBeLessThanOrEqual(1);
    const copy = join(dir, (await readdir(dir))[0]!);
    const before = printSettings(await readFile(path));
    const after = printSettings(await readFile(copy));
    const { Kontrollresultat, ...rest } = after as Record<string, unknown>;
    expect(rest).toEqual(before);
    expect(Kontrollresultat).toMatchObject({ fitToPage: true, orientation: "landscape" });
  });
});

describe("a checked copy checked again", () => {
  it("loses every mark, note part and legend the first check made, and keeps the reporter's own note", async () => {
    const dir = await tempDir();
    const wb = await load(example("bromma"));
    const ws = wb.getWorksheet("Bromma")!;
    const cell = findRow(ws, "tp-vfu-platser", "Totalt").getCell(column(ws, "Värde"));
    const right = cell.value;
    const inputFill = JSON.stringify(cell.fill);
    cell.value = "många";
    cell.note = { texts: [{ text: "Siffran kommer från HR i mars." }] };
    await writeFile(join(dir, "2025-bromma.xlsx"), Buffer.from(await wb.xlsx.writeBuffer()));
    const first = join(dir, "forsta");
    expect((await hp("validate", join(dir, "2025-bromma.xlsx"), "--year", "2025", "--annotate", first)).code).toBe(1);

    const marked = await load(join(first, "2025-bromma.xlsx"));
    const mcell = findRow(marked.getWorksheet("Bromma")!, "tp-vfu-platser", "Totalt").getCell(column(marked.getWorksheet("Bromma")!, "Värde"));
    expect((mcell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(`FF${COLOURS.error}`);
    const noteOf = (c: ExcelJS.Cell) => (typeof c.note === "string" ? c.note : (c.note?.texts ?? []).map((t) => t.text).join(""));
    expect(noteOf(mcell)).toMatch(/^Siffran kommer från HR i mars\.\n\nKontrollen:\nFel: /);
    // The reporter puts it right in the checked copy, and checks that.
    mcell.value = right;
    await writeFile(join(dir, "rattad.xlsx"), Buffer.from(await marked.xlsx.writeBuffer()));
    const second = join(dir, "andra");
    const again = await hp("validate", join(dir, "rattad.xlsx"), "--year", "2025", "--annotate", second);
    expect(again.code).toBe(0);

    const checked = await load(join(second, "rattad.xlsx"));
    const tab = checked.getWorksheet("Bromma")!;
    const fixed = findRow(tab, "tp-vfu-platser", "Totalt").getCell(column(tab, "Värde"));
    expect(JSON.stringify(fixed.fill)).toBe(inputFill);
    expect(noteOf(fixed)).toBe("Siffran kommer från HR i mars.");
    const left: string[] = [];
    const marks = new Set([COLOURS.error, COLOURS.warning].map((c) => `FF${c}`));
    tab.eachRow({ includeEmpty: true }, (row) =>
      row.eachCell({ includeEmpty: true }, (c) => {
        if (marks.has((c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb ?? "")) left.push(`${c.address} fylld`);
        if (/Kontrollen:|^(Fel|Varning): /m.test(noteOf(c))) left.push(`${c.address} anteckning`);
        if (typeof c.value === "string" && /^(Röd|Orange|Gul) cell:/.test(c.value)) left.push(`${c.address} förklaring`);
      }),
    );
    expect(left).toEqual([]);
    expect(checked.getWorksheet("Kontrollresultat")!.getCell("A2").value).toMatch(/Inga fel eller varningar\.$/);
  });

  it("marks a copy checked again without changes exactly as the first time: the same cells, notes and legend, nothing twice", async () => {
    const dir = await tempDir();
    expect((await hp("validate", example("skarpnack"), "--year", "2025", "--annotate", join(dir, "forsta"))).code).toBe(1);
    expect((await hp("validate", join(dir, "forsta", "2025-skarpnack.xlsx"), "--year", "2025", "--annotate", join(dir, "andra"))).code).toBe(1);
    const marks = async (path: string) => {
      const tab = (await load(path)).getWorksheet("Skarpnäck")!;
      const seen: string[] = [];
      tab.eachRow({ includeEmpty: true }, (row) =>
        row.eachCell({ includeEmpty: true }, (c) => {
          const argb = (c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
          const note = typeof c.note === "string" ? c.note : (c.note?.texts ?? []).map((t) => t.text).join("");
          if (argb === `FF${COLOURS.error}` || argb === `FF${COLOURS.warning}`) seen.push(`${c.address} ${argb} ${typeof c.value === "string" ? c.value : ""} ${note}`);
        }),
      );
      return seen;
    };
    const first = await marks(join(dir, "forsta", "2025-skarpnack.xlsx"));
    expect(first.filter((m) => / (Röd|Orange) cell:/.test(m))).toHaveLength(2);
    expect(await marks(join(dir, "andra", "2025-skarpnack.xlsx"))).toEqual(first);
  });

  it("takes the reporter's part of a note apart from what a check wrote, also a check before the marker", async () => {
    const { reportersPart } = await import("../functions/validate/annotate-xlsx.js");
    expect(reportersPart("Egen text")).toBeUndefined();
    expect(reportersPart("Kontrollen:\nFel: x")).toBe("");
    expect(reportersPart("Egen\n\nKontrollen:\nFel: x\n→ y\n\nVarning: z")).toBe("Egen");
    expect(reportersPart("Egen\n\nFel: x")).toBe("Egen");
  });
});

describe("findings about the file's own units only", () => {
  it("gives a single unit's own workbook no finding about another unit, and still tells a folder its missing units once", async () => {
    const single = await findingsOf(example("bromma"));
    expect(single.filter((f) => f.code === "UNIT_MISSING")).toEqual([]);
    const dir = await tempDir();
    await cp(EXAMPLES, dir, { recursive: true });
    const { rm } = await import("node:fs/promises");
    await rm(join(dir, "2025-farsta.xlsx"));
    const folder = await findingsOf(dir);
    expect(folder.filter((f) => f.code === "UNIT_MISSING")).toEqual([expect.objectContaining({ message: expect.stringContaining("Farsta") })]);
  });

  it("checks only the units asked for with --unit", async () => {
    const findings = await findingsOf(EXAMPLES, "--unit", "bromma");
    expect(findings).toEqual([]);
    const skarpnack = await findingsOf(EXAMPLES, "--unit", "skarpnack");
    expect(skarpnack.length).toBeGreaterThan(0);
    expect(skarpnack.every((f) => f.sheet === "Skarpnäck" || f.sheet === null)).toBe(true);
    const unknown = await hp("validate", EXAMPLES, "--year", "2025", "--unit", "atlantis");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Enheten "atlantis" finns inte 2025');
  });

  it("never writes a copy over its original", async () => {
    const dir = await tempDir();
    await cp(example("skarpnack"), join(dir, "2025-skarpnack.xlsx"));
    const before = await sha(join(dir, "2025-skarpnack.xlsx"));
    const run = await hp("validate", dir, "--year", "2025", "--annotate", dir);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/skulle skriva över originalet/);
    expect(await sha(join(dir, "2025-skarpnack.xlsx"))).toBe(before);
  });
});
