/**
 * The render part of `npm run bench`: on the bundled example data, the time to print the
 * board report and all district pages with our printer (one Chromium for the run), and the
 * PDF step on its own: the board report printed by our printer with its metadata added,
 * against the same HTML printed by the same Chromium binary with the same page.pdf options and
 * nothing after it. Each is printed once to warm up and then five times in turn; the medians
 * are compared. Run by bench.ts.
 */
import { join } from "node:path";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { readHistoryCsv } from "../functions/history/history.js";
import { aggregateYear } from "../functions/pipeline/aggregate-year.js";
import { reportModelOf } from "../functions/pipeline/write-outputs.js";
import { CHROMIUM_FLAGS, launchChromium, PDF_OPTIONS } from "../functions/render/pdf-printer.js";
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

// The PDF step against bare Chromium: the same binary and flags, the same HTML and options.
const { default: chromium } = await import("@sparticuz/chromium");
const { default: puppeteer } = await import("puppeteer-core");
const bare = await puppeteer.launch({ executablePath: await chromium.executablePath(), headless: "shell", args: CHROMIUM_FLAGS, pipe: true });
const barePrint = async () => {
  const page = await bare.newPage();
  await page.setContent(board.html, { waitUntil: "load" });
  const pdf = await page.pdf({ ...PDF_OPTIONS, headerTemplate: board.headerTemplate, footerTemplate: board.footerTemplate });
  await page.close();
  return pdf;
};
const timed = async (print: () => Promise<unknown>) => {
  const start = performance.now();
  await print();
  return performance.now() - start;
};
const ours = () => printReport(printer, board, yc.year, now);
await barePrint();
await ours();
const oursMs: number[] = [];
const bareMs: number[] = [];
for (let round = 0; round < 5; round++) {
  oursMs.push(await timed(ours));
  bareMs.push(await timed(barePrint));
}
await bare.close();
await printer.close();
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

process.stdout.write(
  JSON.stringify({
    launchMs: launched - started,
    boardMs: boardDone - launched,
    boardPages: Buffer.from(boardPdf).toString("latin1").match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0,
    districtsMs: districtsDone - boardDone,
    districts: yc.units.length,
    pdfStepMs: median(oursMs),
    bareChromiumMs: median(bareMs),
    boardBytes: boardPdf.length,
  }),
);
