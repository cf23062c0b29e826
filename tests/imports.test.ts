/**
 * hp import: the systems' exports as the year's values. Each source is read from every form
 * people get it in (CSV with ; and decimal comma in Windows-1252 or UTF-8 with BOM, CSV with
 * commas, .xlsx, other column orders, alias headers, a title above the header, old unit
 * spellings) and its values are recomputed here from the rows, independently. Each kind of bad
 * row gives its row and column and imports nothing; a dry run tells what changes; a run uses
 * the imported values in place of the typed ones, and only counts are kept.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import type { ImportSourceId } from "../functions/catalogue/schema.js";
import { MemoryImportStore } from "../functions/imports/import-store.js";
import { importYear } from "../functions/pipeline/import-year.js";
import { column, context, EXAMPLES, editWorkbook, example, findRow, hp, tempDir } from "./helpers.js";

type Row = Record<string, string | number>;
type Form = "csv-1252" | "csv-bom" | "csv-comma" | "xlsx";
const FORMS: Form[] = ["csv-1252", "csv-bom", "csv-comma", "xlsx"];

/** Writes rows under the given headers in one of the forms; the comma CSV has a title line above the header and the columns reversed. */
async function exportFile(dir: string, name: string, form: Form, headers: Record<string, string>, rows: Row[]): Promise<string> {
  const keys = Object.keys(headers);
  const order = form === "csv-comma" ? [...keys].reverse() : keys;
  const cell = (v: string | number | undefined, decimalComma: boolean) => {
    const t = v === undefined ? "" : typeof v === "number" && decimalComma ? String(v).replace(".", ",") : String(v);
    return /[;,"\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  if (form === "xlsx") {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Export");
    ws.addRow(["Rapport ur systemet, hämtad 2026-01-15"]);
    ws.addRow([]);
    ws.addRow(order.map((k) => headers[k]));
    for (const r of rows) ws.addRow(order.map((k) => (typeof r[k] === "string" && /^\d{4}-\d{2}-\d{2}$/.test(r[k] as string) ? new Date(`${r[k]}T00:00:00Z`) : r[k])));
    const file = join(dir, `${name}.xlsx`);
    await wb.xlsx.writeFile(file);
    return file;
  }
  const sep = form === "csv-comma" ? "," : ";";
  const lines = [...(form === "csv-comma" ? ["Export"] : []), order.map((k) => cell(headers[k], false)).join(sep), ...rows.map((r) => order.map((k) => cell(r[k], sep === ";")).join(sep))];
  const text = `${lines.join("\r\n")}\r\n`;
  const file = join(dir, `${name}-${form}.csv`);
  await writeFile(file, form === "csv-1252" ? iconv.encode(text, "windows-1252") : form === "csv-bom" ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) : text);
  return file;
}

async function imported(source: ImportSourceId, file: string) {
  const { catalogue } = await context();
  const imports = new MemoryImportStore();
  const outcome = await importYear({ yc: catalogueForYear(catalogue, 2025), imports, now: new Date("2026-01-20T09:00:00Z"), by: "Eva" }, source, await readFile(file), file.split("/").at(-1)!, { dryRun: false });
  const value = (unit: string, indicator: string, breakdown: string) => outcome.written?.values.find((v) => v.unit === unit && v.indicator === indicator && v.breakdown === breakdown);
  return { outcome, value };
}

const SURVEY_ROWS: Row[] = [
  { unit: "Rinkeby-Kista stadsdelsförvaltning", question: "Inom ramen för mitt uppdrag har jag möjlighet att påverka hur jag ska utföra arbetet.", sex: "Kvinnor", result: 71.5, respondents: 40 },
  { unit: "Rinkeby-Kista sdf", question: "inom ramen för mitt uppdrag har jag möjlighet att påverka hur jag ska utföra arbetet", sex: "Män", result: 64, respondents: 12 },
  { unit: "Rinkeby–Kista", question: "”Inom ramen för mitt uppdrag har jag möjlighet att påverka hur jag ska utföra arbetet.”", sex: "Totalt", result: 70, respondents: 52 },
  { unit: "Skarpnäck", question: "fa1-vet-forvantningar", sex: "T", result: 88.2, respondents: 60 },
  { unit: "Äldreförvaltningen", question: "Min chef tar tag i problem som uppstår.", sex: "K", result: 55.25, respondents: 31 },
];

