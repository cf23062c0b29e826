/**
 * The Cloud Functions (2nd gen, Functions Framework):
 * - validateScheduled: CloudEvent from Pub/Sub (Cloud Scheduler, nightly): validate the year
 *   whose reporting window is open (the register of opened years in the bucket) and write the
 *   findings back; nothing when no window is open.
 * - reportScheduled: CloudEvent, weekly: the full run for that year, reports delivered, once
 *   its deadline has passed.
 *   Both log the Google preflight first, on the Google backend.
 * - remindScheduled: CloudEvent, every morning: reminders by e-mail to the units that do not
 *   count yet, on the days years.yaml says; nothing on other days.
 * - runOnDemand: HTTP POST {year, steps} for the project leader, with a Google ID token; without
 *   a year, the year the scheduled runs work on. GET serves the project leader's page.
 * - checkFile: HTTP POST of one .xlsx (?namn=FIL&year=ÅR): its findings and the annotated copy,
 *   as JSON; nothing is stored.
 *
 * This file only registers the functions and puts the request guard in front of them: it loads
 * nothing heavy, so a cold instance starts about as fast as the Functions Framework alone. The
 * functions' code (handlers.ts: configuration, token verifier, pipeline, page) is loaded on the
 * first call and kept.
 */
import * as functions from "@google-cloud/functions-framework";
import { installHttpGuard } from "./cloud/http-guard.js";
import { MAX_BODY_BYTES, MAX_EVENT_BYTES, MAX_UPLOAD_BYTES, XLSX_TYPE } from "./cloud/limits.js";
import { log } from "./cloud/log.js";
import { isPublicPath } from "./web/public-paths.js";

let loading: Promise<typeof import("./handlers.js")> | undefined;
/** The functions' code, loaded once, on the first call that needs it. */
const handlers = () => {
  loading ??= import("./handlers.js").catch((error: unknown) => {
    // A bad configuration: said once in the log, and every call fails with the same reason.
    log("ERROR", `Funktionerna kunde inte starta: ${(error as Error).message}`);
    throw error;
  });
  return loading;
};

installHttpGuard({
  maxBodyBytes: MAX_BODY_BYTES,
  maxEventBytes: MAX_EVENT_BYTES,
  upload: { type: XLSX_TYPE, maxBytes: MAX_UPLOAD_BYTES },
  host: async (host) => (await handlers()).hostAllowed(host),
  verify: async (req) => (await handlers()).verifyRequest(req),
  page: { isPublic: isPublicPath, refusal: async (reason, host) => (await handlers()).signIn(reason, host) },
  log,
});

functions.cloudEvent("validateScheduled", async (event: functions.CloudEvent<unknown>) => (await handlers()).validateScheduled(event));
functions.cloudEvent("reportScheduled", async (event: functions.CloudEvent<unknown>) => (await handlers()).reportScheduled(event));
functions.cloudEvent("remindScheduled", async (event: functions.CloudEvent<unknown>) => (await handlers()).remindScheduled(event));
functions.http("runOnDemand", async (req, res) => (await handlers()).runOnDemand(req, res));
functions.http("checkFile", async (req, res) => (await handlers()).checkFileHandler(req, res));
