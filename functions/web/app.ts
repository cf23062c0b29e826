/**
 * The project leader's page, served by runOnDemand (and by `npm start` at localhost:8080): the
 * routes, the sign-in with Google Identity Services, and the checks every form passes – sent by
 * this page (Origin, Sec-Fetch-Site) with this session's form token. Who the caller is was
 * verified before the body was read (cloud/http-guard); here it is only used.
 */
import { OUTPUT_TYPES } from "../output/report-sink.js";
import { readFile, realpath } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import type { Request, Response } from "@google-cloud/functions-framework";
import { httpStatusOf } from "../cloud/http-guard.js";
import type { CallerVerifier } from "../cloud/verify-caller.js";
import { isHpError } from "../shared/errors.js";
import type { Config } from "../wiring/config.js";
import { approval, checkUpload, importUpload, overview, type PageContext, remind, run, sendPage } from "./actions.js";
import { parseForm } from "./form.js";
import { clearSession, cookies, sameSite, sessionCookie, validFormToken } from "./session.js";
import { webTemplates } from "./web-templates.js";

export interface WebOptions {
  config: Config;
  /** Verifies a signed-in person's ID token; undefined when sign-in is off (local). */
  verifier: CallerVerifier | undefined;
  /** The OAuth client the page signs in with (Google Identity Services). */
  oauthClientId: string | undefined;
  maxUploadBytes: number;
  log: (severity: "INFO" | "WARNING" | "ERROR", message: string, extra?: object) => void;
}

/** Paths anyone may fetch: the sign-in and what it needs. Everything else needs a signed-in caller. */

/**
 * The sign-in page, also the answer to a browser that is not signed in. Google posts the token
 * to an absolute address: this host's /logga-in (the function's Cloud Run address, over https).
 */
export async function signInPage(options: Pick<WebOptions, "oauthClientId">, host: string | undefined, reason?: string): Promise<string> {
  const templates = await webTemplates();
  const loginUri = host && /^[A-Za-z0-9.-]+(:\d+)?$/.test(host) ? `https://${host}/logga-in` : "/logga-in";
  return templates.page("sign-in", { clientId: options.oauthClientId, loginUri, reason }, { title: "Logga in", signIn: options.oauthClientId !== undefined });
}


