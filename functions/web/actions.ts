/**
 * What the project leader's page does: the overview, a run streamed as it goes, approving and
 * reopening a unit, and checking an uploaded workbook. Each works with plain forms; nothing a
 * person typed is put into the page but through the templates, which escape it.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Request, Response } from "@google-cloud/functions-framework";
import { checkFile } from "../cloud/check-file.js";
import { httpStatusOf } from "../cloud/http-guard.js";
import { pageHeaders } from "../cloud/page-headers.js";
import { runSteps, type Step, summarySentence } from "../cloud/run-steps.js";
import { runOwner } from "../lock/year-lock.js";
import { approveUnit, reopenUnit, unitOf } from "../pipeline/approve-unit.js";
import { remindYear } from "../pipeline/remind-year.js";
import { importText } from "../pipeline/import-text.js";
import { importYear, typedValues } from "../pipeline/import-year.js";
import { IMPORT_SOURCES } from "../catalogue/schema.js";
import { yearStatus } from "../pipeline/year-status.js";
import { rulesSentence } from "../reminders/rules.js";
import { outcomeCounts, planLine } from "../reminders/send-reminders.js";
import { HpError, isHpError } from "../shared/errors.js";
import { writeFileAtomic } from "../shared/write-file-atomic.js";
import { CENTRAL, reporterName } from "../template/layout.js";
import type { Config } from "../wiring/config.js";
import { currentYear } from "../wiring/deployment.js";
import { type OpenedYear, openYear, withOpenYear, yearLockFor } from "../wiring/open-year.js";
import { overviewView, sortOf } from "./overview-view.js";
import { formToken } from "./session.js";
import type { Frame, WebTemplates } from "./web-templates.js";

export interface PageContext {
  config: Config;
  templates: WebTemplates;
  /** Who is signed in (or "lokal användare" when sign-in is off). */
  user: string;
  /** The session's ID token, from which form tokens are made; undefined locally. */
  session: string | undefined;
  maxUploadBytes: number;
}

/** Writes a whole HTML page with the page's headers. */
export function sendPage(res: Response, status: number, html: string, signIn = false): void {
  res.status(status);
  for (const [name, value] of Object.entries(pageHeaders(signIn))) res.set(name, value);
  res.send(html);
}

/** The page's frame: its title, and who is signed in with a log-out form carrying the session's token. */
const frame = (ctx: PageContext, title: string): Frame => ({ title, user: ctx.session ? ctx.user : undefined, ...(ctx.session ? { csrf: formToken(ctx.session) } : {}) });

/** The year a request is about: ?ar= or the form's ar, else the year the scheduled runs work on, else the latest. */
export async function yearOf(config: Config, given: unknown): Promise<number> {
  return typeof given === "string" && /^\d{4}$/.test(given) ? Number(given) : currentYear(config);
}

const MESSAGES: Record<string, (name: string) => { kind: "ok" | "fel"; text: string }> = {
  godkand: (name) => ({ kind: "ok", text: `${name} är godkänd.` }),
  oppnad: (name) => ({ kind: "ok", text: `${name} är öppnad igen. Ändringar i enhetens flik används från nästa körning.` }),
};

export async function overview(req: Request, res: Response, ctx: PageContext): Promise<void> {
  const year = await yearOf(ctx.config, req.query.ar);
  const y = await openYear(ctx.config, year);
  const status = await yearStatus({ yc: y.yc, definition: y.definition, history: y.history, maxChange: y.maxChange, now: y.now, source: await y.source(), store: y.store, imports: y.imports });
  const spreadsheet = (await y.register.get(year))?.spreadsheetUrl;
  const units = new Map(status.units.map((u) => [u.reporter, u]));
  // Only a message we know, about a unit we know: never text from the address.
  const done = typeof req.query.klart === "string" ? MESSAGES[req.query.klart] : undefined;
  const unit = typeof req.query.enhet === "string" ? units.get(req.query.enhet) : undefined;
  const view = overviewView({
    status,
    runs: await y.runLog.latest(20),
    reminders: (await y.reminderLog.ofYear(year)).slice(0, 20),
    sort: sortOf(req.query),
    now: y.now,
    csrf: formToken(ctx.session),
    otherYears: y.catalogue.reportingYears.map((r) => r.year),
    linkOf: (reporter) => {
      if (ctx.config.backend === "google") return units.get(reporter)?.link ?? spreadsheet;
      const file = units.get(reporter)?.files[0];
      return file ? `/inlamning/${encodeURIComponent(basename(file))}` : undefined;
    },
    canSubmit: ctx.config.backend === "local",
    reportHref: (link) => reportHref(ctx.config, link),
    maxUploadMb: Math.floor(ctx.maxUploadBytes / 1_000_000),
    message: done && unit ? done(unit.name) : undefined,
    imports: (await y.imports.ofYear(year)).map((s) => ({ source: y.yc.catalogue.imports[s.source].name, file: s.file.name, at: s.importedAt, by: s.by, rowsUsed: s.rowsUsed })),
  });
  const importSources = IMPORT_SOURCES.map((id) => ({ id, name: y.yc.catalogue.imports[id].name, system: y.yc.catalogue.imports[id].system }));
  sendPage(res, 200, ctx.templates.page("overview", { ...view, importSources }, frame(ctx, `Uppföljning ${year}`)));
}

