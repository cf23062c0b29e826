/**
 * Measures one benchmark size in a process of its own: loads the catalogue and history,
 * reads and validates every workbook, aggregates, and prints the time and peak memory as JSON.
 * Run by bench.ts.
 */
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { History } from "../functions/history/history.js";
import { LocalHistoryStore } from "../functions/history/local-store.js";
import { combinedHistory } from "../functions/history/store.js";
import { aggregateYear } from "../functions/pipeline/aggregate-year.js";
import { XlsxFileSource } from "../functions/submission/source.js";
import { templateDefinition } from "../functions/template/definition.js";

const [catalogueDir, historyDir, inputs] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
const catalogue = await loadCatalogue(catalogueDir);
const history = await combinedHistory(History.empty(), new LocalHistoryStore(historyDir));
const result = await aggregateYear({
  yc: catalogueForYear(catalogue, 2025),
  definition: templateDefinition(),
  history,
  source: new XlsxFileSource([inputs], "/"),
  maxChange: catalogue.yearOverYearWarningShare,
  now: new Date(),
});
const ms = performance.now() - started;
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(JSON.stringify({ ms, cpuMs, rssMb: usage.maxRSS / 1024, rows: result.aggregates.rows.length }));
