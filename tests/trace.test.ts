/**
 * A trace behind every figure, and the published figures as open data (issue 27.4–27.5), on one
 * `hp aggregate` of the example year with an incidents export imported:
 * - `hp explain` says where a unit's typed and imported figures and the city's came from;
 * - the Excel report's Källor tab names each typed figure's file, tab and cell, and that cell,
 *   read again from the workbook, holds the figure; an imported figure names the export's hash;
 * - the open-data CSV and the Kolada-shaped JSON give the same figures as aggregates.json, the
 *   same symbols, nothing beside a hidden figure, and the suppression attacker run on the CSV
 *   recovers nothing.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import type { PublishedFigure } from "../functions/report/figures.js";
import { groupBy } from "../functions/shared/group-by.js";
import { EXAMPLES, hpWithEnv, ROOT, tempDir } from "./helpers.js";
import { type Figure, recoveredBy } from "./support/recover.js";

const ENV = { SOURCE_DATE_EPOCH: "1771000000" };
const INCIDENTS = ["Id;Datum;Förvaltning;Verksamhet;Typ", "IA-1;2025-01-14;Bromma;Äldre;Hot", "IA-2;2025-02-03;Bromma stadsdelsförvaltning;Äldre;Våld", "IA-3;2025-03-03;Farsta;Missbruk;Hot", "IA-4;2025-04-04;Bromma;Barn och unga;Otillåten påverkan"];

/** aggregates.json's rows are the published figures. */
type Row = PublishedFigure;

let out: string;
let history: string;
let exportFile: string;
let rows: Row[];

beforeAll(async () => {
  const dir = await tempDir();
  [out, history, exportFile] = [join(dir, "ut"), join(dir, "historik"), join(dir, "incidenter-2025.csv")];
  await writeFile(exportFile, `${INCIDENTS.join("\r\n")}\r\n`);
  const imported = await hpWithEnv(ENV, "import", "incidenter", exportFile, "--year", "2025", "--history-dir", history, "--by", "Eva Projektledare");
  expect(imported.code, imported.err).toBe(0);
  const run = await hpWithEnv(ENV, "aggregate", "--input", EXAMPLES, "--year", "2025", "--out", out, "--history-dir", history);
  expect(run.code, run.err).toBe(1); // Skarpnäck's deliberate errors
  rows = JSON.parse(await readFile(join(out, "2025", "aggregates.json"), "utf8")).rows;
});

