/**
 * When a reminder is due, by the rules in years.yaml: so many days before the deadline, on the
 * day, and every so many days after it. Days are Stockholm days, counted as the status counts
 * them (daysLeft: 0 on the deadline day, negative after).
 */
import { daysLeft } from "../aggregate/admission.js";
import type { ReminderRules } from "../catalogue/schema.js";
import { joinSv } from "../shared/format-sv.js";

export const OCCASIONS = ["före", "sista dagen", "sen", "på begäran"] as const;
export type Occasion = (typeof OCCASIONS)[number];

/** Why today is a reminder day, with the days left (negative: late); undefined on other days. */
export function occasionToday(rules: ReminderRules, deadline: string, now: Date): { occasion: Occasion; days: number } | undefined {
  const days = daysLeft(deadline, now);
  if (days > 0) return rules.daysBefore.includes(days) ? { occasion: "före", days } : undefined;
  if (days === 0) return rules.onDeadline ? { occasion: "sista dagen", days } : undefined;
  return rules.everyDaysAfter > 0 && -days % rules.everyDaysAfter === 0 ? { occasion: "sen", days } : undefined;
}

/** The rules as one sentence, for the page and --dry-run. */
export function rulesSentence(rules: ReminderRules): string {
  const parts = [
    ...(rules.daysBefore.length > 0 ? [`${joinSv([...new Set(rules.daysBefore)].sort((a, b) => b - a).map(String))} ${rules.daysBefore.length === 1 && rules.daysBefore[0] === 1 ? "dag" : "dagar"} före sista dag`] : []),
    ...(rules.onDeadline ? ["på sista dagen"] : []),
    ...(rules.everyDaysAfter > 0 ? [rules.everyDaysAfter === 7 ? "varje vecka efter" : `var ${rules.everyDaysAfter}:e dag efter`] : []),
  ];
  return parts.length === 0 ? "Inga påminnelser skickas på schemat (reminders i years.yaml)." : `Påminnelser skickas ${joinSv(parts)}.`;
}
