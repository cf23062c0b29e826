/**
 * `npm run bench`: what the product costs, each figure against a baseline measured in the same
 * run where one exists, as the median of several runs with min and max:
 * - cold start: loading functions/index.js against the Functions Framework alone (with the
 *   Express it serves through), wall and CPU, paired runs;
 * - the demo (npm run demo after the build): wall and CPU of the whole process tree, Chromium
 *   included, and the Node process's peak memory;
 * - scale: read + validate + aggregate at 1×, 10× and 100× the city's units (15, 150, 1 500
 *   units, each with its own workbook, and ten years of history in the store), each size
 *   generated first (real .xlsx files through the template writer) and measured in a fresh
 *   process, with the cost per workbook;
 * - the PDF step against bare Chromium on the same HTML, and the Sheets requests per check.
 * The figures go to reports/bench.json (not tracked); the README quotes a run by hand.
 * HP_BENCH_SIZES=1×,10× measures only those sizes; HP_BENCH_KEEP=1 keeps the generated inputs.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
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
  { name: "1×", copies: 1, historyYears: 10, repeats: 5 },
  { name: "10×", copies: 10, historyYears: 10, repeats: 3 },
  { name: "100×", copies: 100, historyYears: 10, repeats: 3 },
];
const COLD_STARTS = 5;
const DEMOS = 3;

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

/** Median, min and max of a run's figures. */
interface Spread {
  median: number;
  min: number;
  max: number;
}
function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}
const seconds = (ms: number) => formatNumber(ms / 1000, 2);
const shown = (s: Spread, unit = "s", scale = (v: number) => seconds(v)) => `${scale(s.median)} ${unit} (${scale(s.min)}–${scale(s.max)})`;