export async function servePage(req: Request, res: Response, options: WebOptions, caller: { email: string; session: string | undefined }): Promise<void> {
  const templates = await webTemplates();
  const path = req.path;
  if (req.method === "GET" && path === "/stil.css") return void res.status(200).set({ "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }).send(templates.css);
  if (req.method === "GET" && path === "/sida.js") return void res.status(200).set({ "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }).send(templates.js);
  if (path === "/logga-in") return signIn(req, res, options);
  /** A page that only says something: a refusal, a page that does not exist, an error. */
  const message = (title: string, text: string) => templates.page("message", { title, text }, { title });
  const ctx: PageContext = { config: options.config, templates, user: caller.email, session: caller.session, maxUploadBytes: options.maxUploadBytes };
  try {
    if (req.method === "GET") {
      if (path === "/") return await overview(req, res, ctx);
      if (path.startsWith("/rapporter/") || path.startsWith("/inlamning/")) return await download(path, res, options.config);
      return sendPage(res, 404, message("Finns inte", "Sidan finns inte."));
    }
    if (req.method !== "POST") return void res.status(405).set("Allow", "GET, POST").send("");
    const form = await parseForm(req, options.maxUploadBytes);
    // Every form, log-out too, must come from this page: the browser says where it was sent
    // from, and the token proves it.
    if (!sameSite(req) || !validFormToken(caller.session, form.fields._csrf)) {
      options.log("WARNING", "Nekat formulär från en annan webbplats", { path, caller: caller.email });
      return sendPage(res, 403, message("Nekat", "Formuläret kom inte från den här sidan. Ladda om sidan och försök igen."));
    }
    if (path === "/logga-ut") {
      res.set("set-cookie", clearSession());
      return void res.redirect(303, "/logga-in");
    }
    if (path === "/kor") return await run(form.fields, res, ctx);
    if (path === "/paminn") return await remind(form.fields, res, ctx);
    if (path === "/godkann" || path === "/oppna") return await approval(path === "/godkann" ? "godkann" : "oppna", form.fields, res, ctx);
    if (path === "/kontrollera") {
      if (!form.file) return sendPage(res, 400, message("Ingen fil", "Välj en ifylld mall (.xlsx) att kontrollera."));
      return await checkUpload(form.fields, form.file, res, ctx);
    }
    if (path === "/importera") {
      if (!form.file) return sendPage(res, 400, message("Ingen fil", "Välj exporten (.xlsx eller .csv) att importera."));
      return await importUpload(form.fields, form.file, res, ctx);
    }
    return sendPage(res, 404, message("Finns inte", "Sidan finns inte."));
  } catch (error) {
    const status = httpStatusOf(error);
    const text = isHpError(error) ? error.message : "Ett oväntat fel inträffade; se loggen.";
    options.log(status >= 500 ? "ERROR" : "WARNING", text, { path, caller: caller.email, ...(isHpError(error) ? {} : { detail: (error as Error).message }) });
    if (res.headersSent) return void res.end();
    sendPage(res, status, message("Det gick inte", text));
  }
}

/**
 * Google Identity Services posts the ID token here, with a double-submit cookie (g_csrf_token)
 * that must equal the posted one. The token is verified as every caller's is, for the page's
 * OAuth client, and kept in the session cookie until it expires.
 */
async function signIn(req: Request, res: Response, options: WebOptions): Promise<void> {
  if (req.method === "GET") return sendPage(res, 200, await signInPage(options, req.headers.host), true);
  if (!options.verifier) return void res.redirect(303, "/");
  const form = await parseForm(req, 16 * 1024);
  const posted = form.fields.g_csrf_token;
  const cookie = cookies(req).get("g_csrf_token");
  if (!posted || posted !== cookie) return sendPage(res, 403, await signInPage(options, req.headers.host, "Inloggningen kunde inte bekräftas. Försök igen."), true);
  const token = form.fields.credential ?? "";
  const check = await options.verifier.verify(`Bearer ${token}`);
  if (!check.ok) {
    options.log("WARNING", "Nekad inloggning på sidan", { status: check.status, reason: check.reason });
    return sendPage(res, check.status, await signInPage(options, req.headers.host, check.reason), true);
  }
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: number };
  res.set("set-cookie", sessionCookie(token, new Date((payload.exp ?? 0) * 1000), new Date()));
  options.log("INFO", "Inloggad på sidan", { caller: check.email });
  res.redirect(303, "/");
}

/** A report or a submitted workbook, locally: only files inside the output or input folder. */
async function download(path: string, res: Response, config: Config): Promise<void> {
  const [root, rest] = path.startsWith("/rapporter/") ? [config.outDir, path.slice("/rapporter/".length)] : [config.inputDir, path.slice("/inlamning/".length)];
  const type = OUTPUT_TYPES[extname(rest).toLowerCase()];
  const parts = rest.split("/").map((p) => decodeURIComponent(p));
  const missing = () => void res.status(404).set("content-type", "text/plain; charset=utf-8").send("Filen finns inte.");
  if (config.backend !== "local" || !type || parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\\") || p.includes("\0"))) return missing();
  const base = await realpath(resolve(root)).catch(() => undefined);
  if (base === undefined) return missing();
  const file = await realpath(resolve(base, ...parts)).catch(() => undefined);
  if (!file?.startsWith(base + sep)) return missing();
  const name = parts.at(-1)!;
  res
    .status(200)
    .set({
      "content-type": type,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    })
    .send(await readFile(file));
}