describe("hp explain", () => {
  it("says where a unit's typed figure, an imported one and the city's came from", async () => {
    const typed = await hpWithEnv(ENV, "explain", "tp-vfu-platser", "--year", "2025", "--unit", "Bromma", "--out", out, "--history-dir", history);
    expect(typed.code, typed.err).toBe(0);
    const sha = createHash("sha256").update(await readFile(exportFile)).digest("hex");
    expect(typed.out.replace(sha.slice(0, 12), "SHA")).toMatchInlineSnapshot(`
      "Antal VFU-platser som erbjudits socionomstudenter. (tp-vfu-platser), 2025
      Körningen 2026-02-13 17:26. Underlag: 16 arbetsböcker; import från Incidenter (incidenter-2025.csv, SHA-256 SHA…).

      Bromma: 8
        Inskrivet i sheets/exempel/2025-bromma.xlsx, fliken Bromma, cell H24"
    `);
    const incidents = await hpWithEnv(ENV, "explain", "fa1-hot-vald-incidenter", "--year", "2025", "--unit", "bromma", "--out", out, "--history-dir", history);
    expect(incidents.out.split("\n").slice(2).join("\n")).toMatchInlineSnapshot(`
      "
      Bromma, äldre: 2
        Importerat från Incidenter: incidenter-2025.csv (SHA-256 32790f2d77c5…), rad 2–3, 2026-02-13 av Eva Projektledare

      Bromma, barn och unga: 1
        Importerat från Incidenter: incidenter-2025.csv (SHA-256 32790f2d77c5…), rad 5, 2026-02-13 av Eva Projektledare

      Bromma, ekonomiskt bistånd: 0
        Importerat från Incidenter: incidenter-2025.csv (SHA-256 32790f2d77c5…), 2026-02-13 av Eva Projektledare

      Bromma, stöd till funktionsnedsatta: 0
        Importerat från Incidenter: incidenter-2025.csv (SHA-256 32790f2d77c5…), 2026-02-13 av Eva Projektledare

      Bromma, missbruk: 0
        Importerat från Incidenter: incidenter-2025.csv (SHA-256 32790f2d77c5…), 2026-02-13 av Eva Projektledare

      Bromma, socialpsykiatri: 0
        Importerat från Incidenter: incidenter-2025.csv (SHA-256 32790f2d77c5…), 2026-02-13 av Eva Projektledare

      Bromma: 3
        Importerat från Incidenter: incidenter-2025.csv (SHA-256 32790f2d77c5…), rad 2–3, 5, 2026-02-13 av Eva Projektledare"
    `);
    const city = await hpWithEnv(ENV, "explain", "tp-vfu-platser", "--year", "2025", "--unit", "staden", "--out", out, "--history-dir", history);
    expect(city.out.split("\n").slice(2).join("\n")).toMatchInlineSnapshot(`
      "
      Stockholms stad: ..* (redovisas inte: alla enheter ingår inte; 14 av 15 enheter; saknas: Skarpnäck (lämnade in med fel))
        Summa för enheterna: 14 enheter (Bromma, Enskede-Årsta-Vantör, Farsta, Hägersten-Älvsjö, Hässelby-Vällingby, Kungsholmen, Norrmalm, Rinkeby-Kista, Skärholmen, Socialförvaltningen, Spånga-Tensta, Södermalm, Äldreförvaltningen och Östermalm)"
    `);
  });

  it("says a hidden figure is protected, and names no number, numerator or respondents for it", async () => {
    const hidden = await hpWithEnv(ENV, "explain", "fa1-paverka-arbetet", "--year", "2025", "--unit", "östermalm", "--out", out, "--history-dir", history);
    const lines = hidden.out.split("\n");
    expect(lines.filter((l) => l.startsWith("Östermalm"))).toEqual([
      "Östermalm, kvinnor: × (skyddad: gruppen är för liten, eller uppgiften skulle låta en annan skyddad uppgift räknas fram)",
      "Östermalm, män: × (skyddad: gruppen är för liten, eller uppgiften skulle låta en annan skyddad uppgift räknas fram)",
      expect.stringMatching(/^Östermalm: \d+,\d\s%$/),
    ]);
    const traces = lines.filter((l) => l.startsWith("  "));
    expect(traces).toHaveLength(3);
    for (const t of traces) expect(t).toMatch(/^ {2}Inskrivet i sheets\/exempel\/2025-central-rapportering\.xlsx, fliken Central rapportering, cellerna H\d+ och L\d+$/);
  });

  it("says so, and exits 2, when the year has no run or the indicator is unknown", async () => {
    const none = await hpWithEnv(ENV, "explain", "tp-vfu-platser", "--year", "2025", "--out", join(out, "ingen"), "--history-dir", history);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/Ingen körning för 2025 i .*ingen\/2025\/aggregates\.json\. Kör hp run --year 2025 --out MAPP först/);
    const unknown = await hpWithEnv(ENV, "explain", "atlantis", "--year", "2025", "--out", out, "--history-dir", history);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^Indikatorn "atlantis" finns inte 2025\. Välj en av: fa1-paverka-arbetet, /);
  });
});

describe("the Excel report's Källor tab", () => {
  it("names each typed figure's cell, which holds the figure, and each imported one's export", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, "2025", "uppfoljning-2025.xlsx"));
    const ws = wb.getWorksheet("Källor")!;
    const lines: string[][] = [];
    ws.eachRow((row) => lines.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? "" : String(v)))));
    const head = lines.findIndex((l) => l[0] === "Indikator-id");
    expect(lines[head]).toEqual(["Indikator-id", "Enhet", "Uppdelning", "Visas som", "Ursprung", "Fil", "Flik", "Celler eller rader", "Anmärkning"]);
    const figures = lines.slice(head + 1);
    expect(figures.length).toBe(rows.filter((r) => r.year === 2025).length);
    // The inputs first: every workbook with its SHA-256, and the import.
    const sha = createHash("sha256").update(await readFile(exportFile)).digest("hex");
    expect(lines.slice(0, head).find((l) => l[0] === "Import: Incidenter")).toEqual([
      "Import: Incidenter",
      "",
      "",
      "",
      "",
      "incidenter-2025.csv",
      "",
      "",
      expect.stringMatching(new RegExp(`^SHA-256 ${sha}\\. CSV .*; 4 av 4 rader används; importerad .* av Eva Projektledare\\. Bara antalen sparas, aldrig raderna\\.$`)),
    ]);
    expect(lines.slice(0, head).filter((l) => l[0] === "Arbetsbok")).toHaveLength(16);

    // Each typed count shown is in the cell named, read again from the workbook itself.
    const catalogue = await loadCatalogue();
    const counts = new Set(catalogue.indicators.filter((i) => i.measure === "count").map((i) => i.id));
    const books = new Map<string, ExcelJS.Workbook>();
    let checked = 0;
    for (const [indicator, , , shown, kind, file, sheet, cells] of figures) {
      if (kind !== "Inskrivet" || !counts.has(indicator!) || !/^\d+$/.test(shown!.replace(/\s/g, ""))) continue;
      let book = books.get(file!);
      if (!book) {
        book = new ExcelJS.Workbook();
        await book.xlsx.readFile(resolve(ROOT, file!));
        books.set(file!, book);
      }
      const value = book.getWorksheet(sheet!)!.getCell(cells!).value;
      expect(Number(String(value).replace(/\s/g, "")), `${file} ${sheet}!${cells}`).toBe(Number(shown!.replace(/\s/g, "")));
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    const bromma = figures.find((f) => f[0] === "fa1-hot-vald-incidenter" && f[1] === "Bromma" && f[2] === "T")!;
    expect(bromma.slice(3, 8)).toEqual(["3", "Import", "incidenter-2025.csv", "", "2–3, 5"]);
  });
});