async function main() {
  const root = projectRoot();
  const script = (name: string) => join(root, "dist", "scripts", name);
  const run = promisify(execFile);
  const json = async <T>(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<T> =>
    JSON.parse((await run(process.execPath, args, { maxBuffer: 1 << 20, env })).stdout) as T;
  const only = process.env.HP_BENCH_SIZES?.split(",").map((s) => s.trim());

  // Cold start: paired, alternating, so the machine's drift falls on both alike.
  console.log("Kallstart (att ladda funktionerna mot Functions Framework ensamt) …");
  const cold = { framework: [] as { wallMs: number; cpuMs: number }[], functions: [] as { wallMs: number; cpuMs: number }[] };
  for (let i = 0; i < COLD_STARTS; i++) {
    cold.framework.push(await json([script("bench-cold.js"), "framework", root]));
    cold.functions.push(await json([script("bench-cold.js"), "functions", root]));
  }
  const coldFigures = {
    framework: { wallMs: spread(cold.framework.map((c) => c.wallMs)), cpuMs: spread(cold.framework.map((c) => c.cpuMs)) },
    functions: { wallMs: spread(cold.functions.map((c) => c.wallMs)), cpuMs: spread(cold.functions.map((c) => c.cpuMs)) },
  };
  const coldRatio = {
    wall: coldFigures.functions.wallMs.median / coldFigures.framework.wallMs.median,
    cpu: coldFigures.functions.cpuMs.median / coldFigures.framework.cpuMs.median,
  };
  console.log(`  Functions Framework ensamt   ${shown(coldFigures.framework.wallMs)}, CPU ${shown(coldFigures.framework.cpuMs)}`);
  console.log(`  functions/index.js           ${shown(coldFigures.functions.wallMs)}, CPU ${shown(coldFigures.functions.cpuMs)}`);
  console.log(`  kvot (median; högst 1,5)     tid ${formatNumber(coldRatio.wall, 2)}, CPU ${formatNumber(coldRatio.cpu, 2)}`);

  // The demo, as a newcomer runs it after the build: the whole process tree's CPU.
  console.log(`\nnpm run demo efter bygget, ${DEMOS} gånger …`);
  const demos: { wallMs: number; cpuMs: number | null; rssMb: number }[] = [];
  const rssFile = join(tmpdir(), `hp-bench-rss-${process.pid}`);
  try {
    for (let i = 0; i < DEMOS; i++) {
      const measured = await json<{ code: number; wallMs: number; cpuMs: number | null }>(
        [script("bench-process.js"), process.execPath, "--import", pathToFileURL(script("bench-rss.js")).href, script("demo.js")],
        { ...process.env, HP_BENCH_RSS: rssFile },
      );
      if (measured.code !== 0) throw new Error(`npm run demo slutade med ${measured.code}`);
      demos.push({ wallMs: measured.wallMs, cpuMs: measured.cpuMs, rssMb: Number(await readFile(rssFile, "utf8")) / 1024 });
    }
  } finally {
    await rm(rssFile, { force: true });
  }
  const demoCpu = demos.map((d) => d.cpuMs).filter((c): c is number => c !== null);
  const demoFigures = { wallMs: spread(demos.map((d) => d.wallMs)), cpuMs: demoCpu.length > 0 ? spread(demoCpu) : null, rssMb: spread(demos.map((d) => d.rssMb)) };
  console.log(`  tid ${shown(demoFigures.wallMs)}`);
  console.log(`  CPU för hela processträdet, Chromium med (högst 6 s): ${demoFigures.cpuMs ? shown(demoFigures.cpuMs) : "kan bara mätas på Linux"}`);
  console.log(`  toppminne för Node-processen (högst 512 MB): ${shown(demoFigures.rssMb, "MB", (v) => formatNumber(v, 0))}`);

  const results: { name: string; workbooks: number; records: number; rows: number; ms: Spread; cpuMs: Spread; rssMb: Spread; cpuMsPerWorkbook: number }[] = [];
  for (const size of SIZES.filter((s) => !only || only.includes(s.name))) {
    const dir = await mkdtemp(join(tmpdir(), "hp-bench-"));
    try {
      process.stdout.write(`\n${size.name}: skapar indata … `);
      const prepared = await prepare(dir, size.copies, size.historyYears);
      process.stdout.write(`${prepared.workbooks} arbetsböcker, ${formatNumber(prepared.records)} historikrader. Mäter ${size.repeats} gånger … `);
      const runs: { ms: number; cpuMs: number; rssMb: number; rows: number }[] = [];
      for (let i = 0; i < size.repeats; i++) runs.push(await json([script("bench-measure.js"), prepared.catalogueDir, prepared.historyDir, prepared.inputs]));
      const cpuMs = spread(runs.map((r) => r.cpuMs));
      results.push({
        name: size.name,
        workbooks: prepared.workbooks,
        records: prepared.records,
        rows: runs[0]!.rows,
        ms: spread(runs.map((r) => r.ms)),
        cpuMs,
        rssMb: spread(runs.map((r) => r.rssMb)),
        cpuMsPerWorkbook: cpuMs.median / prepared.workbooks,
      });
      console.log(`CPU ${shown(cpuMs)}`);
    } finally {
      if (!process.env.HP_BENCH_KEEP) await rm(dir, { recursive: true, force: true });
      else console.log(`(indata kvar i ${dir})`);
    }
  }
  console.log("\nläs + kontrollera + sammanställ (median, min–max)");
  console.log("storlek  arbetsböcker  historikrader  aggregatrader   CPU (s)              tid (s)             toppminne (MB)   CPU per arbetsbok");
  for (const r of results) {
    console.log(
      `${r.name.padEnd(8)} ${String(r.workbooks).padStart(12)} ${formatNumber(r.records).padStart(14)} ${formatNumber(r.rows).padStart(14)}   ${shown(r.cpuMs, "").padEnd(20)} ${shown(r.ms, "").padEnd(19)} ${shown(r.rssMb, "", (v) => formatNumber(v, 0)).padEnd(16)} ${formatNumber(r.cpuMsPerWorkbook, 0)} ms`,
    );
  }

  process.stdout.write("\nRendering (exempeldata) … ");
  const r = await json<RenderFigures>([script("bench-render.js")]);
  const s = (ms: number) => `${seconds(ms)} s`;
  const ratio = r.pdfStepMs / r.bareChromiumMs;
  console.log("klar");
  console.log(`  Chromium startar                      ${s(r.launchMs)}`);
  console.log(`  nämndrapporten (${r.boardPages} sidor)             ${s(r.boardMs)} (${formatNumber(r.boardBytes / 1024, 0)} kB)`);
  console.log(`  ${r.districts} sidor per enhet                    ${s(r.districtsMs)} (${s(r.districtsMs / r.districts)} per sida)`);
  console.log(`  PDF-steget, nämndrapporten (median)   ${s(r.pdfStepMs)}`);
  console.log(`  samma HTML, bara Chromium (median)    ${s(r.bareChromiumMs)} (kvot ${formatNumber(ratio, 2)}; högst 1,2)`);
  process.stdout.write("\nGoogle Sheets (lokal ersättare för API:t) … ");
  const google = await json<Record<string, number>>([script("bench-google.js")]);
  console.log("klar");
  console.log(`  ${google.tabs} ifyllda flikar (${google.received} enheter): ${google.reads} läsbegäran och ${google.writes} skrivbegäran per kontroll`);

  const figures = {
    measuredAt: new Date().toISOString(),
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? "okänd", memoryGb: totalmem() / 2 ** 30, node: process.version },
    coldStart: { ...coldFigures, ratio: coldRatio },
    demo: demoFigures,
    sizes: results,
    render: { ...r, pdfStepRatio: ratio },
    google,
  };
  const out = join(root, "reports", "bench.json");
  await mkdir(join(root, "reports"), { recursive: true });
  await writeFile(out, `${JSON.stringify(figures, null, 2)}\n`);
  console.log("\nSiffrorna står i reports/bench.json.");
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

await main();
