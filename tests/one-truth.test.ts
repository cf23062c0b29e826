/**
 * One truth per year, checked end to end over random mixes of unit states: some units keep
 * their tab as a draft (ready "Nej" or blank), some hand in with an error, some are approved,
 * and some approved and then changed. Each not-admitted unit's file carries a draft value that
 * appears nowhere else, and an approved-then-changed unit's file a changed value.
 *
 * After `hp run` and `hp template` for next year, through the real command, real files and
 * real Chromium:
 * - no draft value appears in anything a board receives (board PDF, Word file, every Excel
 *   tab, the district PDFs), in the project leader's aggregates.json, in the history, nor as
 *   next year's "Förra året";
 * - a not-admitted unit shows ".." with its reason, and is named among the city's missing units;
 * - city sums are the sums of the units' shown values;
 * - the PDF, the Word file, the Excel Data tab and the focus-area tabs, aggregates.json and the
 *   district pages give the same text for the same indicator, unit and year.
 */
import { cp, readFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { covers, loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { column, EXAMPLES, editWorkbook, findRow, hpWithEnv, tempDir } from "./helpers.js";
import { pdfPages } from "./pdf.js";

const catalogue = await loadCatalogue();
const STATES = ["submitted", "draft", "blank-ready", "errors", "approved", "approved-changed"] as const;
type State = (typeof STATES)[number];
const TARGETS = [
  { id: "bromma", name: "Bromma" },
  { id: "kungsholmen", name: "Kungsholmen" },
  { id: "farsta", name: "Farsta" },
  { id: "norrmalm", name: "Norrmalm" },
  { id: "sodermalm", name: "Södermalm" },
  { id: "ostermalm", name: "Östermalm" },
] as const;
const ADMITTED: Record<State, boolean> = {
  submitted: true,
  draft: false,
  "blank-ready": false,
  errors: false,
  approved: true,
  "approved-changed": true,
};
const REASON: Partial<Record<State, string>> = { draft: "not-ready", "blank-ready": "not-ready", errors: "submitted-with-errors" };
/** Self-reported count and share indicators whose tables are compared across outputs. */
const VFU = { id: "tp-vfu-platser", title: "Antal VFU-platser som erbjudits socionomstudenter.", short: "VFU-platser" };
const TURNOVER = { id: "tp-personalrorlighet", title: "Personalrörlighet bland socialsekreterare och biståndshandläggare.", short: "Personalrörlighet" };

interface Figure {
  indicator: string;
  unit: string;
  year: number;
  breakdown: string;
  aggregation?: string;
  value: number | string | null;
  text: string;
  status: string;
  reason?: string;
  missingUnits?: { unit: string; reason: string }[];
}

const normalise = (text: string) =>
  text
    .replace(/[\s\u00a0\u202f]+/g, " ")
    .split("\n")
    .join(" ");
const lines = (text: string) => text.split("\n").map((l) => l.replace(/[\s\u00a0\u202f]+/g, " ").trim());

/** The Word file's text as lines: a paragraph per line, a table row as its cells joined by spaces. */
async function docxLines(file: string): Promise<string[]> {
  const { unzipSync, strFromU8 } = await import("fflate");
  const xml = strFromU8(unzipSync(await readFile(file))["word/document.xml"]!);
  const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  const textOf = (s: string) => decode([...s.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""));
  const out: string[] = [];
  for (const block of xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p[ >][\s\S]*?<\/w:p>/g)) {
    if (block[0].startsWith("<w:tbl>")) {
      for (const row of block[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)) {
        out.push([...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => textOf(c[0]).trim()).join(" "));
      }
    } else out.push(textOf(block[0]));
  }
  return out.map((l) => l.replace(/[\s\u00a0\u202f]+/g, " ").trim());
}

/** The lines of one indicator's section: from its title to the next "Källa:" after a table. */
function section(all: string[], title: string): string[] {
  const start = all.indexOf(title);
  expect(start, `rubriken ${title}`).toBeGreaterThanOrEqual(0);
  const end = all.findIndex((l, i) => i > start && /^Staden \d{4}|^Antal |^Andel |^Personalrörlighet |^Min |^Jag |^Inom |^På /.test(l) && l !== title);
  return all.slice(start, end > start ? end : start + 80);
}

/** The expected line of a unit's row in a board table: its name, then each column's text. */
function rowLine(byKey: Map<string, Figure>, indicator: string, unit: string, name: string, columns: { year: number; breakdown: string }[]) {
  return [name, ...columns.map((c) => byKey.get(`${indicator}|${unit}|${c.year}|${c.breakdown}`)?.text ?? "..")].join(" ").replace(/[\s\u00a0\u202f]+/g, " ");
}

async function cellTexts(file: string): Promise<{ sheet: string; row: number; values: (string | number | null)[] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: { sheet: string; row: number; values: (string | number | null)[] }[] = [];
  for (const ws of wb.worksheets) {
    ws.eachRow((r, n) => {
      const values = (r.values as unknown[]).slice(1).map((v) => {
        if (v === undefined || v === null) return null;
        if (typeof v === "object") {
          const o = v as { richText?: { text: string }[]; result?: unknown; text?: string };
          return o.richText ? o.richText.map((x) => x.text).join("") : (o.result ?? o.text ?? null) as string | number | null;
        }
        return v as string | number;
      });
      rows.push({ sheet: ws.name, row: n, values });
    });
  }
  return rows;
}

async function scenario(states: State[]) {
  const dir = await tempDir();
  const input = join(dir, "in");
  const history = join(dir, "historik");
  const out = join(dir, "ut");
  await cp(EXAMPLES, input, { recursive: true });
  const env = { SOURCE_DATE_EPOCH: String(Date.parse("2026-02-20T09:00:00Z") / 1000) };
  const hp = (...args: string[]) => hpWithEnv(env, ...args, "--year", "2025", "--history-dir", history);
  const drafts = new Map<string, number>();
  const approved = new Map<string, number>();
  const setVfu = (file: string, name: string, value: number | string, extra?: (ws: ExcelJS.Worksheet) => void) =>
    editWorkbook(file, file, (wb) => {
      const ws = wb.getWorksheet(name)!;
      findRow(ws, VFU.id, "Totalt").getCell(column(ws, "Värde")).value = value;
      extra?.(ws);
    });

  for (const [i, target] of TARGETS.entries()) {
    const state = states[i]!;
    const file = join(input, `2025-${target.id}.xlsx`);
    const draft = 901 + i * 7;
    if (state === "approved" || state === "approved-changed") {
      const result = await hp("approve", "--unit", target.id, "--input", input, "--by", "Eva Projektledare");
      expect(result.code, result.err).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const ws = wb.getWorksheet(target.name)!;
      approved.set(target.id, findRow(ws, VFU.id, "Totalt").getCell(column(ws, "Värde")).value as number);
      if (state === "approved-changed") {
        await setVfu(file, target.name, draft);
        drafts.set(target.id, draft);
      }
      continue;
    }
    if (state === "submitted") continue;
    drafts.set(target.id, draft);
    await setVfu(file, target.name, draft, (ws) => {
      if (state === "draft") ws.getCell("B4").value = "Nej";
      if (state === "blank-ready") ws.getCell("B4").value = null;
      if (state === "errors") findRow(ws, "tp-socionomkonsulter", "Totalt").getCell(column(ws, "Värde")).value = "två";
    });
  }

  const run = await hp("run", "--input", input, "--out", out);
  expect([0, 1], run.err).toContain(run.code);
  const template = await hpWithEnv(env, "template", "--year", "2026", "--out", join(dir, "mall-2026.xlsx"), "--history-dir", history);
  expect(template.code, template.err).toBe(0);
  return { dir, input, history, out, drafts, approved, run };
}

describe("one truth per year, over random mixes of unit states", () => {
  it(
    "lets no draft value reach a delivered file, and gives every output the same figures",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.tuple(...TARGETS.map(() => fc.constantFrom(...STATES))), async (states) => {
          const { out, history, dir, drafts, approved } = await scenario(states);
          const year = join(out, "2025");
          const aggregates = JSON.parse(await readFile(join(year, "aggregates.json"), "utf8"));
          const figures: Figure[] = aggregates.rows;
          const main = figures.filter((f) => f.aggregation !== "unweighted-mean");
          const byKey = new Map(main.map((f) => [`${f.indicator}|${f.unit}|${f.year}|${f.breakdown}`, f]));
          const reporting = aggregates.reporting.find((r: { year: number }) => r.year === 2025);
          expect(aggregates.admission).toBe("submitted");

          // Admission as decided: one state per unit, and only admitted values in the figures.
          for (const [i, target] of TARGETS.entries()) {
            const state = states[i]!;
            const unit = reporting.units.find((u: { reporter: string }) => u.reporter === target.id);
            expect(unit.admitted, `${target.id} ${state}`).toBe(ADMITTED[state]);
            const vfu = byKey.get(`${VFU.id}|${target.id}|2025|T`)!;
            if (ADMITTED[state]) {
              expect(vfu.value, `${target.id} ${state}`).toBe(state.startsWith("approved") ? approved.get(target.id) : vfu.value);
              expect(typeof vfu.value).toBe("number");
            } else {
              expect(vfu).toMatchObject({ value: null, text: "..", reason: REASON[state] });
              const city = byKey.get(`${VFU.id}|stockholm|2025|T`)!;
              expect(city.missingUnits).toContainEqual({ unit: target.id, reason: REASON[state] });
            }
          }
          // City sums are the sums of the units' shown values, whenever the city's sum is shown.
          for (const city of main.filter((f) => f.unit === "stockholm" && f.year === 2025 && typeof f.value === "number" && f.indicator === VFU.id)) {
            const parts = main.filter((f) => f.indicator === city.indicator && f.year === 2025 && f.breakdown === city.breakdown && f.unit !== "stockholm" && typeof f.value === "number");
            expect(parts.reduce((a, f) => a + (f.value as number), 0)).toBe(city.value);
          }

          // No draft value anywhere a reader or the history gets it.
          const boardPages = await pdfPages(await readFile(join(year, "uppfoljning-2025.pdf")));
          const board = boardPages.flatMap(lines);
          const docx = await docxLines(join(year, "uppfoljning-2025.docx"));
          const xlsx = await cellTexts(join(year, "uppfoljning-2025.xlsx"));
          const districts = new Map<string, string[]>();
          for (const target of TARGETS) districts.set(target.id, (await pdfPages(await readFile(join(year, "enheter", `2025-${target.id}.pdf`)))).flatMap(lines));
          const stored = await readFile(join(history, "2025.json"), "utf8");
          const nextTemplate = await cellTexts(join(dir, "mall-2026.xlsx"));
          for (const [unit, draft] of drafts) {
            const word = new RegExp(`(^|[^\\d,])${draft}([^\\d,]|$)`);
            expect(board.some((l) => word.test(l)), `${unit} ${draft} i PDF:en`).toBe(false);
            expect(docx.some((l) => word.test(l)), `${unit} ${draft} i Word-filen`).toBe(false);
            expect(xlsx.filter((r) => r.values.some((v) => v === draft || (typeof v === "string" && word.test(v)))).map((r) => `${r.sheet}!${r.row}`), `${unit} ${draft} i Excel`).toEqual([]);
            for (const [id, page] of districts) expect(page.some((l) => word.test(l)), `${unit} ${draft} på sidan för ${id}`).toBe(false);
            expect(figures.some((f) => f.value === draft)).toBe(false);
            expect(JSON.parse(stored).records.some((r: { value?: number }) => r.value === draft), `${unit} ${draft} i historiken`).toBe(false);
            expect(nextTemplate.some((r) => r.values.includes(draft)), `${unit} ${draft} i mallen för 2026`).toBe(false);
          }

          // The same figure in every output: the board's table rows, the Word file, the Excel tabs and the district pages.
          const names = new Map<string, string>(catalogue.units.filter((u) => covers(u.years, 2025)).map((u) => [u.id, u.name]));
          const dataTab = xlsx.filter((r) => r.sheet === "Data");
          const dataHead = dataTab[0]!.values as string[];
          const col = (h: string) => dataHead.indexOf(h);
          for (const f of main.filter((f) => f.year >= 2024 && (f.indicator === VFU.id || f.indicator === TURNOVER.id))) {
            const row = dataTab.find(
              (r) => r.values[col("År")] === f.year && r.values[col("Enhets-id")] === f.unit && r.values[col("Indikator-id")] === f.indicator && r.values[col("Uppdelning")] === f.breakdown && (f.unit !== "stockholm" || String(r.values[col("Sammanvägning")] ?? "").startsWith(f.indicator === VFU.id ? "summa" : "andel")),
            );
            expect(row?.values[col("Visas som")], `Data ${f.indicator} ${f.unit} ${f.year} ${f.breakdown}`).toBe(f.text);
          }
          for (const [indicator, columns] of [
            [VFU, [2022, 2023, 2024, 2025].map((y) => ({ year: y, breakdown: "T" }))],
            [TURNOVER, [...[2022, 2023, 2024, 2025].map((y) => ({ year: y, breakdown: "T" })), { year: 2025, breakdown: "K" }, { year: 2025, breakdown: "M" }]],
          ] as const) {
            const pdfSection = section(board, indicator.title);
            const docxSection = section(docx, indicator.title);
            for (const [id, name] of [...names, ["stockholm", "Stockholms stad"] as const]) {
              const expected = rowLine(byKey, indicator.id, id, name, [...columns]);
              expect(pdfSection, `PDF ${indicator.id} ${id}: ${pdfSection.join(" / ")}`).toContain(expected);
              expect(docxSection, `Word ${indicator.id} ${id}`).toContain(expected);
            }
            // The focus-area tab: each unit's row ends with this year's figure, as number or symbol.
            for (const [id, name] of names) {
              const f = byKey.get(`${indicator.id}|${id}|2025|T`)!;
              const tabRows = xlsx.filter((r) => r.sheet === "Personalsituationen" && r.values[0] === name);
              const shown = tabRows.map((r) => r.values.filter((v) => v !== null));
              const match = shown.some((vals) => vals.includes(f.value === null ? f.text : (f.value as number)));
              expect(match, `Excel Personalsituationen ${indicator.id} ${id}`).toBe(true);
            }
          }
          for (const [i, target] of TARGETS.entries()) {
            const page = districts.get(target.id)!;
            const cur = normalise(byKey.get(`${VFU.id}|${target.id}|2025|T`)!.text);
            const prev = normalise(byKey.get(`${VFU.id}|${target.id}|2024|T`)!.text);
            expect(page.some((l) => l.startsWith(`${VFU.short} ${prev} ${cur}`)), `sidan för ${target.id}: ${VFU.short} ${prev} ${cur}`).toBe(true);
            if (!ADMITTED[states[i]!]) expect(normalise(page.join(" "))).toContain(`${target.name} ${states[i] === "errors" ? "lämnade in med" : "är inte markerad klar"}`);
          }
        }),
        // First every state at once (one unit each), then a random mix: each run is a whole
        // year through Chromium, so two runs that between them hold every state.
        { numRuns: 2, examples: [[[...STATES]]], seed: 20261204, endOnFailure: true },
      );
    },
    600_000,
  );
});

