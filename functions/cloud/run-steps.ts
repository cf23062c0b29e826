/**
 * What the Cloud Functions do, without the Functions Framework around it: validate (and write
 * the findings back), and make and deliver the reports, for a year, holding the year's lock.
 * The embedded default reads a folder of .xlsx and writes reports to a local folder; the
 * Google backend reads the year's spreadsheet and delivers to Drive.
 */
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { catalogueForYear } from "../catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../catalogue/load-catalogue.js";
import type { Catalogue } from "../catalogue/schema.js";
import { googleClients } from "../google/clients.js";
import { History, readHistoryCsv } from "../history/history.js";
import { gcsBucket, GcsHistoryStore, gcsYearLock } from "../history/gcs-store.js";
import { combinedHistory, type HistoryStore, LocalHistoryStore } from "../history/store.js";
import { reportAndDeliver, validateAndWriteBack, validationSummary } from "../pipeline/google-run.js";
import { runYear } from "../pipeline/run-year.js";
import { launchChromium } from "../render/pdf-printer.js";
import { HpError } from "../shared/errors.js";
import { XlsxFileSource } from "../submission/source.js";
import { templateDefinition } from "../template/definition.js";
import { validateSource } from "../validate/validate-source.js";
import type { CloudConfig } from "./config.js";
import { localYearLock, type YearLock } from "./year-lock.js";

export const STEPS = ["validate", "report"] as const;
export type Step = (typeof STEPS)[number];

export interface RunSummary {
  year: number;
  steps: Step[];
  errors: number;
  warnings: number;
  received: number;
  expected: number;
  links: { name: string; link: string }[];
}

export async function runSteps(config: CloudConfig, year: number | undefined, steps: Step[], owner: string, log: (line: string) => void): Promise<RunSummary> {
  const catalogue = await loadCatalogue(config.HP_CATALOGUE_DIR);
  const y = year ?? config.HP_YEAR ?? latestYear(catalogue);
  const yc = catalogueForYear(catalogue, y);
  // With a bucket, history and the lock are shared by every instance; without, they are local.
  const bucket = config.HP_BUCKET ? await gcsBucket(config.HP_BUCKET, config.HP_STORAGE_API_ENDPOINT) : undefined;
  const store: HistoryStore = bucket ? new GcsHistoryStore(bucket) : new LocalHistoryStore(config.HP_HISTORY_DIR);
  const lock: YearLock = bucket ? gcsYearLock(bucket) : localYearLock(config.HP_HISTORY_DIR);
  const baseline = config.HP_HISTORY_FILE ? await readHistoryCsv(config.HP_HISTORY_FILE) : History.empty();
  const history = await combinedHistory(baseline, store);
  const definition = templateDefinition();
  const now = new Date();
  const launchPrinter = () => launchChromium({ executablePath: config.HP_CHROMIUM_PATH });
  const base = { yc, definition, history, maxChange: catalogue.yearOverYearWarningShare, now };

  return lock.withLock(y, owner, async () => {
    const summary: RunSummary = { year: y, steps, errors: 0, warnings: 0, received: 0, expected: yc.units.length + 1, links: [] };
    if (config.HP_BACKEND === "google") {
      const clients = await googleClients();
      const spreadsheetId = config.HP_SPREADSHEET_ID!;
      if (steps.includes("validate")) Object.assign(summary, await validateAndWriteBack({ ...base, clients, spreadsheetId }));
      if (steps.includes("report")) {
        const result = await reportAndDeliver({
          ...base,
          clients,
          spreadsheetId,
          folderId: config.HP_DRIVE_FOLDER_ID!,
          readers: config.HP_REPORT_READERS,
          store,
          launchPrinter,
          progress: log,
        });
        Object.assign(summary, { ...result, links: result.files.map((f) => ({ name: f.name, link: f.link })) });
      }
      return summary;
    }
    const source = new XlsxFileSource([config.HP_INPUT_DIR], "/");
    if (steps.includes("report")) {
      const result = await runYear({ ...base, source, store, outDir: config.HP_OUT_DIR, launchPrinter, progress: log });
      if (result.failures.length > 0) throw new HpError("io", `Rapporter kunde inte skapas: ${result.failures.map((f) => f.what).join(", ")}`);
      return {
        ...summary,
        ...validationSummary(yc, result.aggregate.validation),
        links: result.files.map((f) => ({ name: basename(f), link: pathToFileURL(f).href })),
      };
    }
    return { ...summary, ...validationSummary(yc, await validateSource(source, base)) };
  });
}

function latestYear(catalogue: Catalogue): number {
  return Math.max(...catalogue.reportingYears.map((r) => r.year));
}
