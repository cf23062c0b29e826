/**
 * What the functions do, loaded by functions/index.ts on the first call rather than at start-up,
 * so that a cold instance answers sooner: the configuration (read once, here), the caller
 * verifier, the scheduled runs, runOnDemand with the project leader's page, and checkFile. A bad
 * configuration fails the first call, and every call after it, with a message that says what is
 * wrong.
 */
import type { IncomingMessage } from "node:http";
import type { CloudEvent, Request, Response } from "@google-cloud/functions-framework";
import { checkFile, uploadName } from "./cloud/check-file.js";
import { FORM, hostCheck, httpStatusOf, MULTIPART, verifiedCaller, verifiedSession } from "./cloud/http-guard.js";
import { MAX_UPLOAD_BYTES, XLSX_TYPE } from "./cloud/limits.js";
import { log } from "./cloud/log.js";
import { runSteps, STEPS, type Step } from "./cloud/run-steps.js";
import { callerVerifier } from "./cloud/verify-caller.js";
import { checklist } from "./google/preflight.js";
import { isHpError } from "./shared/errors.js";
import { z } from "./shared/zod.js";
import { servePage, signInPage } from "./web/app.js";
import { isPublicPath } from "./web/public-paths.js";
import { cookies, SESSION_COOKIE } from "./web/session.js";
import { readConfig } from "./wiring/config.js";
import { checkDeployment, reportsDue, yearToRun } from "./wiring/deployment.js";
import { withOpenYear } from "./wiring/open-year.js";
import { runOwner } from "./lock/year-lock.js";
import { remindYear } from "./pipeline/remind-year.js";
import { outcomeCounts, planLine } from "./reminders/send-reminders.js";
import { randomUUID } from "node:crypto";

const config = readConfig(process.env, "functions");
const verifierFor = (audiences: string[]) =>
  callerVerifier({ audiences, allowedEmails: config.auth.allowedEmails, ...(config.auth.certs ? { certs: config.auth.certs } : {}) });
/** Bearer tokens: other systems, curl, the scheduler. */
const verifier = config.auth.disabled ? undefined : await verifierFor(config.auth.audiences);
/** The page's sessions: tokens for its sign-in client only, never accepted as bearer tokens. */
const pageVerifier = config.auth.disabled || !config.auth.oauthClientId ? undefined : await verifierFor([config.auth.oauthClientId]);

/** Whether a request's Host is this service's (HP_HOSTS), or this machine's. */
export const hostAllowed = hostCheck(config.hosts, config.inCloud);

const webOptions = { config, verifier: pageVerifier, oauthClientId: config.auth.oauthClientId, maxUploadBytes: MAX_UPLOAD_BYTES, log };

/**
 * The request guard's check of the caller: a bearer token (curl, another system), or the
 * page's session cookie (a browser). Undefined when sign-in is off (local development).
 */
export async function verifyRequest(req: IncomingMessage) {
  if (!verifier) return undefined;
  if (req.headers.authorization) return verifier.verify(req.headers.authorization);
  const session = cookies(req).get(SESSION_COOKIE);
  if (!pageVerifier) return verifier.verify(undefined);
  const check = await pageVerifier.verify(session ? `Bearer ${session}` : undefined);
  return check.ok && session ? { ...check, session } : check;
}

/** The sign-in page a browser gets when refused. */
export function signIn(reason: string, host: string | undefined): Promise<string> {
  return signInPage({ oauthClientId: config.auth.oauthClientId }, host, reason);
}

/**
 * A scheduled run: the year whose reporting window is open, read from the bucket at every run
 * (so a year opened with hp year open is picked up without a redeploy), the preflight logged,
 * then the steps. No open window: nothing to do, and the log says so.
 */
async function scheduledRun(steps: Step[], owner: string, done: string): Promise<void> {
  const year = await yearToRun(config);
  if (year === undefined) {
    log("INFO", "Ingen rapporteringsperiod pågår: inget att göra. Ett år öppnas med hp year open ÅR.");
    return;
  }
  if (steps.includes("report")) {
    const { due, deadline } = await reportsDue(config, year);
    if (!due) {
      log("INFO", `Rapporterna för ${year} skapas först efter sista dag för inlämning (${deadline}).`, { year });
      return;
    }
  }
  if (config.backend === "google") {
    const checks = await checkDeployment(config, year, false);
    const failed = checks.filter((c) => !c.ok);
    log(failed.length > 0 ? "ERROR" : "INFO", `Kontroll av Google för ${year}:\n${checklist(checks)}`, { year, failed: failed.map((c) => c.what) });
  }
  const summary = await runSteps(config, year, steps, owner, (m) => log("INFO", m), (m) => log("WARNING", m));
  log("INFO", done, summary);
}

export async function validateScheduled(event: CloudEvent<unknown>): Promise<void> {
  await scheduledRun(["validate"], `schemalagd kontroll ${event.id}`, "Kontrollen är klar");
}

export async function reportScheduled(event: CloudEvent<unknown>): Promise<void> {
  await scheduledRun(["validate", "report"], `schemalagd rapport ${event.id}`, "Rapporterna är klara");
}

/**
 * The morning's reminders: for the year whose reporting window is open, on the days the rules
 * say, under the year's lock; each unit's outcome is logged (and kept in the reminder log the
 * page shows). A missing mail server or contacts file is an error in the log, not a retry.
 */
