import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { EXAMPLES, column, editWorkbook, findRow, hp, tempDir } from "./helpers.js";
import { cp } from "node:fs/promises";

describe("the Excel report", () => {
  it("has the summary, a sheet per focus area, reporting, local work, data and legend, with numbers as numbers", async () => {
    const out = await tempDir();
    await hp("aggregate", "--input", EXAMPLES, "--year", "2025", "--out", out, "--no-store");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, "2025", "uppfoljning-2025.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Sammanfattning",
      "1. God arbetssituation",
      "2. Kompetens och utveckling",
      "3. Gott ledarskap",
      "4. Digital utveckling",
      "Personalsituationen",
      "Rapportering",
      "Lokalt arbete",
      "Stadsövergripande aktiviteter",
      "Data",
      "Källor",
      "Teckenförklaring",
      "Indikatordefinitioner",
    ]);
    // The city-wide activities with the central tab's status and follow-up; the definitions, one row per indicator.
    const city = wb.getWorksheet("Stadsövergripande aktiviteter")!;
    const cityRows = city.getSheetValues().filter((r) => Array.isArray(r) && r[2] && r[1] !== "Fokusområde");
    expect(cityRows.length).toBe(8);
    expect(cityRows.every((r) => ["Planerad", "Pågår", "Genomförd", "Avbruten"].includes(String((r as unknown[])[3])))).toBe(true);
    const definitions = wb.getWorksheet("Indikatordefinitioner")!;
    expect(definitions.getRow(4).values).toEqual([undefined, "Id", "Fokusområde", "Indikator", "Vad som mäts", "Källa", "Stadens värde", "Önskad riktning", "Minsta grupp som visas", "År"]);
    expect(definitions.rowCount).toBeGreaterThan(4 + 15);
    // Built on the example files: every tab says so in its printed header.
    for (const ws of wb.worksheets) expect(ws.headerFooter.oddHeader, ws.name).toContain("EXEMPELDATA");
    const data = wb.getWorksheet("Data")!;
    expect(data.autoFilter).toBeTruthy();
    expect(data.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(data.pageSetup).toMatchObject({ paperSize: 9, printTitlesRow: "1:1" });
    let numbers = 0;
    let textNumbers = 0;
    data.eachRow((row, n) => {
      if (n === 1) return;
      const value = row.getCell(9).value;
      if (typeof value === "number") numbers++;
      if (typeof value === "string" && /^\d/.test(value)) textNumbers++;
    });
    expect(numbers).toBeGreaterThan(3000);
    expect(textNumbers).toBe(0);
    const summary = wb.getWorksheet("Sammanfattning")!;
    const row = summary.getRows(1, summary.rowCount)!.find((r) => r.getCell(2).value === "Chefen hjälper till att prioritera")!;
    expect(typeof row.getCell(5).value).toBe("number");
    expect(row.getCell(5).numFmt).toBe('0.0" %"');
    expect(row.getCell(7).value).toBe("Trenden går åt fel håll");
  });

  it("keeps reporters' text that starts with =, +, - or @ as text, with quotePrefix so an edit cannot make it a formula", async () => {
    const dir = await tempDir();
    await cp(EXAMPLES, dir, { recursive: true });
    const dangerous = ['=HYPERLINK("http://169.254.169.254/","klicka")', "+46 8 508 000 00", "-1+1", "@SUM(A1:A2)"];
    await editWorkbook(join(EXAMPLES, "2025-bromma.xlsx"), join(dir, "2025-bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      findRow(ws, "tp-vfu-platser", "Totalt").getCell(column(ws, "Kommentar")).value = dangerous[0]!;
      findRow(ws, "fa1-hot-vald-incidenter", "Totalt").getCell(column(ws, "Kommentar")).value = dangerous[1]!;
      let activityHeader = 0;
      ws.eachRow((r, n) => {
        if (r.getCell(2).value === "Aktivitet") activityHeader = n;
      });
      const activity = ws.getRow(activityHeader + 1);
      activity.getCell(1).value = "1. En god arbetssituation som präglas av trygghet, delaktighet och inflytande";
      activity.getCell(2).value = dangerous[2]!;
      activity.getCell(3).value = dangerous[3]!;
    });
    const out = await tempDir();
    await hp("aggregate", "--input", dir, "--year", "2025", "--out", out, "--no-store");
    const bytes = await readFile(join(out, "2025", "uppfoljning-2025.xlsx"));
    const files = unzipSync(new Uint8Array(bytes));
    const sheets = Object.keys(files).filter((n) => n.startsWith("xl/worksheets/sheet"));
    for (const name of sheets) expect(strFromU8(files[name]!), name).not.toContain("<f>");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const texts: unknown[] = [];
    for (const ws of [wb.getWorksheet("Data")!, wb.getWorksheet("Lokalt arbete")!]) {
      ws.eachRow((row) => row.eachCell((cell) => texts.push(cell.value)));
    }
    for (const text of dangerous) expect(texts).toContain(text);
    // Each of them in a cell whose style has quotePrefix="1"; no other cell has it.
    const styles = strFromU8(files["xl/styles.xml"]!);
    const xfs = [.../<cellXfs count="(\d+)">([\s\S]*?)<\/cellXfs>/.exec(styles)![2]!.matchAll(/<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
    expect(/<cellXfs count="(\d+)">/.exec(styles)![1]).toBe(String(xfs.length));
    const shared = [...strFromU8(files["xl/sharedStrings.xml"]!).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
      [...m[1]!.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("").replaceAll("&quot;", '"').replaceAll("&amp;", "&"),
    );
    const prefixedTexts: string[] = [];
    for (const name of sheets) {
      for (const m of strFromU8(files[name]!).matchAll(/<c\b([^>/]*)>([\s\S]*?)<\/c>/g)) {
        const style = Number(/ s="(\d+)"/.exec(m[1]!)?.[1] ?? 0);
        if (!xfs[style]!.includes('quotePrefix="1"')) continue;
        expect(m[1]).toContain('t="s"');
        prefixedTexts.push(shared[Number(/<v>(\d+)<\/v>/.exec(m[2]!)![1])]!);
      }
    }
    for (const text of dangerous) expect(prefixedTexts).toContain(text);
    expect(prefixedTexts.every((t) => /^[=+\-@]/.test(t))).toBe(true);
  });

  it("removes direction-changing characters and caps very long text, visibly, with a warning at the cell", async () => {
    const dir = await tempDir();
    await cp(EXAMPLES, dir, { recursive: true });
    const reversed = "Vi har \u202Etnäpo\u202C planerat";
    const long = "Handledning i grupp varannan vecka med extern handledare. ".repeat(20_000);
    await editWorkbook(join(EXAMPLES, "2025-bromma.xlsx"), join(dir, "2025-bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      findRow(ws, "tp-vfu-platser", "Totalt").getCell(column(ws, "Kommentar")).value = reversed;
      findRow(ws, "fa1-hot-vald-incidenter", "Totalt").getCell(column(ws, "Kommentar")).value = long;
    });
    const out = await tempDir();
    const run = await hp("aggregate", "--input", dir, "--year", "2025", "--out", out, "--no-store");
    expect(run.code).toBe(1);
    const { findings } = JSON.parse(await readFile(join(out, "2025", "findings.json"), "utf8")) as { findings: { code: string; sheet: string; cell: string; message: string }[] };
    const text = findings.filter((f) => f.code.startsWith("TEXT_"));
    expect(text).toHaveLength(2);
    expect(text).toContainEqual(expect.objectContaining({ code: "TEXT_CONTROL_CHARACTERS", sheet: "Bromma", cell: expect.stringMatching(/^[A-Z]+\d+$/) }));
    expect(text).toContainEqual(
      expect.objectContaining({ code: "TEXT_TOO_LONG", sheet: "Bromma", message: expect.stringMatching(/^Texten är 1\s159\s999 tecken lång/) }),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(join(out, "2025", "uppfoljning-2025.xlsx"))) as unknown as ArrayBuffer);
    const comments: string[] = [];
    const data = wb.getWorksheet("Data")!;
    const commentColumn = (data.getRow(1).values as unknown[]).indexOf("Kommentar");
    expect(commentColumn).toBeGreaterThan(0);
    data.eachRow((row, r) => {
      const v = r > 1 ? row.getCell(commentColumn).value : undefined;
      if (typeof v === "string" && v) comments.push(v);
    });
    expect(comments).toContain("Vi har tnäpo planerat");
    const cut = comments.find((c) => c.startsWith("Handledning i grupp"))!;
    expect([...cut].length).toBeLessThanOrEqual(2000);
    expect(cut.endsWith("…(förkortad)")).toBe(true);
    expect(comments.join("")).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
});
