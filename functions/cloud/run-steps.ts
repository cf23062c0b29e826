/**
 * What the Cloud Functions do, without the Functions Framework around it: check (and put the
 * findings back), and make and deliver the reports, for a year, holding the year's lock. The
 * adapters – a folder of .xlsx and a local folder on the embedded default, the spreadsheet
 * and Drive on Google – come from the wiring root; this file does not know which. Every run,
 * however it ends, is recorded in the run log the project leader's page lists.
 */
import { randomUUID } from "node:crypto";
import { runOwner } from "../lock/year-lock.js";
import { checkYear, inCatalogueOrder, submissionResult, validationSummary } from "../pipeline/check-year.js";
import { draftsSentence, runYear, type RunYearResult } from "../pipeline/run-year.js";
import type { RunLog, UnitDigest } from "../history/run-log.js";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { unitDigests } from "../pipeline/unit-digest.js";
import { HpError, isHpError } from "../shared/errors.js";
import type { Config } from "../wiring/config.js";
import { type OpenedYear, withOpenYear } from "../wiring/open-year.js";

/** "preview": the reports with drafts included, for the project leader only (never stored or delivered). */
export const STEPS = ["validate", "report", "preview"] as const;
export type Step = (typeof STEPS)[number];

export interface RunSummary {
  /** What the run saw of each unit, kept in the run log. */
  units?: Record<string, UnitDigest>;
  year: number;
  steps: Step[];
  errors: number;
  warnings: number;
  received: number;
  expected: number;
  links: { name: string; link: string }[];
}

/** "15 av 16 har lämnat in; 6 fel, 6 varningar": a run's result in one sentence. */
export function summarySentence(s: RunSummary): string {
  return `${s.received} av ${s.expected} har lämnat in; ${s.errors} fel, ${s.warnings} ${s.warnings === 1 ? "varning" : "varningar"}${s.links.length > 0 ? `; ${s.links.length} rapporter` : ""}.`;
}

/**
 * A whole run's summary (validate → report, or a preview), as the run log and the page tell it:
 * the counts, the reports it delivered (the published ones; a preview's own files) and what it
 * saw of each unit.
 */
export function runYearSummary(yc: YearCatalogue, result: RunYearResult, steps: Step[]): RunSummary {
  const preview = steps.includes("preview");
  return {
    ...validationSummary(yc, result.aggregate.validation),
    steps,
    links: result.written.filter((f) => f.published || (preview && !f.name.endsWith(".json"))).map((f) => ({ name: f.name.split("/").at(-1)!, link: f.link })),
    units: unitDigests(result.aggregate.validation),
  };
}

/**
 * One run's line in the run log, with its reports and what it saw of each unit when it ended
 * well. A log that cannot be written is told through `warn`, never fatal for the run.
 */
export async function recordRun(
  runLog: RunLog,
  run: { id: string; year: number; steps: Step[]; by: string; startedAt: Date },
  ok: boolean,
  result: string,
  summary: RunSummary | undefined,
  warn: (line: string) => void,
): Promise<void> {
  const links = summary?.links ?? [];
  const entry = {
    ...run,
    startedAt: run.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    ok,
    result,
    ...(links.length > 0 ? { links } : {}),
    ...(summary?.units ? { units: summary.units } : {}),
  };
  await runLog.add(entry).catch((error: unknown) => warn(`Körningen kunde inte antecknas i körloggen: ${(error as Error).message}`));
}

export async function runSteps(
  config: Config,
  year: number | undefined,
  steps: Step[],
  owner: string,
  log: (line: string) => void,
  warn: (line: string) => void = log,
): Promise<RunSummary> {
  const runId = randomUUID();
  const startedAt = new Date();
  let held: OpenedYear | undefined;
  const work = async (y: OpenedYear): Promise<RunSummary> => {
    held = y;
    const base = { yc: y.yc, definition: y.definition, history: y.history, maxChange: y.maxChange, now: y.now, imports: y.imports };
    log(`Läser inlämningarna för ${y.year}`);
    const source = await y.source();
    const preview = steps.includes("preview");
    if (!steps.includes("report") && !preview) {
      // Each workbook's line as it is read, so the page shows the check going; then each unit's result.
      const result = await checkYear({ ...base, source, progress: log });
      for (const s of inCatalogueOrder(y.yc, result.submissions)) log(submissionResult(y.yc, y.definition, s));
      return { ...validationSummary(y.yc, result), steps, links: [], units: unitDigests(result) };
    }
    if (preview && y.config.backend === "google") {
      throw new HpError("usage", "Förhandsvisningen görs än så länge bara lokalt (hp run --forhandsvisning): på Google skulle filerna hamna i rapportläsarnas Drive-mapp.");
    }
    const officialsText = await y.officialsText();
    for (const problem of officialsText.problems) warn(problem);
    const result = await runYear({ ...base, source, store: y.store, imports: y.imports, runId, preview, sink: await y.sink(), launchPrinter: y.launchPrinter, progress: log, officialsText });
    if (result.drafts.length > 0) log(draftsSentence(result.drafts, officialsText.source));
    // The run read the submissions once; the findings go back to where reporters work from that reading.
    if (steps.includes("validate")) await source.annotate?.(result.aggregate.validation, base);
    if (result.failures.length > 0) {
      throw new HpError("io", `Rapporter kunde inte skapas: ${result.failures.map((f) => `${f.what}: ${f.message}`).join("; ")}`);
    }
    return runYearSummary(y.yc, result, steps);
  };
  const record = async (ok: boolean, result: string, summary?: RunSummary) => {
    // A run refused before it held the year (busy, a year not in the catalogue) did nothing to record.
    if (held === undefined) return;
    await recordRun(held.runLog, { id: runId, year: held.year, steps, by: owner, startedAt }, ok, result, summary, warn);
  };
  try {
    const summary = await withOpenYear(config, year, runOwner(owner, runId), work, { notice: warn });
    await record(true, summarySentence(summary), summary);
    return summary;
  } catch (error) {
    await record(false, isHpError(error) ? error.message : `Ett oväntat fel: ${(error as Error).message}`);
    throw error;
  }
}