export async function remindScheduled(event: CloudEvent<unknown>): Promise<void> {
  const year = await yearToRun(config);
  if (year === undefined) {
    log("INFO", "Ingen rapporteringsperiod pågår: inga påminnelser.");
    return;
  }
  const by = `schemalagd påminnelse ${event.id}`;
  try {
    const result = await withOpenYear(config, year, runOwner(by, randomUUID()), (y) => remindYear(y, { dryRun: false, by }));
    if (result.plan.nothingDue) return log("INFO", result.plan.nothingDue, { year });
    const outcomes = result.outcomes ?? [];
    for (const o of outcomes) log(o.record && !o.record.ok ? "WARNING" : "INFO", planLine(o.planned, o.record), { year, unit: o.planned.unit.reporter });
    log("INFO", `Påminnelserna för ${year} är klara: ${outcomeCounts(outcomes).sent} skickade.`, { year });
  } catch (error) {
    log("ERROR", `Påminnelserna för ${year} kunde inte skickas: ${(error as Error).message}`, { year });
  }
}

const RunRequestSchema = z.strictObject({
  year: z.int().min(2000).max(2100).optional(),
  steps: z.array(z.enum(STEPS)).min(1).default(["validate"]),
});

/**
 * Who calls, or undefined when refused (and answered). The guard verified the caller before the
 * body was read; a request it let through as an event (CloudEvents headers) is verified here.
 */
async function allowedCaller(req: Request, res: Response, name: string): Promise<string | undefined> {
  const known = verifiedCaller(req);
  if (known !== undefined || !verifier) return known ?? "lokal utveckling";
  const check = await verifier.verify(req.get("authorization"));
  if (check.ok) return check.email;
  log("WARNING", `Nekat anrop till ${name}`, { status: check.status, reason: check.reason });
  res.status(check.status).json({ error: check.reason });
  return undefined;
}

export async function runOnDemand(req: Request, res: Response): Promise<void> {
  // The project leader's page: every GET, and the page's forms.
  const type = req.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (req.method === "GET" || (req.method === "POST" && (type === FORM || type === MULTIPART))) {
    // The page is for people who signed in to it: a bearer token (another system's) does not open it.
    const email = !verifier ? "lokal användare" : verifiedSession(req) !== undefined ? verifiedCaller(req) : undefined;
    if (email === undefined && !isPublicPath(req.method, req.path)) {
      res.status(401).json({ error: "Logga in på sidan först." });
      return;
    }
    await servePage(req, res, webOptions, { email: email ?? "", session: verifiedSession(req) });
    return;
  }
  if (req.method !== "POST") {
    res.status(405).set("Allow", "POST").json({ error: "Använd POST med {\"year\": 2025, \"steps\": [\"validate\", \"report\"]}." });
    return;
  }
  const caller = await allowedCaller(req, res, "runOnDemand");
  if (caller === undefined) return;
  if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    res.status(415).json({ error: "runOnDemand tar JSON; skicka arbetsböcker till checkFile." });
    return;
  }
  const body = RunRequestSchema.safeParse(req.body === undefined || Buffer.isBuffer(req.body) ? {} : req.body);
  if (!body.success) {
    res.status(400).json({ error: `Fel i anropet: ${body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}` });
    return;
  }
  try {
    const year = body.data.year ?? (await yearToRun(config));
    if (year === undefined) {
      res.status(400).json({ error: "Ingen rapporteringsperiod pågår. Ange året: {\"year\": 2026}." });
      return;
    }
    const summary = await runSteps(config, year, body.data.steps, caller, (m) => log("INFO", m, { caller }), (m) => log("WARNING", m, { caller }));
    log("INFO", "runOnDemand klar", { caller, ...summary });
    res.status(200).json(summary);
  } catch (error) {
    const message = isHpError(error) ? error.message : `Körningen misslyckades: ${(error as Error).message}`;
    const status = httpStatusOf(error);
    log(status === 409 ? "WARNING" : "ERROR", message, { caller });
    res.status(status).json({ error: message });
  }
}

export async function checkFileHandler(req: Request, res: Response): Promise<void> {
  if (req.method !== "POST") {
    res.status(405).set("Allow", "POST").json({ error: `Använd POST med arbetsboken som innehåll (Content-Type: ${XLSX_TYPE}).` });
    return;
  }
  const caller = await allowedCaller(req, res, "checkFile");
  if (caller === undefined) return;
  if (req.get("content-type")?.split(";")[0]?.trim().toLowerCase() !== XLSX_TYPE || !Buffer.isBuffer(req.body) || req.body.length === 0) {
    res.status(415).json({ error: `Skicka en ifylld mall (.xlsx) som innehåll, med Content-Type ${XLSX_TYPE}.` });
    return;
  }
  const year = req.query.year === undefined ? undefined : Number(req.query.year);
  if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100)) {
    res.status(400).json({ error: "year ska vara ett årtal, till exempel ?year=2025." });
    return;
  }
  try {
    const name = uploadName(typeof req.query.namn === "string" ? req.query.namn : undefined);
    const checked = await checkFile(config, { year, name, bytes: req.body });
    log("INFO", "checkFile klar", { caller, file: name, errors: checked.errors, warnings: checked.warnings });
    res.status(200).set("Cache-Control", "no-store").json(checked);
  } catch (error) {
    const message = isHpError(error) ? error.message : `Kontrollen misslyckades: ${(error as Error).message}`;
    const status = httpStatusOf(error);
    log(status >= 500 ? "ERROR" : "WARNING", message, { caller });
    res.status(status).json({ error: message });
  }
}