const INCIDENT_ROWS: Row[] = [
  { id: "IA-101", date: "2025-01-14", unit: "Farsta", area: "Ekonomiskt bistånd", kind: "Hot" },
  { id: "IA-102", date: "2025-02-03", unit: "Farsta stadsdelsförvaltning", area: "Barn och unga", kind: "Våld" },
  { id: "IA-102", date: "2025-02-03", unit: "Farsta stadsdelsförvaltning", area: "Barn och unga", kind: "Våld" },
  { id: "IA-103", date: "2024-12-30", unit: "Farsta", area: "Barn och unga", kind: "Hot" },
  { id: "IA-104", date: "2025-05-05", unit: "Älvsjö", area: "Äldre", kind: "Otillåten påverkan" },
  { id: "IA-105", date: "2025-06-06", unit: "Bromma", area: "Äldre", kind: "Arbetsskada" },
  { id: "IA-106", date: "2025-11-30", unit: "Hägersten-Liljeholmen", area: "Missbruk", kind: "hot" },
];

const INTRO_ROWS: Row[] = [
  { unit: "Bromma", start: "2025-02-01", done: "Ja", sex: "Kvinna" },
  { unit: "Bromma", start: "2025-03-01", done: "Nej", sex: "Man" },
  { unit: "Bromma sdf", start: "2025-09-15", done: "ja", sex: "K" },
  { unit: "Bromma", start: "2025-10-01", done: "Nej", sex: "K" },
  { unit: "Farsta", start: "2024-11-01", done: "Ja", sex: "K" },
  { unit: "Socialförvaltningen", start: "2025-04-04", done: "Ja", sex: "M" },
];

const LEADER_ROWS: Row[] = [
  { unit: "Bromma", role: "Enhetschef", date: "2025-05-01", sex: "Kvinna" },
  { unit: "Bromma", role: "Avdelningschef", date: "2025-06-01", sex: "Man" },
  { unit: "Brommas stadsdelsförvaltning", role: "Enhetschef", date: "2025-12-31", sex: "Kvinna" },
  { unit: "Spånga-Tensta", role: "Biträdande enhetschef", date: "2026-01-10", sex: "Man" },
];

