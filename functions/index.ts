/**
 * The Cloud Functions (2nd gen, Functions Framework):
 * - validateScheduled: CloudEvent from Pub/Sub (Cloud Scheduler, nightly): validate the year
 *   whose reporting window is open (the register of opened years in the bucket) and write the
 *   findings back; nothing when no window is open.
 * - reportScheduled: CloudEvent, weekly: the full run for that year, reports delivered, once
 *   its deadline has passed.
 *   Both log the Google preflight first, on the Google backend.
 * - runOnDemand: HTTP POST {year, steps} for the project leader, with a Google ID token; without
 *   a year, the year the scheduled runs work on.
 * - checkFile: HTTP POST of one .xlsx (?namn=FIL&year=ÅR): its findings and the annotated copy,
 *   as JSON; nothing is stored.
 * Configuration is read here, once, at start-up; a bad configuration stops the instance with
 * a message that says what is wrong.
 */
import * as functions from "@google-cloud/functions-framework";
import { FORM, httpStatusOf, installHttpGuard, MULTIPART, verifiedCaller, verifiedSession } from "./cloud/http-guard.js";
import { callerVerifier } from "./cloud/verify-caller.js";
import { checkFile, MAX_UPLOAD_BYTES, uploadName, XLSX_TYPE } from "./cloud/check-file.js";
import { runSteps, STEPS, type Step } from "./cloud/run-steps.js";
import { checklist } from "./google/preflight.js";
import { isHpError } from "./shared/errors.js";
import { z } from "./shared/zod.js";
import { readConfig } from "./wiring/config.js";
import { checkDeployment, reportsDue, yearToRun } from "./wiring/deployment.js";
import { isPublicPath, servePage, signInPage } from "./web/app.js";
import { SESSION_COOKIE, cookies } from "./web/session.js";

const config = readConfig(process.env, "functions");
const verifier = config.auth.disabled
  ? undefined
  : callerVerifier({
      audiences: config.auth.audiences,
      allowedEmails: config.auth.allowedEmails,
      ...(config.auth.certs ? { certs: config.auth.certs } : {}),
    });

/** The largest body runOnDemand takes: {"year": 2025, "steps": [...]} is far smaller. */
const MAX_BODY_BYTES = 16 * 1024;
/** A Pub/Sub message from Cloud Scheduler, wrapped as a CloudEvent. */
const MAX_EVENT_BYTES = 256 * 1024;


/** Structured logs, as Cloud Logging reads them. */
const log = (severity: "INFO" | "WARNING" | "ERROR", message: string, extra: object = {}) =>
  console.log(JSON.stringify({ severity, message, ...extra }));

installHttpGuard({
  maxBodyBytes: MAX_BODY_BYTES,
  maxEventBytes: MAX_EVENT_BYTES,
  upload: { type: XLSX_TYPE, maxBytes: MAX_UPLOAD_BYTES },
  ...(verifier
    ? {
        // A bearer token (curl, another system), or the page's session cookie (a browser).
        verify: async (req: import("node:http").IncomingMessage) => {
          if (req.headers.authorization) return (await verifier).verify(req.headers.authorization);
          const session = cookies(req).get(SESSION_COOKIE);
          const check = await (await verifier).verify(session ? `Bearer ${session}` : undefined);
          return check.ok && session ? { ...check, session } : check;
        },
      }
    : {}),
  page: { isPublic: isPublicPath, refusal: (reason, host) => signInPage({ oauthClientId: config.auth.oauthClientId }, host, reason) },
  log,
});

const webOptions = {
  config,
  verifier: verifier ? await verifier : undefined,
  oauthClientId: config.auth.oauthClientId,
  maxUploadBytes: MAX_UPLOAD_BYTES,
  log,
};

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

functions.cloudEvent("validateScheduled", async (event: functions.CloudEvent<unknown>) => {
  await scheduledRun(["validate"], `schemalagd kontroll ${event.id}`, "Kontrollen är klar");
});

functions.cloudEvent("reportScheduled", async (event: functions.CloudEvent<unknown>) => {
  await scheduledRun(["validate", "report"], `schemalagd rapport ${event.id}`, "Rapporterna är klara");
});

const RunRequestSchema = z.strictObject({
  year: z.int().min(2000).max(2100).optional(),
  steps: z.array(z.enum(STEPS)).min(1).default(["validate"]),
});

/**
 * Who calls, or undefined when refused (and answered). The guard verified the caller before the
 * body was read; a request it let through as an event (CloudEvents headers) is verified here.
 */
async function allowedCaller(req: functions.Request, res: functions.Response, name: string): Promise<string | undefined> {
  const known = verifiedCaller(req);
  if (known !== undefined || !verifier) return known ?? "lokal utveckling";
  const check = await (await verifier).verify(req.get("authorization"));
  if (check.ok) return check.email;
  log("WARNING", `Nekat anrop till ${name}`, { status: check.status, reason: check.reason });
  res.status(check.status).json({ error: check.reason });
  return undefined;
}

functions.http("runOnDemand", async (req, res) => {
  // The project leader's page: every GET, and the page's forms.
  const type = req.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (req.method === "GET" || (req.method === "POST" && (type === FORM || type === MULTIPART))) {
    const email = verifiedCaller(req) ?? (verifier ? undefined : "lokal användare");
    if (email === undefined && !isPublicPath(req.method, req.path)) {
      res.status(401).json({ error: "Logga in först." });
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
});

functions.http("checkFile", async (req, res) => {
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
});