describe("the open data", () => {
  it("gives the same figures as aggregates.json, with nothing beside a hidden one", async () => {
    const csv: Record<string, string>[] = parse(await readFile(join(out, "2025", "oppna-data-2025.csv")), { columns: true, bom: false });
    expect(csv.length).toBe(rows.length);
    csv.forEach((c, i) => {
      const r = rows[i]!;
      expect([c.indikator_id, c.enhet_id, Number(c.ar), c.uppdelning, c.visas_som]).toEqual([r.indicator, r.unit, r.year, r.breakdown, r.text]);
      expect(c.varde, r.text).toBe(r.value === null ? "" : String(r.value));
      if (r.value === null) expect([c.taljare, c.namnare, c.antal_svarande], r.text).toEqual(["", "", ""]);
    });
    const kolada = JSON.parse(await readFile(join(out, "2025", "oppna-data-2025.json"), "utf8"));
    expect(kolada.count).toBe(kolada.values.length);
    const byKey = new Map(rows.filter((r) => r.aggregation !== "unweighted-mean").map((r) => [`${r.indicator}|${r.unit}|${r.year}|${r.breakdown}`, r]));
    let values = 0;
    for (const entry of kolada.values) {
      expect(Object.keys(entry)).toEqual(["kpi", "ou", "municipality", "period", "values"]);
      const [indicator, part] = entry.kpi.split(":");
      for (const v of entry.values) {
        const r = byKey.get(`${indicator}|${entry.ou}|${entry.period}|${part ?? v.gender}`)!;
        expect(v.value, entry.kpi).toBe(r.value);
        expect(v.status === "", entry.kpi).toBe(r.status === "ok" && !/[*?†]$/.test(r.text));
        values++;
      }
    }
    // Every figure but the status lists' texts and the unweighted means.
    expect(values).toBe(rows.filter((r) => r.aggregation !== "unweighted-mean" && !isStatusList(r.indicator)).length);
  });

  it("lets the suppression attacker recover nothing from the CSV", async () => {
    const catalogue = await loadCatalogue();
    const merged = catalogue.units.filter((u) => u.mergedInto);
    const csv: Record<string, string>[] = parse(await readFile(join(out, "2025", "oppna-data-2025.csv")), { columns: true });
    const hidden = csv.filter((c) => c.status === "skyddad").length;
    expect(hidden).toBeGreaterThan(100);
    const byIndicator = groupBy(csv, (c) => c.indikator_id!);
    for (const [indicator, list] of byIndicator) {
      const figures: Figure[] = list.map((c) => {
        const into = merged.filter((u) => u.mergedInto!.unit === c.enhet_id && Number(c.ar) < u.mergedInto!.year);
        return {
          unit: c.enhet_id!,
          year: Number(c.ar),
          breakdown: c.uppdelning!,
          status: c.varde !== "" ? "ok" : c.status === "skyddad" ? "suppressed" : "missing",
          aggregation: c.sammanvagning!.startsWith("ovägt") ? "unweighted-mean" : c.sammanvagning || undefined,
          mappedFrom: into.length > 0 ? into.map((u) => u.id) : undefined,
        };
      });
      expect(recoveredBy(figures), indicator).toEqual([]);
    }
  });
});

const statusLists = new Set((await loadCatalogue()).indicators.filter((i) => i.measure === "status").map((i) => i.id));
function isStatusList(indicator: string): boolean {
  return statusLists.has(indicator);
}
