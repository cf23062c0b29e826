/**
 * `npm run bench`: time and peak memory of read + validate + aggregate at 1×, 10× and 100×
 * the real size. Size is units × years: 1× is the real 15 units and 16 workbooks with nine
 * years of history; 10× has ten copies of every unit (150 units, 151 workbooks); 100× also
 * has ten times the history (99 years). Rows per unit are the catalogue's. History is read
 * from the history store (a snapshot per year), as in production. Each size is
 * generated first (real .xlsx files, through the template writer) and then measured in a
 * fresh process, so that the peak memory is that of the measured work alone.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import type { Catalogue } from "../functions/catalogue/schema.js";
import { type HistoryRecord, parseHistoryCsv } from "../functions/history/history.js";
import { LocalHistoryStore } from "../functions/history/local-store.js";
import { formatNumber } from "../functions/shared/format-sv.js";
import { projectRoot } from "../functions/shared/paths.js";
import { templateDefinition } from "../functions/template/definition.js";
import { CENTRAL } from "../functions/template/layout.js";
import { buildTemplateWorkbook } from "../functions/template/write-template-xlsx.js";
import { EXAMPLE_YEAR, fillWorkbook, generate, NOW, type Row, toCsv } from "./example-data.js";

const SIZES = [
  { name: "1×", copies: 1, historyYears: 9 },
  { name: "10×", copies: 10, historyYears: 9 },
  { name: "100×", copies: 10, historyYears: 99 },
];

/** A catalogue with `copies` of every unit ("bromma-k2", …), all existing since `from`. */
function syntheticCatalogue(real: Catalogue, copies: number, from: number) {
  const units = real.units
    .filter((u) => !u.mergedInto && u.years.to === null)
    .flatMap((u) =>
      Array.from({ length: copies }, (_, k) => ({
        ...u,
        id: k === 0 ? u.id : `${u.id}-k${k + 1}`,
        name: k === 0 ? u.name : `${u.name} ${k + 1}`,
        years: { from, to: null },
      })),
    );
  const widen = <T extends { years: { from: number; to: number | null } }>(x: T): T => ({
    ...x,
    years: { from: Math.min(x.years.from, from), to: x.years.to },
  });
  return {
    plans: { plans: real.plans.map((p, i) => (i === 0 ? widen(p) : p)) },
    units: { units, activityAreas: real.activityAreas, roles: real.roles },
    indicators: { indicators: real.indicators.map((i) => ({ ...widen(i), ...(i.items ? { items: i.items.map(widen) } : {}) })) },
    years: { reportingYears: real.reportingYears, yearOverYearWarningShare: real.yearOverYearWarningShare, coverage: real.coverage, comparison: real.comparison, report: real.report },
  };
}

async function prepare(dir: string, copies: number, historyYears: number) {
  const real = await loadCatalogue();
  const first = EXAMPLE_YEAR - historyYears;
  const files = syntheticCatalogue(real, copies, first);
  const catalogueDir = join(dir, "catalogue");
  await mkdir(catalogueDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(catalogueDir, `${name}.yaml`), stringify(content));
  const catalogue = await loadCatalogue(catalogueDir);
  // History lives in the store, one snapshot per year, as it does after hp import-history.
  const history: Row[] = [];
  const store = new LocalHistoryStore(join(dir, "historik"));
  for (let year = first; year < EXAMPLE_YEAR; year++) {
    const records = generate(catalogue, year) as HistoryRecord[];
    history.push(...records);
    await store.write({ year, createdAt: NOW.toISOString(), catalogueVersion: catalogue.version, inputs: [], records }, undefined);
  }
  const historyCsv = toCsv(history);
  const yc = catalogueForYear(catalogue, EXAMPLE_YEAR);
  const current = generate(catalogue, EXAMPLE_YEAR);
  const definition = templateDefinition();
  const historyIndex = parseHistoryCsv(historyCsv, "historik.csv");
  const inputs = join(dir, "in");
  await mkdir(inputs);
  for (const reporter of [...yc.units.map((u) => u.id), CENTRAL]) {
    const unit = yc.units.find((u) => u.id === reporter);
    const wb = await buildTemplateWorkbook({ yc, definition, history: historyIndex, only: reporter, now: NOW });
    await fillWorkbook(wb, unit?.name ?? definition.sheets.central, current, catalogue, unit);
    await writeFile(join(inputs, `${reporter}.xlsx`), Buffer.from(await wb.xlsx.writeBuffer()));
  }
  return { catalogueDir, historyDir: store.dir, inputs, workbooks: yc.units.length + 1, records: history.length };
}