/** A run, streamed: each step as a line as it happens, then the result and the reports. */
export async function run(form: Record<string, string>, res: Response, ctx: PageContext): Promise<void> {
  const year = await yearOf(ctx.config, form.ar);
  const steps: Step[] = form.steg === "rapport" ? ["validate", "report"] : form.steg === "forhandsvisning" ? ["preview"] : ["validate"];
  const what = steps.includes("preview") ? "Förhandsvisningen" : steps.includes("report") ? "Rapporterna" : "Kontrollen";
  const { head, tail } = ctx.templates.frame(frame(ctx, `${what} ${year}`));
  let started = false;
  const start = (status = 200) => {
    if (started) return;
    started = true;
    res.status(status);
    for (const [name, value] of Object.entries(pageHeaders(false))) res.set(name, value);
    // No proxy may hold the lines back: the person watches them arrive.
    res.set("x-accel-buffering", "no");
    res.write(head + ctx.templates.part("run-start", { what, year }));
  };
  const line = (text: string) => {
    start();
    res.write(ctx.templates.part("run-line", { text: text.trim() }));
  };
  try {
    const summary = await runSteps(ctx.config, year, steps, `${ctx.user} (sidan)`, line);
    start();
    const links = summary.links.flatMap((l) => {
      const href = reportHref(ctx.config, l.link);
      return href ? [{ name: l.name, href }] : [];
    });
    res.end(ctx.templates.part("run-end", { ok: true, year, result: summarySentence(summary), links }) + tail);
  } catch (error) {
    const message = isHpError(error) ? error.message : `Ett oväntat fel inträffade: ${(error as Error).message}`;
    if (!started) {
      // Refused before it began (another run holds the year): said as a page of its own.
      start(httpStatusOf(error));
    }
    res.end(ctx.templates.part("run-end", { ok: false, year, result: message, links: [] }) + tail);
  }
}

/**
 * A report's address: Drive's link in the cloud, a download from this page locally; undefined
 * for a file outside the output folder (a terminal run with its own --out), which the page
 * does not serve.
 */
function reportHref(config: Config, link: string): string | undefined {
  if (!link.startsWith("file:")) return link;
  const path = relative(resolve(config.outDir), fileURLToPath(link));
  if (path.startsWith("..") || isAbsolute(path)) return undefined;
  return `/rapporter/${path.split(sep).map(encodeURIComponent).join("/")}`;
}

/** Approve or reopen: a confirmation first, then the change under the year's lock. */
export async function approval(kind: "godkann" | "oppna", form: Record<string, string>, res: Response, ctx: PageContext): Promise<void> {
  const year = await yearOf(ctx.config, form.ar);
  if (form.bekrafta !== "ja") {
    const y = await openYear(ctx.config, year);
    const unit = unitOf(y.yc, y.definition, form.enhet ?? "");
    const name = reporterName(y.yc, y.definition, unit);
    const view =
      kind === "godkann"
        ? { title: `Godkänn ${name}`, question: `Godkänn ${name} för ${year}? Enhetens värden sparas som de är nu, och används i varje körning även om fliken ändras.`, confirmLabel: "Godkänn", action: "/godkann" }
        : { title: `Öppna ${name} igen`, question: `Öppna ${name} igen för ${year}? Ändringar i enhetens flik används då från nästa körning.`, confirmLabel: "Öppna igen", action: "/oppna", askReason: true };
    sendPage(res, 200, ctx.templates.page("confirm", { ...view, csrf: formToken(ctx.session), year, reporter: unit }, frame(ctx, view.title)));
    return;
  }
  const reason = (form.orsak ?? "").trim().slice(0, 500);
  if (kind === "oppna" && !reason) throw new HpError("usage", "Skriv varför enheten öppnas igen.");
  // The year is opened once, under its lock: what is approved is what the lock holder read.
  const unit = await withOpenYear(ctx.config, year, runOwner(`${ctx.user} (sidan)`, randomUUID()), async (held) => {
    const unit = unitOf(held.yc, held.definition, form.enhet ?? "");
    if (kind === "godkann") {
      const input = { yc: held.yc, definition: held.definition, history: held.history, maxChange: held.maxChange, now: held.now, source: await held.source(), store: held.store };
      await approveUnit(input, unit, ctx.user);
    } else {
      await reopenUnit(held.store, held.yc, held.definition, { unit, by: ctx.user, reason, now: held.now });
    }
    return unit;
  });
  res.redirect(303, `/?ar=${year}&klart=${kind === "godkann" ? "godkand" : "oppnad"}&enhet=${encodeURIComponent(unit)}`);
}

