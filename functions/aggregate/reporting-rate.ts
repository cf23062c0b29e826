/**
 * The reporting rate of a year: which units were expected, which sent something, which sent
 * something without errors, and which did so by the deadline (end of the day, Stockholm time).
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { formatLongDate } from "../shared/format-sv.js";
import { expectedReporters } from "../template/layout.js";
import type { ReportingRate, ReportingUnit, Submission } from "../model/records.js";

export function reportingRate(yc: YearCatalogue, submissions: readonly Submission[], approved: ReadonlySet<string> = new Set()): ReportingRate {
  const deadlineEnd = endOfDayInStockholm(yc.deadline);
  const reporters = expectedReporters(yc);
  const units = reporters.map((reporter): ReportingUnit => {
    const own = submissions.filter((s) => s.reporter === reporter);
    const started = own.length > 0;
    // Given twice is not submitted until one of them is withdrawn; with errors, not until fixed.
    const received = own.length === 1 && own[0]!.ready && own[0]!.errors === 0;
    const submittedAt = own.length === 1 ? own[0]!.submittedAt : null;
    const isApproved = approved.has(reporter);
    const onTime = (received || isApproved) && submittedAt !== null && new Date(submittedAt) <= deadlineEnd;
    // Marked ready with errors is still in progress: it does not count until they are fixed.
    const state = isApproved ? "godkänd" : received ? "klar att lämna in" : started ? "pågår" : "inte påbörjad";
    return { reporter, state, started, received: received || isApproved, approved: isApproved, onTime, submittedAt };
  });
  const count = (test: (u: ReportingUnit) => boolean) => units.filter(test).length;
  return {
    year: yc.year,
    deadline: yc.deadline,
    expected: units.length,
    started: count((u) => u.started),
    received: count((u) => u.received),
    onTime: count((u) => u.onTime),
    approved: count((u) => u.approved),
    units,
  };
}

/**
 * "12 av 16 har lämnat in, 10 senast 13 februari 2026; 8 är godkända." Submitted means marked
 * ready without errors.
 */
export function reportingSentence(r: ReportingRate): string {
  const approved = r.approved > 0 ? `; ${r.approved} ${r.approved === 1 ? "är godkänd" : "är godkända"} av projektledaren` : "";
  return `${r.received} av ${r.expected} har lämnat in (markerat klart, utan fel), ${r.onTime} senast ${formatLongDate(r.deadline)}${approved}.`;
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
