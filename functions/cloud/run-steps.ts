/**
 * What the Cloud Functions do, without the Functions Framework around it: check (and put the
 * findings back), and make and deliver the reports, for a year, holding the year's lock. The
 * adapters – a folder of .xlsx and a local folder on the embedded default, the spreadsheet
 * and Drive on Google – come from the wiring root; this file does not know which.
 */
import { randomUUID } from "node:crypto";
import { runOwner } from "../lock/year-lock.js";
import { checkYear, validationSummary } from "../pipeline/check-year.js";
import { runYear } from "../pipeline/run-year.js";
import { HpError } from "../shared/errors.js";
import type { Config } from "../wiring/config.js";
import { type OpenedYear, withOpenYear } from "../wiring/open-year.js";

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

export async function runSteps(
  config: Config,
  year: number | undefined,
  steps: Step[],
  owner: string,
  log: (line: string) => void,
  warn: (line: string) => void = log,
): Promise<RunSummary> {
  const runId = randomUUID();
  const work = async (y: OpenedYear): Promise<RunSummary> => {
    const base = { yc: y.yc, definition: y.definition, history: y.history, maxChange: y.maxChange, now: y.now };
    const source = await y.source();
    if (!steps.includes("report")) {
      return { ...validationSummary(y.yc, await checkYear({ ...base, source })), steps, links: [] };
    }
    const result = await runYear({ ...base, source, store: y.store, runId, sink: await y.sink(), launchPrinter: y.launchPrinter, progress: log });
    // The run read the submissions once; the findings go back to where reporters work from that reading.
    if (steps.includes("validate")) await source.annotate?.(result.aggregate.validation, base);
    if (result.failures.length > 0) {
      throw new HpError("io", `Rapporter kunde inte skapas: ${result.failures.map((f) => `${f.what}: ${f.message}`).join("; ")}`);
    }
    return {
      ...validationSummary(y.yc, result.aggregate.validation),
      steps,
      links: result.written.filter((f) => f.published).map((f) => ({ name: f.name.split("/").at(-1)!, link: f.link })),
    };
  };
  return withOpenYear(config, year, runOwner(owner, runId), work, { notice: warn });
}
