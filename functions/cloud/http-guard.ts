/**
 * The functions' first line of defence, before a byte of a body is read. The Functions
 * Framework reads and parses every body (up to 1 GB) before a function runs, and answers a
 * body it cannot parse with an HTML page and a stack trace. So this guard runs first in the
 * framework's own Express application (the one instance the framework loads), and:
 * - refuses a body larger than the limit by its Content-Length, and one without a length;
 * - checks the caller's ID token from the headers, before the body is read, for calls to the
 *   HTTP function (events from Eventarc are authenticated by Cloud Run's IAM, and carry the
 *   CloudEvents headers; runOnDemand checks the token itself when the guard did not);
 * - takes JSON, or an .xlsx workbook up to its own limit, and answers every error the
 *   framework's parsers raise as JSON.
 * A refusal closes the connection, so an unread body is not read either.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { type ErrorCode, isHpError } from "../shared/errors.js";
import { pageHeaders } from "./page-headers.js";
import type { CallerCheck } from "./verify-caller.js";

export interface GuardOptions {
  /** The largest body a call may send. */
  maxBodyBytes: number;
  /** The largest event (CloudEvent) body. */
  maxEventBytes: number;
  /** A file upload besides JSON: its content type and largest size (checkFile's workbook). */
  upload?: { type: string; maxBytes: number };
  /** Checks the caller from the request's headers (a bearer token, or the page's session cookie); undefined when sign-in is off (local development). */
  verify?: (req: IncomingMessage) => Promise<(CallerCheck & { session?: string }) | undefined>;
  /** The project leader's page: paths anyone may fetch (its sign-in), and the page a browser gets when refused. */
  page?: { isPublic(method: string, path: string): boolean; refusal(reason: string, host: string | undefined): Promise<string> };
  /** Whether a request's Host is one this service answers to; every host when absent. */
  host?: (host: string | undefined) => boolean | Promise<boolean>;
  log: (severity: "WARNING" | "ERROR", message: string, extra?: object) => void;
}

/** This machine's own names, with or without a port: always answered. */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/**
 * The Host check for a service that answers to `allowed` (names without port) and to this
 * machine; with no names given, locally only this machine, in the cloud any host (Google's
 * front end routes by Host, so what reaches the function was addressed to it).
 */
export function hostCheck(allowed: readonly string[], inCloud: boolean): (host: string | undefined) => boolean {
  return (host) => {
    if (!host) return false;
    if (LOCAL_HOST.test(host)) return true;
    const name = host.replace(/:\d{1,5}$/, "").toLowerCase();
    return allowed.length > 0 ? allowed.includes(name) : inCloud;
  };
}

