/**
 * Admission: which reporters' values are the year's figures, decided once per run. Every
 * reporter (unit, and the central reporting) gets one state: nothing typed, in progress (a
 * draft), marked ready with errors, handed in (ready, given once, no errors), approved, or
 * approved and changed since. Under the catalogue's rule (years.yaml, `admission`) handed-in or
 * only approved values are admitted; everything else is ".." with its reason in every output.
 * Also when each was handed in against the deadline (end of the day, Stockholm time).
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { formatLongDate } from "../shared/format-sv.js";
import { CENTRAL, expectedReporters } from "../template/layout.js";
import type { ApprovedChange, MissingReason, ReportingRate, ReportingUnit, Submission, UnitState } from "../model/records.js";

export interface Approvals {
  /** Reporters approved by the project leader. */
  approved?: ReadonlySet<string>;
  /** Approved reporters whose file now differs from what was approved. */
  changes?: ReadonlyMap<string, readonly ApprovedChange[]>;
}

export function admission(yc: YearCatalogue, submissions: readonly Submission[], approvals: Approvals = {}): ReportingRate {
  const deadlineEnd = endOfDayInStockholm(yc.deadline);
  const rule = yc.admission;
  const units = expectedReporters(yc).map((reporter): ReportingUnit => {
    const own = submissions.filter((s) => s.reporter === reporter);
    const once = own.length === 1 ? own[0]! : undefined;
    const errors = own.reduce((n, s) => n + s.errors, 0);
    const ready = once?.ready ?? false;
    const approved = approvals.approved?.has(reporter) ?? false;
    const changes = approved ? (approvals.changes?.get(reporter) ?? []) : [];
    // Given twice is not handed in until one tab is withdrawn; with errors, not until fixed.
    const handedIn = ready && errors === 0;
    const state: UnitState = approved
      ? changes.length > 0
        ? "godkänd men ändrad"
        : "godkänd"
      : own.length === 0
        ? "inte påbörjad"
        : handedIn
          ? "inlämnad"
          : ready
            ? "klar med fel"
            : "pågår";
    const admitted = approved || (rule === "submitted" && handedIn);
    const reason: MissingReason | undefined = admitted
      ? undefined
      : own.length === 0
        ? "not-submitted"
        : own.length > 1
          ? "duplicated"
          : !ready
            ? "not-ready"
            : errors > 0
              ? "submitted-with-errors"
              : "not-approved";
    const submittedAt = once?.submittedAt ?? null;
    const received = approved || handedIn;
    return {
      reporter,
      state,
      started: own.length > 0,
      ready,
      received,
      approved,
      admitted,
      ...(reason ? { reason } : {}),
      errors,
      ...(changes.length > 0 ? { changes: [...changes] } : {}),
      onTime: received && submittedAt !== null && new Date(submittedAt) <= deadlineEnd,
      submittedAt,
    };
  });
  const count = (test: (u: ReportingUnit) => boolean) => units.filter(test).length;
  return {
    year: yc.year,
    deadline: yc.deadline,
    rule,
    expected: units.length,
    started: count((u) => u.started),
    received: count((u) => u.received),
    onTime: count((u) => u.onTime),
    approved: count((u) => u.approved),
    admitted: count((u) => u.admitted),
    units,
  };
}

/** The admission rule as the report states it. */
export function admissionRuleSentence(rule: ReportingRate["rule"]): string {
  return rule === "approved"
    ? "Stadens värden bygger bara på enheter som projektledaren har godkänt."
    : "Stadens värden bygger bara på enheter som har lämnat in (markerat klart, utan fel) eller som projektledaren har godkänt.";
}

/**
 * "12 av 15 förvaltningar har lämnat in (markerat klart, utan fel), 10 senast 13 februari 2026;
 * 8 är godkända av projektledaren. Den centrala rapporteringen är inlämnad." The central
 * reporting is not a förvaltning and is told apart.
 */
export function reportingSentence(r: ReportingRate): string {
  const districts = r.units.filter((u) => u.reporter !== CENTRAL);
  const central = r.units.find((u) => u.reporter === CENTRAL);
  const received = districts.filter((u) => u.received).length;
  const onTime = districts.filter((u) => u.onTime).length;
  const approved = districts.filter((u) => u.approved).length;
  const approvedText = approved > 0 ? `; ${approved} ${approved === 1 ? "är godkänd" : "är godkända"} av projektledaren` : "";
  const centralText = central
    ? ` Den centrala rapporteringen ${central.approved ? "är godkänd" : central.received ? "är inlämnad" : "är inte inlämnad"}.`
    : "";
  return `${received} av ${districts.length} förvaltningar har lämnat in (markerat klart, utan fel), ${onTime} senast ${formatLongDate(r.deadline)}${approvedText}.${centralText}`;
}

/** Whole days from now to the end of the deadline day, in Stockholm: 0 on the day, negative after. */
export function daysLeft(deadline: string, now: Date): number {
  return Math.ceil((endOfDayInStockholm(deadline).getTime() - now.getTime()) / 86_400_000) - 1;
}

/** The last instant of a date in Stockholm, whether it falls in winter or summer time. */
export function endOfDayInStockholm(isoDate: string): Date {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Stockholm", hour: "2-digit", hourCycle: "h23" });
  for (const offset of [1, 2]) {
    const midnight = new Date(Date.UTC(y, m - 1, d + 1) - offset * 3_600_000);
    if (hour.format(midnight) === "00") return new Date(midnight.getTime() - 1);
  }
  return new Date(Date.UTC(y, m - 1, d, 23, 59, 59, 999));
}
