/**
 * The render part of `npm run bench`: on the bundled example data, the time to print the
 * board report and all district pages with our printer (one Chromium for the run), and the
 * same board HTML printed directly by the same Chromium binary with --print-to-pdf, as a
 * ratio to ours. Run by bench.ts.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { readHistoryCsv } from "../functions/history/history.js";
import { aggregateYear } from "../functions/pipeline/aggregate-year.js";
import { reportModelOf } from "../functions/pipeline/write-outputs.js";
import { CHROMIUM_FLAGS, launchChromium } from "../functions/render/pdf-printer.js";
import { printReport, renderBoardHtml, renderDistrictHtml } from "../functions/render/render-reports.js";
import { defaultHistoryFile, projectRoot } from "../functions/shared/paths.js";
import { XlsxFileSource } from "../functions/submission/source.js";
import { templateDefinition } from "../functions/template/definition.js";

const now = new Date("2026-03-02T09:00:00Z");
const catalogue = await loadCatalogue();
const yc = catalogueForYear(catalogue, 2025);
const definition = templateDefinition();
const result = await aggregateYear({
  yc,
  definition,
  history: await readHistoryCsv(defaultHistoryFile()),
  source: new XlsxFileSource([join(projectRoot(), "sheets", "exempel")], "/"),
  maxChange: catalogue.yearOverYearWarningShare,
  now,
});
const model = reportModelOf(result, definition, yc);
const { trends } = result.aggregates;

const started = performance.now();
const printer = await launchChromium();
const launched = performance.now();
const board = await renderBoardHtml(model, trends, now);
const boardPdf = await printReport(printer, board, yc.year, now);
const boardDone = performance.now();
for (const unit of yc.units) {
  const page = await renderDistrictHtml(model, unit, trends, result.validation.observations, now);
  await printReport(printer, page, yc.year, now);
}
const districtsDone = performance.now();
await printer.close();

// The same HTML, printed by the same binary without us in between: its own --print-to-pdf.
const { default: chromium } = await import("@sparticuz/chromium");
const binary = await chromium.executablePath();
const dir = await mkdtemp(join(tmpdir(), "hp-bench-render-"));
const html = join(dir, "board.html");
await writeFile(html, board.html);
const direct = join(dir, "direct.pdf");
const directStart = performance.now();
let directMs: number | null = null;
let directProblem: string | null = null;
try {
  await promisify(execFile)(
    binary,
    ["--headless=shell", ...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, "profile")}`, `--print-to-pdf=${direct}`, "--no-pdf-header-footer", pathToFileURL(html).href],
    { timeout: 20_000, killSignal: "SIGKILL" },
  );
  await stat(direct);
  directMs = performance.now() - directStart;
} catch (error) {
  directProblem = (error as { killed?: boolean }).killed ? "svarade inte inom 20 s" : (error as Error).message.split("\n")[0]!;
}

// And by the same Chromium through the DevTools protocol, without our hardening and metadata.
const { default: puppeteer } = await import("puppeteer-core");
const bareStart = performance.now();
const browser = await puppeteer.launch({ executablePath: binary, headless: "shell", args: CHROMIUM_FLAGS });
const page = await browser.newPage();
await page.setContent(board.html, { waitUntil: "load" });
await page.pdf({ format: "A4", preferCSSPageSize: true, printBackground: true });
await browser.close();
const bareMs = performance.now() - bareStart;
await rm(dir, { recursive: true, force: true });

process.stdout.write(
  JSON.stringify({
    launchMs: launched - started,
    boardMs: boardDone - launched,
    districtsMs: districtsDone - boardDone,
    districts: yc.units.length,
    ourBoardWithLaunchMs: boardDone - started,
    directBoardWithLaunchMs: directMs,
    directProblem,
    bareBoardWithLaunchMs: bareMs,
    boardBytes: boardPdf.length,
  }),
);