type Handle = (this: unknown, req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const INSTALLED = Symbol.for("hp.httpGuard");

/** The HTTP status of each error code: the one place where codes become statuses. */
const HTTP_STATUS: Record<ErrorCode, number> = { usage: 400, busy: 409, catalogue: 500, history: 500, io: 500, google: 502 };

/** The status an error is answered with; 500 for one that is not ours. */
export const httpStatusOf = (error: unknown): number => (isHpError(error) ? HTTP_STATUS[error.code] : 500);

/** The callers the guard verified, by request: the function need not verify them again. */
const verified = new WeakMap<IncomingMessage, { email: string; session: string | undefined }>();

/** The email the guard verified for this request; undefined when it did not (an event, or sign-in off). */
export const verifiedCaller = (req: IncomingMessage): string | undefined => verified.get(req)?.email;

/** The page's session (the ID token in its cookie) the caller was verified by; undefined for a bearer token. */
export const verifiedSession = (req: IncomingMessage): string | undefined => verified.get(req)?.session;

/** The page's forms: fields, and fields with a file. */
export const FORM = "application/x-www-form-urlencoded";
export const MULTIPART = "multipart/form-data";

/** Puts the guard in front of every request the Functions Framework serves in this process. */
export function installHttpGuard(options: GuardOptions): void {
  const fromFramework = createRequire(createRequire(import.meta.url).resolve("@google-cloud/functions-framework"));
  const application = (fromFramework("express") as { application: Record<PropertyKey, unknown> }).application;
  if (application[INSTALLED]) return;
  application[INSTALLED] = true;
  const handle = application.handle as Handle;
  application.handle = function guarded(this: unknown, req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) {
    if (next) return handle.call(this, req, res, next); // a mounted sub-application: the outer one is guarded
    guard(req, res, options).then(
      (proceed) => {
        if (proceed) handle.call(this, req, res, finalHandler(res, options));
      },
      (error: unknown) => {
        options.log("ERROR", "Fel i anropskontrollen", { detail: (error as Error).message });
        refuse(res, 500, "Ett oväntat fel inträffade; se loggen.");
      },
    );
  } satisfies Handle;
}

/** True when the request may go on to the framework; otherwise it has been answered. */
export async function guard(req: IncomingMessage, res: ServerResponse, options: GuardOptions): Promise<boolean> {
  if (options.host && !(await options.host(req.headers.host))) {
    options.log("WARNING", "Nekat anrop till okänd värd", { host: String(req.headers.host ?? "").slice(0, 100) });
    return refuse(res, 421, "Okänd värd: funktionen svarar bara på sina egna adresser (HP_HOSTS).");
  }
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const event = req.headers["ce-specversion"] !== undefined || type === "application/cloudevents+json";
  const declared = req.headers["content-length"];
  const length = declared === undefined ? undefined : Number(declared);
  const hasBody = length === undefined ? req.headers["transfer-encoding"] !== undefined : length > 0;
  if (hasBody && length === undefined) return refuse(res, 411, "Anropet måste ange Content-Length.");
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) return refuse(res, 400, "Ogiltig Content-Length.");
  const upload = options.upload !== undefined && (type === options.upload.type || (options.page !== undefined && type === MULTIPART));
  const form = options.page !== undefined && type === FORM;
  // A multipart form carries the file and a little more: its boundaries and fields.
  const limit = event ? options.maxEventBytes : upload ? options.upload!.maxBytes + (type === MULTIPART ? 64 * 1024 : 0) : options.maxBodyBytes;
  if ((length ?? 0) > limit) return refuse(res, 413, `Anropet är för stort: högst ${Math.floor(limit / 1024)} kB.`);
  if (event) return true;
  const path = new URL(req.url ?? "/", "http://x").pathname;
  if (options.verify && !options.page?.isPublic(req.method ?? "GET", path)) {
    // undefined: no sign-in configured (local development), so nothing to verify.
    const check = await options.verify(req);
    if (check && !check.ok) {
      options.log("WARNING", "Nekat anrop", { status: check.status, reason: check.reason });
      // A browser asking for a page gets the sign-in page, with the same status.
      if (options.page && req.method === "GET" && (req.headers.accept ?? "").includes("text/html")) {
        return refusePage(res, check.status, await options.page.refusal(check.reason, req.headers.host));
      }
      return refuse(res, check.status, check.reason);
    }
    if (check) verified.set(req, { email: check.email, session: check.session });
  }
  if (hasBody && type !== "application/json" && !upload && !form) {
    return refuse(res, 415, 'Skicka JSON (Content-Type: application/json), till exempel {"year": 2025}, eller en arbetsbok (.xlsx) till checkFile.');
  }
  return true;
}

/** Answers what the framework's parsers and router end with: as JSON, never a page or a stack. */
function finalHandler(res: ServerResponse, options: GuardOptions) {
  return (error?: unknown) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error === undefined) {
      refuse(res, 404, "Det finns inget här.");
      return;
    }
    const e = error as { status?: unknown; type?: unknown; message?: unknown };
    const status = typeof e.status === "number" && e.status >= 400 && e.status < 600 ? e.status : 500;
    const message =
      e.type === "entity.parse.failed"
        ? 'Anropets innehåll är inte giltig JSON; skicka ett objekt, till exempel {"year": 2025}.'
        : status === 413
          ? "Anropet är för stort."
          : status < 500
            ? "Anropet kunde inte läsas."
            : "Ett oväntat fel inträffade; se loggen.";
    options.log(status >= 500 ? "ERROR" : "WARNING", message, { status, detail: String(e.message ?? "") });
    refuse(res, status, message);
  };
}

function refusePage(res: ServerResponse, status: number, html: string): false {
  res.statusCode = status;
  for (const [name, value] of Object.entries(pageHeaders(true))) res.setHeader(name, value);
  res.end(html);
  return false;
}

function refuse(res: ServerResponse, status: number, message: string): false {
  if (!res.headersSent) {
    res.statusCode = status;
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.setHeader("cache-control", "no-store");
    res.setHeader("connection", "close");
  }
  res.end(JSON.stringify({ error: message }));
  return false;
}