/**
 * Reminders from the page: one unit's (enhet) or every unit that does not count yet (alla=ja),
 * now, whatever the day. First a confirmation with who would get what (a dry run), then the
 * mails under the year's lock; the result is shown unit by unit. Asking again the same day
 * sends nothing twice: the log says who was reminded today.
 */
export async function remind(form: Record<string, string>, res: Response, ctx: PageContext): Promise<void> {
  const year = await yearOf(ctx.config, form.ar);
  const all = form.alla === "ja";
  const pick = (y: OpenedYear) => (all ? y.yc.units.map((u) => u.id).concat(CENTRAL) : [unitOf(y.yc, y.definition, form.enhet ?? "")]);
  const by = `${ctx.user} (sidan)`;
  if (form.bekrafta !== "ja") {
    const y = await openYear(ctx.config, year);
    const units = pick(y);
    const result = await remindYear(y, { dryRun: true, units, by });
    const title = all ? "Påminn alla som inte räknas" : `Påminn ${reporterName(y.yc, y.definition, units[0]!)}`;
    const view = {
      title,
      year,
      csrf: formToken(ctx.session),
      all,
      unit: units[0],
      question: `Skicka en påminnelse per e-post nu till ${result.plan.reminders.length === 1 ? "den här enheten" : `de här ${result.plan.reminders.length} enheterna`}?`,
      nothing: result.plan.nothingDue,
      reminders: result.plan.reminders.map((r) => ({ name: r.unit.name, state: r.unit.state, to: r.to.join(", "), refused: r.refused.map((x) => x.email).join(", "), skip: r.skip, left: r.left })),
      rules: rulesSentence(y.catalogue.reminders),
      contactsWhere: result.contactsWhere,
    };
    sendPage(res, 200, ctx.templates.page("remind-confirm", view, frame(ctx, title)));
    return;
  }
  const result = await withOpenYear(ctx.config, year, runOwner(by, randomUUID()), async (held) => remindYear(held, { dryRun: false, units: pick(held), by }));
  const outcomes = result.outcomes ?? [];
  const { sent, problems } = outcomeCounts(outcomes);
  const view = {
    title: "Påminnelser",
    year,
    kind: problems > 0 ? "fel" : "ok",
    summary: result.plan.nothingDue ?? `${sent} ${sent === 1 ? "påminnelse skickad" : "påminnelser skickade"}${problems > 0 ? `, ${problems} med problem` : ""}.`,
    lines: outcomes.map((o) => planLine(o.planned, o.record)),
  };
  sendPage(res, 200, ctx.templates.page("remind-result", view, frame(ctx, "Påminnelser")));
}