describe("hp import reads each source in every form people get it", () => {
  it.each(FORMS)("Medarbetarenkäten as %s: results and respondents by unit, question and sex, questions by wording or id", async (form) => {
    const file = await exportFile(await tempDir(), "enkat", form, { unit: "Förvaltning", question: "Frågetext", sex: "Kön", result: "Andel positiva (%)", respondents: "Antal svarande" }, SURVEY_ROWS);
    const { outcome, value } = await imported("enkat", file);
    expect(outcome.problems).toEqual([]);
    for (const r of SURVEY_ROWS) {
      const unit = { "Rinkeby-Kista stadsdelsförvaltning": "rinkeby-kista", "Rinkeby-Kista sdf": "rinkeby-kista", "Rinkeby–Kista": "rinkeby-kista", Skarpnäck: "skarpnack", Äldreförvaltningen: "aldreforvaltningen" }[r.unit as string]!;
      const indicator = r.question === "fa1-vet-forvantningar" ? "fa1-vet-forvantningar" : String(r.question).includes("påverka") ? "fa1-paverka-arbetet" : "fa3-chef-tar-tag";
      const sex = { Kvinnor: "K", Män: "M", Totalt: "T", T: "T", K: "K" }[r.sex as string]!;
      expect(value(unit, indicator, sex), `${unit} ${indicator} ${sex}`).toMatchObject({ status: "ok", value: r.result, respondents: r.respondents });
    }
    // What the survey did not give stays missing: never a 0.
    expect(value("bromma", "fa1-paverka-arbetet", "T")).toMatchObject({ status: "missing" });
    expect(value("bromma", "fa1-paverka-arbetet", "T")!.value).toBeUndefined();
  });

  it.each(FORMS)("Incidenter as %s: each incident once, for the year, by unit and activity area, old units as the one they became", async (form) => {
    const file = await exportFile(await tempDir(), "incidenter", form, { id: "Incident-id", date: "Händelsedatum", unit: "Stadsdelsförvaltning", area: "Verksamhet", kind: "Händelsetyp" }, INCIDENT_ROWS);
    const { outcome, value } = await imported("incidenter", file);
    expect(outcome.problems).toEqual([]);
    // Recomputed: in 2025, of the three kinds, each id once; Älvsjö and Hägersten-Liljeholmen are Hägersten-Älvsjö since 2020.
    const counted = new Map<string, Row>();
    for (const r of INCIDENT_ROWS) if (String(r.date).startsWith("2025") && /^(hot|våld|otillåten påverkan)$/i.test(String(r.kind))) counted.set(String(r.id), r);
    const unitOf = (u: string) => (u.startsWith("Farsta") ? "farsta" : u === "Bromma" ? "bromma" : "hagersten-alvsjo");
    const areaOf = { "Ekonomiskt bistånd": "ekonomiskt-bistand", "Barn och unga": "barn-och-unga", Äldre: "aldre", Missbruk: "missbruk" } as Record<string, string>;
    for (const unit of ["farsta", "bromma", "hagersten-alvsjo", "skarpnack"]) {
      const mine = [...counted.values()].filter((r) => unitOf(String(r.unit)) === unit);
      expect(value(unit, "fa1-hot-vald-incidenter", "T")?.value, unit).toBe(mine.length);
      for (const area of Object.values(areaOf)) expect(value(unit, "fa1-hot-vald-incidenter", area)?.value, `${unit} ${area}`).toBe(mine.filter((r) => areaOf[String(r.area)] === area).length);
    }
    expect(outcome.notes.join("\n")).toMatch(/IA-102 \(rad \d+ och \d+\)/);
    expect(outcome.notes.join("\n")).toContain("1 incident av typen ”Arbetsskada” räknades inte");
    expect(outcome.notes.join("\n")).toContain("Älvsjö räknas som Hägersten-Älvsjö (sammanslagen 2020).");
  });

  it.each(FORMS)("Introduktion as %s: completed of new employees starting in the year, by unit and sex", async (form) => {
    const file = await exportFile(await tempDir(), "introduktion", form, { unit: "Förvaltning", start: "Anställningsdatum", done: "Genomförd", sex: "Kön" }, INTRO_ROWS);
    const { outcome, value } = await imported("introduktion", file);
    expect(outcome.problems).toEqual([]);
    const rows = INTRO_ROWS.filter((r) => String(r.start).startsWith("2025"));
    const share = (unit: string, sex?: string) => {
      const mine = rows.filter((r) => String(r.unit).startsWith(unit) && (sex === undefined || String(r.sex).startsWith(sex)));
      return { numerator: mine.filter((r) => /^ja$/i.test(String(r.done))).length, denominator: mine.length };
    };
    expect(value("bromma", "fa2-introduktionsutbildning", "T")).toMatchObject({ status: "ok", ...share("Bromma") });
    expect(value("bromma", "fa2-introduktionsutbildning", "K")).toMatchObject({ status: "ok", ...share("Bromma", "K") });
    expect(value("bromma", "fa2-introduktionsutbildning", "M")).toMatchObject({ status: "ok", ...share("Bromma", "M") });
    expect(value("socialforvaltningen", "fa2-introduktionsutbildning", "T")).toMatchObject({ numerator: 1, denominator: 1 });
    // Farsta's only new employee started in 2024: no share for 2025, not 0 of 0.
    expect(value("farsta", "fa2-introduktionsutbildning", "T")).toMatchObject({ status: "missing" });
  });

  it.each(FORMS)("Ledarprogram as %s: managers who completed it in the year, by unit and sex", async (form) => {
    const file = await exportFile(await tempDir(), "ledarprogram", form, { unit: "Förvaltning", role: "Chefsroll", date: "Avslutat datum", sex: "Kön" }, LEADER_ROWS);
    const { outcome, value } = await imported("ledarprogram", file);
    expect(outcome.problems).toEqual([]);
    expect(value("bromma", "fa3-ledarutvecklingsprogram", "T")).toMatchObject({ status: "ok", value: 3 });
    expect(value("bromma", "fa3-ledarutvecklingsprogram", "K")).toMatchObject({ value: 2 });
    expect(value("bromma", "fa3-ledarutvecklingsprogram", "M")).toMatchObject({ value: 1 });
    // No one in 2025 is a count of 0: the programme's list is the whole city's.
    expect(value("spanga-tensta", "fa3-ledarutvecklingsprogram", "T")).toMatchObject({ status: "ok", value: 0 });
    expect(outcome.notes).toContain("1 rad med datum utanför 2025 räknades inte.");
  });
});

