/**
 * The reporting rate of a year: which units were expected, which sent something, which sent
 * something without errors, and which did so by the deadline (end of the day, Stockholm time).
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { expectedReporters } from "../template/layout.js";
import type { ReportingRate, ReportingUnit, Submission } from "../model/records.js";

export function reportingRate(yc: YearCatalogue, submissions: readonly Submission[]): ReportingRate {
  const deadlineEnd = endOfDayInStockholm(yc.deadline);
  const reporters = expectedReporters(yc);
  const units = reporters.map((reporter): ReportingUnit => {
    const own = submissions.filter((s) => s.reporter === reporter);
    const received = own.length > 0;
    // Given twice is not valid until one of them is withdrawn.
    const valid = own.length === 1 && own[0]!.errors === 0;
    const times = own.map((s) => s.submittedAt).filter((t): t is string => t !== null).sort();
    const submittedAt = times.at(-1) ?? null;
    const onTime = received && submittedAt !== null && new Date(submittedAt) <= deadlineEnd;
    return { reporter, received, valid, onTime, submittedAt };
  });
  return {
    year: yc.year,
    deadline: yc.deadline,
    expected: units.length,
    received: units.filter((u) => u.received).length,
    valid: units.filter((u) => u.valid).length,
    onTime: units.filter((u) => u.onTime).length,
    units,
  };
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