async function main() {
  const measure = join(projectRoot(), "dist", "scripts", "bench-measure.js");
  const run = promisify(execFile);
  const results: { name: string; workbooks: number; records: number; ms: number; rssMb: number; rows: number }[] = [];
  for (const size of SIZES) {
    const dir = await mkdtemp(join(tmpdir(), "hp-bench-"));
    try {
      process.stdout.write(`${size.name}: skapar indata … `);
      const prepared = await prepare(dir, size.copies, size.historyYears);
      process.stdout.write(`${prepared.workbooks} arbetsböcker, ${formatNumber(prepared.records)} historikrader. Mäter … `);
      const { stdout } = await run(process.execPath, [measure, prepared.catalogueDir, prepared.historyDir, prepared.inputs], {
        maxBuffer: 1 << 20,
      });
      const m = JSON.parse(stdout) as { ms: number; rssMb: number; rows: number };
      console.log(`${formatNumber(m.ms / 1000, 2)} s`);
      results.push({ name: size.name, workbooks: prepared.workbooks, records: prepared.records, ...m });
    } finally {
      if (!process.env.HP_BENCH_KEEP) await rm(dir, { recursive: true, force: true });
      else console.log(`(indata kvar i ${dir})`);
    }
  }
  const base = results[0]!;
  console.log("\nläs + kontrollera + sammanställ");
  console.log("storlek  arbetsböcker  historikrader  aggregatrader   tid (s)  toppminne (MB)  tid mot 1×");
  for (const r of results) {
    console.log(
      `${r.name.padEnd(8)} ${String(r.workbooks).padStart(12)} ${formatNumber(r.records).padStart(14)} ${formatNumber(r.rows).padStart(14)} ${formatNumber(r.ms / 1000, 2).padStart(9)} ${formatNumber(r.rssMb, 0).padStart(15)} ${formatNumber(r.ms / base.ms, 1).padStart(11)}`,
    );
  }

  process.stdout.write("\nRendering (exempeldata) … ");
  const { stdout } = await run(process.execPath, [join(projectRoot(), "dist", "scripts", "bench-render.js")], { maxBuffer: 1 << 20 });
  const r = JSON.parse(stdout) as RenderFigures;
  const s = (ms: number) => `${formatNumber(ms / 1000, 2)} s`;
  const ratio = r.pdfStepMs / r.bareChromiumMs;
  console.log("klar");
  console.log(`  Chromium startar                      ${s(r.launchMs)}`);
  console.log(`  nämndrapporten (${r.boardPages} sidor)             ${s(r.boardMs)} (${formatNumber(r.boardBytes / 1024, 0)} kB)`);
  console.log(`  ${r.districts} sidor per enhet                    ${s(r.districtsMs)} (${s(r.districtsMs / r.districts)} per sida)`);
  console.log(`  PDF-steget, nämndrapporten (median)   ${s(r.pdfStepMs)}`);
  console.log(`  samma HTML, bara Chromium (median)    ${s(r.bareChromiumMs)} (kvot ${formatNumber(ratio, 2)}; högst 1,2)`);
  process.stdout.write("\nGoogle Sheets (lokal ersättare för API:t) … ");
  const google = JSON.parse((await run(process.execPath, [join(projectRoot(), "dist", "scripts", "bench-google.js")])).stdout) as Record<string, number>;
  console.log("klar");
  console.log(`  ${google.tabs} ifyllda flikar (${google.received} enheter): ${google.reads} läsbegäran och ${google.writes} skrivbegäran per kontroll`);

  const figures = { measuredAt: new Date().toISOString(), cores: availableParallelism(), sizes: results, render: { ...r, pdfStepRatio: ratio }, google };
  await writeFile(join(projectRoot(), "bench.json"), `${JSON.stringify(figures, null, 2)}\n`);
  await writeReadmeTable(figures);
  console.log("\nSiffrorna står i bench.json och i README.md (Prestanda).");
}

interface RenderFigures {
  launchMs: number;
  boardMs: number;
  boardPages: number;
  districtsMs: number;
  districts: number;
  pdfStepMs: number;
  bareChromiumMs: number;
  boardBytes: number;
}

/** Replaces the figures between the bench markers in README.md with this run's. */
async function writeReadmeTable(f: {
  cores: number;
  sizes: { name: string; workbooks: number; records: number; ms: number; rssMb: number }[];
  render: RenderFigures & { pdfStepRatio: number };
  google: Record<string, number>;
}) {
  const readme = join(projectRoot(), "README.md");
  const text = await readFile(readme, "utf8");
  const [start, end] = ["<!-- bench: start -->", "<!-- bench: slut -->"];
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    console.log(`README.md saknar markeringarna ${start} och ${end}; tabellen skrevs inte in.`);
    return;
  }
  const s = (ms: number) => `${formatNumber(ms / 1000, 2)} s`;
  const r = f.render;
  const table = [
    `Senaste körningen (${f.cores} kärnor):`,
    "",
    "| storlek | arbetsböcker | historikrader | tid | toppminne |",
    "|---|---:|---:|---:|---:|",
    ...f.sizes.map((x) => `| ${x.name} | ${x.workbooks} | ${formatNumber(x.records)} | ${s(x.ms)} | ${formatNumber(x.rssMb, 0)} MB |`),
    "",
    "| rendering (exempeldata) | tid |",
    "|---|---:|",
    `| Chromium startar | ${s(r.launchMs)} |`,
    `| nämndrapporten, ${r.boardPages} sidor (${formatNumber(r.boardBytes / 1024 / 1024, 1)} MB) | ${s(r.boardMs)} |`,
    `| ${r.districts} sidor per enhet | ${s(r.districtsMs)} |`,
    `| PDF-steget för nämndrapporten, median av 5 | ${s(r.pdfStepMs)} |`,
    `| samma HTML och page.pdf-val, bara Chromium, median av 5 | ${s(r.bareChromiumMs)} |`,
    `| **kvot PDF-steget / bara Chromium** (högst 1,2) | **${formatNumber(r.pdfStepRatio, 2)}** |`,
    "",
    `Google Sheets: en kontroll av kalkylarket med alla ${f.google.tabs} flikar ifyllda gör ${f.google.reads} läsbegäran och ${f.google.writes} skrivbegäran, mätt mot den lokala ersättaren för API:t.`,
  ].join("\n");
  await writeFile(readme, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
}

await main();
