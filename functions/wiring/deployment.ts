/**
 * What a deployment decides at run time, from the bucket rather than its own variables, so that
 * the project leader changes it without a developer: which year the scheduled runs work on (the
 * register of opened years and the catalogue's reporting windows), and whether Google is set up
 * as the runs need (the preflight).
 */
import { type Check, preflight } from "../google/preflight.js";
import { scheduledYear, stockholmDate } from "../history/year-register.js";
import { gcsBucket } from "../shared/gcs-bucket.js";
import type { Config } from "./config.js";
import { templateDefinition } from "../template/definition.js";
import { catalogueInForce, openGoogle, spreadsheetOf, yearRegisterFor } from "./open-year.js";

/**
 * The year a scheduled run works on: HP_YEAR when set, else the latest opened year whose
 * reporting window holds today. Undefined when no window is open: the run does nothing.
 */
export async function yearToRun(config: Config): Promise<number | undefined> {
  if (config.year !== undefined) return config.year;
  const [{ catalogue }, register] = await Promise.all([catalogueInForce(config), yearRegisterFor(config)]);
  return scheduledYear(catalogue, await register.list(), stockholmDate(config.now()))?.year;
}

/** The year a person means without saying one: the one the scheduled runs work on, else the latest in the catalogue. */
export async function currentYear(config: Config): Promise<number> {
  const scheduled = await yearToRun(config);
  if (scheduled !== undefined) return scheduled;
  return Math.max(...(await catalogueInForce(config)).catalogue.reportingYears.map((y) => y.year));
}

/**
 * Whether the scheduled report run makes the year's reports: only after its deadline, so the
 * boards' readers never get a report made while units are still filling in.
 */
export async function reportsDue(config: Config, year: number): Promise<{ due: boolean; deadline: string | undefined }> {
  const { catalogue } = await catalogueInForce(config);
  const deadline = catalogue.reportingYears.find((y) => y.year === year)?.deadline;
  return { due: deadline !== undefined && stockholmDate(config.now()) > deadline, deadline };
}

/** The preflight for a year, as the configured service account sees it. It needs no history: only the register and Google. */
export async function checkDeployment(config: Config, year: number, probeReaders: boolean): Promise<Check[]> {
  const { sheets } = templateDefinition();
  return preflight({
    clients: await openGoogle(config),
    year,
    spreadsheetId: await spreadsheetOf(await yearRegisterFor(config), config, year),
    folderId: config.google.driveFolderId,
    readers: config.google.reportReaders,
    bucket: config.bucket ? await gcsBucket(config.bucket, config.storageEndpoint) : undefined,
    sheets: { meta: sheets.meta, status: sheets.status },
    probeReaders,
    serviceAccount: config.google.serviceAccount,
  });
}