describe("a file with a problem imports nothing, and says where", () => {
  const SURVEY_HEAD = "Förvaltning;Fråga;Kön;Resultat;Antal svarande";
  const Q = "Min chef tar tag i problem som uppstår.";
  it.each([
    ["enkat", [SURVEY_HEAD, `Bromma;${Q};K;70;10`, `Kista;${Q};K;70;10`], /rad 3, kolumn 1 \(Förvaltning\): Förvaltningen ”Kista” finns inte i katalogen/],
    ["enkat", [SURVEY_HEAD, `Bromma;Trivs du på jobbet?;K;70;10`], /rad 2, kolumn 2 \(Fråga\): Frågan ”Trivs du på jobbet\?” är ingen av planens enkätfrågor 2025/],
    ["enkat", [SURVEY_HEAD, `Bromma;${Q};K;107,5;10`], /rad 2, kolumn 4 \(Resultat\): Resultatet 107,5 ligger utanför 0–100/],
    ["enkat", [SURVEY_HEAD, `Bromma;${Q};K;70;10,5`], /rad 2, kolumn 5 \(Antal svarande\): Antal svarande ska vara ett heltal/],
    ["enkat", [SURVEY_HEAD, `Bromma;${Q};K;70;10`, `Bromma;${Q};Kvinnor;71;10`], /rad 3: Samma förvaltning, fråga och kön som på rad 2/],
    ["enkat", [SURVEY_HEAD, `Bromma;${Q};K;0,7;10`, `Farsta;${Q};K;0,8;10`, `Farsta;${Q};M;0,6;10`], /Alla resultat är högst 1: de ser ut att vara andelar/],
    ["enkat", ["Förvaltning;Fråga;Kön;Antal svarande", `Bromma;${Q};K;10`], /rad 1: Kolumnen för resultat saknas\. Den ska heta något av: Resultat, Andel positiva/],
    ["enkat", [SURVEY_HEAD, `Bromma;${Q};X;70;10`], /rad 2, kolumn 3 \(Kön\): ”X” är inget kön/],
    ["incidenter", ["Id;Datum;Förvaltning;Verksamhet;Typ", "1;2025-02-30;Farsta;Äldre;Hot"], /rad 2, kolumn 2 \(Datum\): ”2025-02-30” är inget datum/],
    ["incidenter", ["Id;Datum;Förvaltning;Verksamhet;Typ", "1;2025-02-03;Farsta;Äldre;Hot", "1;2025-02-03;Bromma;Äldre;Hot"], /rad 3, kolumn 1 \(Id\): Incident 1 finns redan på rad 2 med en annan förvaltning/],
    ["incidenter", ["Id;Datum;Förvaltning;Verksamhet;Typ", "1;2025-02-03;Farsta;Skola;Hot"], /rad 2, kolumn 4 \(Verksamhet\): Verksamheten ”Skola” finns inte i katalogen/],
    ["introduktion", ["Förvaltning;Startdatum;Genomförd", "Bromma;2025-02-01;kanske"], /rad 2, kolumn 3 \(Genomförd\): ”kanske” är varken ja eller nej/],
    ["introduktion", ["Förvaltning;Startdatum", "Bromma;2025-02-01"], /Kolumnen som säger om introduktionen är genomförd saknas/],
    ["ledarprogram", ["Förvaltning;Datum", "Bromma;2025-02-01", ";2025-03-01"], /rad 3, kolumn 1 \(Förvaltning\): Förvaltningen saknas/],
    ["ledarprogram", ["Förvaltning;Datum", ...Array.from({ length: 501 }, () => "Bromma;2025-02-01")], /: Bromma: 501 chefer som genomgått ledarutvecklingsprogrammet \(T\) är fler än katalogens gräns 500/],
  ] as const)("%s: %s", async (source, lines, expected) => {
    const dir = await tempDir();
    const file = join(dir, `${source}.csv`);
    await writeFile(file, `${lines.join("\r\n")}\r\n`);
    const history = join(dir, "historik");
    const result = await hp("import", source, file, "--year", "2025", "--history-dir", history, "--by", "Eva");
    expect(result.code, result.out + result.err).toBe(1);
    expect(result.out).toMatch(expected);
    expect(result.err).toContain(`Inget importerades: rätta`);
    expect(await readdir(history).catch(() => [])).not.toContain("import");
  });

  it("refuses a file that is no text, and keeps the earlier import when a new one has an error", async () => {
    const dir = await tempDir();
    const history = join(dir, "historik");
    const binary = join(dir, "enkat.csv");
    await writeFile(binary, Buffer.from([0x46, 0xf6, 0x72, 0x00, 0x01, 0x02, 0x3b, 0x0a]));
    const refused = await hp("import", "enkat", binary, "--year", "2025", "--history-dir", history, "--by", "Eva");
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/enkat\.csv kan inte läsas: den är varken en Excel-arbetsbok eller text/);

    const good = join(dir, "ledarprogram.csv");
    await writeFile(good, "Förvaltning;Datum\r\nBromma;2025-02-01\r\n");
    expect((await hp("import", "ledarprogram", good, "--year", "2025", "--history-dir", history, "--by", "Eva")).code).toBe(0);
    const before = await readFile(join(history, "import", "2025", "ledarprogram.json"), "utf8");
    const bad = join(dir, "ledarprogram-2.csv");
    await writeFile(bad, "Förvaltning;Datum\r\nBromma;2025-02-01\r\nBromma;2025-03-01\r\nKista;2025-04-01\r\n");
    expect((await hp("import", "ledarprogram", bad, "--year", "2025", "--history-dir", history, "--by", "Eva")).code).toBe(1);
    expect(await readFile(join(history, "import", "2025", "ledarprogram.json"), "utf8")).toBe(before);
  });
});

