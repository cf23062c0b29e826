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
      "Data",
      "Teckenförklaring",
    ]);
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

  it("keeps reporters' text that starts with =, +, - or @ as text", async () => {
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
  });
});