/** An uploaded workbook checked in memory: findings by tab in reading order, the annotated copy to download. */
export async function checkUpload(form: Record<string, string>, file: { name: string; bytes: Buffer }, res: Response, ctx: PageContext): Promise<void> {
  const year = await yearOf(ctx.config, form.ar);
  const name = basename(file.name).replace(/[^\p{L}\p{N} ._-]/gu, "_").slice(0, 120) || "arbetsbok.xlsx";
  const checked = await checkFile(ctx.config, { year, name, bytes: file.bytes });
  const tabs = new Map<string, typeof checked.findings>();
  for (const f of checked.findings) {
    const tab = f.sheet ?? "Hela arbetsboken";
    tabs.set(tab, [...(tabs.get(tab) ?? []), f]);
  }
  // Handing in changes what a run reads: under the year's lock, like every write.
  const submitted =
    form.lamnaIn === "ja" && ctx.config.backend === "local"
      ? await (await yearLockFor(ctx.config)).withLock(year, runOwner(`${ctx.user} (sidan)`, randomUUID()), () => submit(ctx.config, year, checked, file.bytes))
      : undefined;
  const view = {
    file: name,
    year,
    summary: checked.errors === 0 && checked.warnings === 0 ? "Inga fel och inga varningar." : `${checked.errors} fel och ${checked.warnings} ${checked.warnings === 1 ? "varning" : "varningar"}.`,
    submitted,
    download: checked.annotated ? { name: checked.annotated.name, href: `data:${checked.annotated.contentType};base64,${checked.annotated.base64}` } : undefined,
    tabs: [...tabs].map(([tab, findings]) => ({
      name: tab,
      findings: findings.map((f) => ({ ...f, severityLabel: f.severity === "error" ? "Fel" : "Varning" })),
    })),
  };
  sendPage(res, 200, ctx.templates.page("check", view, frame(ctx, `Kontroll av ${name}`)));
}

/**
 * Hands a checked file in for its unit, locally: as ÅR-ENHET.xlsx in the input folder. Only a
 * file without errors with one unit's tabs; the file it replaces is kept in the history folder.
 */
async function submit(config: Config, year: number, checked: { errors: number; reporters: string[] }, bytes: Buffer): Promise<string> {
  if (checked.errors > 0) return "Filen lämnades inte in: den har fel som måste rättas först.";
  if (checked.reporters.length !== 1) return "Filen lämnades inte in: den ska ha en enhets flik, inte flera.";
  const target = resolve(config.inputDir, `${year}-${checked.reporters[0]}.xlsx`);
  const previous = await readFile(target).catch(() => undefined);
  if (previous) await writeFileAtomic(resolve(config.historyDir, "ersatta-inlamningar", `${basename(target, ".xlsx")}-${Date.now()}.xlsx`), previous);
  await writeFileAtomic(target, bytes);
  return `Filen är inlämnad som ${basename(target)} och räknas i nästa körning${previous ? "; den förra filen är sparad i historikmappen" : ""}.`;
}

/**
 * An export from one of the systems that hold the figures, uploaded: first what would change
 * (nothing is saved), then, when asked, the import itself under the year's lock, as hp import.
 * The file is read in memory; only its counts, name, size and SHA-256 are kept.
 */
export async function importUpload(form: Record<string, string>, file: { name: string; bytes: Buffer }, res: Response, ctx: PageContext): Promise<void> {
  const year = await yearOf(ctx.config, form.ar);
  const source = IMPORT_SOURCES.find((s) => s === form.kalla);
  if (!source) throw new HpError("usage", `Välj vilken källa filen kommer från: ${IMPORT_SOURCES.join(", ")}.`);
  const name = basename(file.name).replace(/[^\p{L}\p{N} ._-]/gu, "_").slice(0, 120) || "export";
  const dryRun = form.steg !== "importera";
  const by = `${ctx.user} (sidan)`;
  const work = async (y: OpenedYear) => {
    const typed = async () => typedValues({ yc: y.yc, definition: y.definition, history: y.history, maxChange: y.maxChange, source: await y.source() });
    const outcome = await importYear({ yc: y.yc, imports: y.imports, store: y.store, now: y.now, by, typed: dryRun ? typed : undefined }, source, file.bytes, name, { dryRun });
    return { y, outcome };
  };
  const { y, outcome } = dryRun ? await work(await openYear(ctx.config, year)) : await withOpenYear(ctx.config, year, runOwner(by, randomUUID()), work);
  const text = importText(outcome, { source: y.yc.catalogue.imports[source].name, units: y.yc.units, indicators: y.yc.indicators }, { dryRun, dryRunNote: "Inget sparades: det här är vad importen skulle ändra.", where: y.storeLocation });
  const title = `${dryRun ? "Förhandsgranskning av import" : "Import"}: ${y.yc.catalogue.imports[source].name}`;
  // After a good preview: the same file again, to import it (the page keeps no upload between requests).
  const again = dryRun && text.ok ? { csrf: formToken(ctx.session), year, source, maxUploadMb: Math.floor(ctx.maxUploadBytes / 1_000_000) } : undefined;
  sendPage(res, text.ok ? 200 : 422, ctx.templates.page("import", { ...text, year, file: name, again }, frame(ctx, title)));
}