describe("the dry run, and the imported values in the year's figures", () => {
  it("tells what would change against the earlier import, per unit and indicator, and writes nothing", async () => {
    const dir = await tempDir();
    const history = join(dir, "historik");
    const file = join(dir, "ledarprogram.csv");
    await writeFile(file, "Förvaltning;Datum;Kön\r\nBromma;2025-02-01;K\r\nFarsta;2025-03-01;M\r\n");
    expect((await hp("import", "ledarprogram", file, "--year", "2025", "--history-dir", history, "--by", "Eva")).code).toBe(0);
    await writeFile(file, "Förvaltning;Datum;Kön\r\nBromma;2025-02-01;K\r\nBromma;2025-05-01;M\r\n");
    const dry = await hp("import", "ledarprogram", file, "--year", "2025", "--history-dir", history, "--by", "Eva", "--dry-run");
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out.replace(/\d{4}-\d{2}-\d{2} av/, "DAG av").replace(dir, "MAPP")).toMatchInlineSnapshot(`
      "Ledarutvecklingsprogrammet MAPP/ledarprogram.csv (CSV (semikolon, UTF-8)): 2 rader lästa, 2 räknade.
      Jämfört med importen DAG av Eva (ledarprogram.csv): skulle ändras 2 enheter och indikatorer; 41 värden är lika.
        Bromma · Chefer som genomgått ledarutvecklingsprogrammet: Män 0 → 1, Totalt 1 → 2
        Farsta · Chefer som genomgått ledarutvecklingsprogrammet: Män 1 → 0, Totalt 1 → 0
      Inget sparades (--dry-run)."
    `);
    const stored = JSON.parse(await readFile(join(history, "import", "2025", "ledarprogram.json"), "utf8"));
    expect(stored.values.find((v: { unit: string; breakdown: string }) => v.unit === "farsta" && v.breakdown === "T").value).toBe(1);
  });

  it("puts the imported values in place of the central tab's in the figures and the history, keeping counts only", async () => {
    const dir = await tempDir();
    const history = join(dir, "historik");
    const exportDir = join(dir, "export");
    await mkdir(exportDir);
    const file = await exportFile(exportDir, "ledarprogram", "csv-1252", { unit: "Förvaltning", role: "Chefsroll", date: "Avslutat datum", sex: "Kön" }, LEADER_ROWS);
    const imported = await hp("import", "ledarprogram", file, "--year", "2025", "--history-dir", history, "--by", "Eva");
    expect(imported.code, imported.err).toBe(0);
    const run = await hp("aggregate", "--input", EXAMPLES, "--year", "2025", "--out", join(dir, "ut"), "--history-dir", history);
    expect([0, 1]).toContain(run.code);
    const rows: { indicator: string; unit: string; year: number; breakdown: string; value: unknown; aggregation?: string }[] = JSON.parse(await readFile(join(dir, "ut", "2025", "aggregates.json"), "utf8")).rows;
    const figure = (unit: string, breakdown = "T") => rows.find((r) => r.indicator === "fa3-ledarutvecklingsprogram" && r.unit === unit && r.year === 2025 && r.breakdown === breakdown && (unit !== "stockholm" || r.aggregation === "sum"));
    expect(figure("bromma")?.value).toBe(3);
    expect(figure("farsta")?.value).toBe(0);
    expect(figure("stockholm")?.value).toBe(3);
    const snapshot = JSON.parse(await readFile(join(history, "2025.json"), "utf8"));
    expect(snapshot.inputs).toContainEqual({ file: `import ledarprogram: ${file.split("/").at(-1)}`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(snapshot.records.find((r: { unit: string; indicator: string; breakdown: string }) => r.unit === "bromma" && r.indicator === "fa3-ledarutvecklingsprogram" && r.breakdown === "T").value).toBe(3);
    // Nothing of the rows is kept: no dates, no roles, only counts and row numbers.
    const kept = await readFile(join(history, "import", "2025", "ledarprogram.json"), "utf8");
    for (const r of LEADER_ROWS) {
      expect(kept).not.toContain(String(r.date));
      expect(kept).not.toContain(String(r.role));
    }
  });
});

describe("an imported indicator where the reporters work", () => {
  it("shows the imported values locked in the template, with their import, and no longer reads or judges what is typed", async () => {
    const dir = await tempDir();
    const history = join(dir, "historik");
    const file = join(dir, "incidenter.csv");
    await writeFile(file, "Id;Datum;Förvaltning;Verksamhet;Typ\r\nIA-1;2025-01-14;Bromma;Äldre;Hot\r\nIA-2;2025-02-03;Bromma;Äldre;Våld\r\nIA-3;2025-03-03;Bromma;Missbruk;Hot\r\n");
    // A typo in Bromma's own incidents cell: an error while the incidents are typed.
    const edited = join(dir, "2025-bromma.xlsx");
    await editWorkbook(example("bromma"), edited, (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      findRow(ws, "fa1-hot-vald-incidenter", "Totalt").getCell(column(ws, "Värde")).value = -5;
    });
    const typed = JSON.parse((await hp("validate", edited, "--year", "2025", "--json", "--history-dir", history)).out).findings;
    expect(typed.filter((f: { indicator?: string; severity: string }) => f.indicator === "fa1-hot-vald-incidenter" && f.severity === "error")).not.toEqual([]);

    expect((await hp("import", "incidenter", file, "--year", "2025", "--history-dir", history, "--by", "Eva")).code).toBe(0);
    const after = await hp("validate", edited, "--year", "2025", "--json", "--history-dir", history);
    expect(JSON.parse(after.out).findings.filter((f: { indicator?: string }) => f.indicator === "fa1-hot-vald-incidenter")).toEqual([]);

    const template = join(dir, "mall.xlsx");
    expect((await hp("template", "--year", "2025", "--unit", "bromma", "--out", template, "--history-dir", history)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    const ws = wb.getWorksheet("Bromma")!;
    const total = findRow(ws, "fa1-hot-vald-incidenter", "Totalt");
    const value = total.getCell(column(ws, "Värde"));
    expect(value.value).toBe(3);
    expect(value.protection?.locked).not.toBe(false);
    expect(String(total.getCell(column(ws, "Kommentar")).value)).toMatch(/^Importerat från Incidenter: incidenter\.csv, \d{4}-\d{2}-\d{2} av Eva\. Ändras med en ny import \(hp import\), inte här\.$/);
    expect(findRow(ws, "fa1-hot-vald-incidenter", "Missbruk").getCell(column(ws, "Värde")).value).toBe(1);
    // An indicator that is not imported keeps its input cell.
    expect(findRow(ws, "tp-vfu-platser", "Totalt").getCell(column(ws, "Värde")).protection?.locked).toBe(false);
  });
});

