/**
 * Where every unit stands, for `hp status` (and the project leader's page): state, ready mark,
 * approval, errors, warnings, unconfirmed values, on time and last change. Read-only: the
 * submissions are validated and the history read, nothing is written.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { ApprovalEvent } from "../history/store.js";
import type { ApprovedChange, MissingReason, ReportingRate, ReportingUnit, UnitState } from "../model/records.js";
import { notAdmittedText } from "../report/legend.js";
import { formatStockholmDay, formatStockholmTime } from "../shared/format-sv.js";
import type { TemplateDefinition } from "../template/definition.js";
import { reporterName } from "../template/layout.js";
import { type AggregateYearInput, aggregateYear } from "./aggregate-year.js";
import type { UnitDigest } from "../history/run-log.js";
import { unitDigests } from "./unit-digest.js";

export interface UnitStatusRow {
  reporter: string;
  name: string;
  state: UnitState;
  /** Marked ready: by whom, from when it counts, and the day typed when that is another. */
  ready: { by: string | null; at: string | null; typed?: string } | null;
  approved: { by: string; at: string } | null;
  errors: number;
  warnings: number;
  unconfirmed: number;
  onTime: boolean | null;
  /** Its values are the year's figures. */
  admitted: boolean;
  /** Approved, and the file changed since: the values that differ. */
  changes: ApprovedChange[];
  lastChange: string | null;
  /** The workbooks the unit's tabs were read from. */
  files: string[];
  /** Not counted: why (as every table says it). */
  reason?: MissingReason | undefined;
  /** The unit's own tab, where the source has an address for it (Google Sheets). */
  link?: string | undefined;
  /** What this look saw of it, to compare with the last run's. */
  digest?: UnitDigest | undefined;
}

export interface YearStatus {
  year: number;
  deadline: string;
  summary: { expected: number; started: number; received: number; onTime: number; approved: number; admitted: number; rule: ReportingRate["rule"] };
  rule: "submitted" | "approved";
  units: UnitStatusRow[];
  /** Approvals and reopenings, oldest first. */
  events: ApprovalEvent[];
}

export async function yearStatus(input: AggregateYearInput): Promise<YearStatus> {
  const { yc, definition } = input;
  const result = await aggregateYear(input);
  const events = result.snapshot.approvals ?? [];
  const digests = unitDigests(result.validation);
  const units = result.reporting.units.map((u): UnitStatusRow => {
    const own = result.validation.submissions.filter((s) => s.reporter === u.reporter);
    const sheets = new Set(own.map((s) => `${s.file}|${s.sheet}`));
    const lastApproval = events.filter((e) => e.unit === u.reporter && e.action === "godkänd").at(-1);
    const changes = own.map((s) => s.changedAt).filter((t): t is string => !!t).sort();
    const ready = own.find((s) => s.ready);
    return {
      reporter: u.reporter,
      name: reporterName(yc, definition, u.reporter),
      state: u.state,
      ready: ready ? { by: ready.readyBy, at: ready.submittedAt, ...(ready.readyTyped ? { typed: ready.readyTyped } : {}) } : null,
      approved: u.approved ? { by: lastApproval?.by ?? "projektledaren", at: lastApproval?.at ?? "" } : null,
      errors: u.errors,
      warnings: own.reduce((n, s) => n + s.warnings, 0),
      unconfirmed: result.validation.observations.filter((o) => o.unconfirmed && sheets.has(`${o.source.file}|${o.source.sheet}`)).length,
      onTime: u.received ? u.onTime : null,
      admitted: u.admitted,
      changes: u.changes ?? [],
      lastChange: changes.at(-1) ?? null,
      files: [...new Set(own.map((s) => s.file))],
      reason: u.reason,
      link: own.find((s) => s.link)?.link,
      digest: digests[u.reporter],
    };
  });
  const r = result.reporting;
  return {
    year: yc.year,
    deadline: yc.deadline,
    summary: { expected: r.expected, started: r.started, received: r.received, onTime: r.onTime, approved: r.approved, admitted: r.admitted, rule: r.rule },
    rule: r.rule,
    units,
    events,
  };
}

/** The status as a plain-text table, with Swedish times. */
export function statusTable(status: YearStatus): string {
  const head = ["Enhet", "Läge", "Räknas", "Klar", "Godkänd", "Fel", "Varningar", "Obekräftade", "I tid", "Senast ändrad"];
  const time = (iso: string | null | undefined) => (iso ? formatStockholmTime(new Date(iso)) : "");
  const rows = status.units.map((u) => [
    u.name,
    u.state,
    u.admitted ? "Ja" : "Nej",
    readyText(u.ready),
    u.approved ? `Ja ${time(u.approved.at)} (${u.approved.by})` : "Nej",
    String(u.errors),
    String(u.warnings),
    String(u.unconfirmed),
    u.onTime === null ? "–" : u.onTime ? "Ja" : "Nej",
    time(u.lastChange),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const numeric = new Set([5, 6, 7]);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const changed = status.units.filter((u) => u.changes.length > 0).map((u) => changedSinceApproval(u.name, u.changes));
  return [line(head), line(widths.map((w) => "─".repeat(w))), ...rows.map(line), ...(changed.length > 0 ? ["", ...changed] : [])].join("\n");
}

/** "Ja 2026-12-03 (Karin Berg), skrev 2026-02-10", or "Nej": the Klar column of hp status and the page. */
export function readyText(ready: UnitStatusRow["ready"]): string {
  if (!ready) return "Nej";
  const day = (iso: string) => formatStockholmDay(new Date(iso));
  return `Ja${ready.at ? ` ${day(ready.at)}` : ""}${ready.by ? ` (${ready.by})` : ""}${ready.typed ? `, skrev ${day(ready.typed)}` : ""}`;
}

/**
 * A line for each reporter that does not count ("Skarpnäck lämnade in med 7 fel" and
 * `notCounted` after it) or whose file changed since its approval, as a run and hp aggregate
 * tell it.
 */
export function standingLines(yc: YearCatalogue, definition: TemplateDefinition, units: readonly ReportingUnit[], notCounted = ""): string[] {
  return units.flatMap((u) => {
    const name = reporterName(yc, definition, u.reporter);
    return [...(u.admitted ? [] : [`${name} ${notAdmittedText(u)}${notCounted}`]), ...(u.changes ? [changedSinceApproval(name, u.changes)] : [])];
  });
}

/**
 * "Bromma är godkänd men filen har ändrats: Antal …, Kvinnor: godkänt 12, i filen 14. Rapporterna visar
 * de godkända värdena." As hp status, hp validate, a run and the page tell it.
 */
export function changedSinceApproval(name: string, changes: readonly ApprovedChange[]): string {
  const listed = changes
    .slice(0, 8)
    .map((c) => `${c.label}: godkänt ${c.approved}, i filen ${c.inFile}`)
    .join("; ");
  const more = changes.length > 8 ? ` och ${changes.length - 8} till` : "";
  return `${name} är godkänd men filen har ändrats sedan dess: ${listed}${more}. Rapporterna visar de godkända värdena; öppna enheten igen om ändringarna ska gälla.`;
}
