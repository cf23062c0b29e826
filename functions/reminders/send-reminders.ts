/**
 * Who is reminded today and of what, and sending it: the units that do not count yet (and have
 * something to do – a unit waiting only for approval is not reminded), on the days the rules
 * say, or on request from the page or the CLI; never a unit already reminded today. Each
 * unit's attempt is logged, sent or refused. The caller holds the year's lock, so two senders
 * never both see a unit as not yet reminded.
 */
import { basename } from "node:path";
import { randomUUID } from "node:crypto";
import type { ReminderRules } from "../catalogue/schema.js";
import type { UnitStatusRow, YearStatus } from "../pipeline/year-status.js";
import { z } from "../shared/zod.js";
import type { Contacts } from "./contacts.js";
import type { Mailer } from "./mailer.js";
import { needsReminder, type ReminderMessage, reminderMessage, whatIsLeft } from "./message.js";
import { type ReminderLog, type ReminderRecord, remindedOn } from "./reminder-log.js";
import { daysLeft } from "../aggregate/admission.js";
import { type Occasion, occasionToday, rulesSentence } from "./rules.js";

export interface PlannedReminder {
  unit: UnitStatusRow;
  occasion: Occasion;
  /** Valid addresses to send to. */
  to: string[];
  /** Addresses that are not addresses, with why. */
  refused: { email: string; reason: string }[];
  /** What the unit has left to do, one sentence each (as in the mail). */
  left: string[];
  message: ReminderMessage;
  /** Reminded already today: not sent, and nothing logged. */
  remindedToday: boolean;
  /** Why it is not sent: reminded already today, or no one to send to. */
  skip?: string;
}

export interface ReminderPlan {
  /** Why nothing is due, when nothing is (not a reminder day, every unit counts). */
  nothingDue?: string;
  reminders: PlannedReminder[];
}

const EMAIL = z.email();
const validEmail = (email: string) => EMAIL.safeParse(email).success;

/**
 * The reminders due now. `units` asks for these units now, whatever day it is (the page's
 * button, hp remind --unit); the rules decide otherwise.
 */
export function planReminders(input: {
  status: YearStatus;
  rules: ReminderRules;
  contacts: Contacts;
  contactsWhere: string;
  log: readonly ReminderRecord[];
  now: Date;
  units?: readonly string[];
  /** The tab findings are listed in (the template's results tab). */
  resultsTab: string;
}): ReminderPlan {
  const { status, now } = input;
  const days = daysLeft(status.deadline, now);
  const scheduled = input.units ? { occasion: "på begäran" as const, days } : occasionToday(input.rules, status.deadline, now);
  if (!scheduled) return { nothingDue: `I dag är ingen påminnelsedag. ${rulesSentence(input.rules)}`, reminders: [] };
  const asked = input.units ? new Set(input.units) : undefined;
  const due = status.units.filter((u) => needsReminder(u) && (!asked || asked.has(u.reporter)));
  if (due.length === 0) return { nothingDue: asked ? "Enheterna behöver ingen påminnelse: de räknas redan, eller väntar bara på godkännande." : "Alla enheter räknas redan, eller väntar bara på godkännande.", reminders: [] };
  const today = remindedOn(input.log, now);
  const reminders = due.map((unit): PlannedReminder => {
    const contacts = input.contacts.get(unit.reporter) ?? [];
    const to = contacts.filter((c) => validEmail(c.email)).map((c) => c.email);
    const refused = contacts.filter((c) => !validEmail(c.email)).map((c) => ({ email: c.email, reason: "inte en e-postadress" }));
    const where = unit.link ? `Enhetens flik: ${unit.link}` : `Enhetens fil: ${unit.files[0] ? basename(unit.files[0]) : `${status.year}-${unit.reporter}.xlsx`}`;
    const remindedToday = today.has(unit.reporter);
    const skip = remindedToday
      ? "påmind redan i dag"
      : to.length === 0
        ? contacts.length === 0
          ? `inga kontakter i ${input.contactsWhere}`
          : `ingen giltig adress i ${input.contactsWhere}`
        : undefined;
    const left = whatIsLeft(unit, input.resultsTab);
    return {
      unit,
      occasion: scheduled.occasion,
      to,
      refused,
      left,
      message: reminderMessage({ year: status.year, deadline: status.deadline, days: scheduled.days, occasion: scheduled.occasion, unit, where, left }),
      remindedToday,
      ...(skip ? { skip } : {}),
    };
  });
  return { reminders };
}

/** What happened to one planned reminder. */
export interface ReminderOutcome {
  planned: PlannedReminder;
  /** Undefined when it was skipped (already reminded today): nothing is logged then. */
  record?: ReminderRecord;
}

/**
 * Sends the plan: each unit once, one mail to all its contacts, and logs what happened. A
 * failure with one unit (the server refuses, the connection drops) is logged and the next
 * unit is tried.
 */
export async function sendReminders(plan: ReminderPlan, mailer: Mailer, log: ReminderLog, input: { year: number; by: string; now: () => Date }): Promise<ReminderOutcome[]> {
  const outcomes: ReminderOutcome[] = [];
  for (const planned of plan.reminders) {
    if (planned.remindedToday) {
      outcomes.push({ planned });
      continue;
    }
    const base = { id: randomUUID(), year: input.year, unit: planned.unit.reporter, occasion: planned.occasion, by: input.by.slice(0, 200), at: input.now().toISOString() };
    let record: ReminderRecord;
    if (planned.skip) {
      record = { ...base, to: [], refused: planned.refused, ok: false, result: `Inte skickad: ${planned.skip}.` };
    } else {
      try {
        const sent = await mailer.send({ to: planned.to, ...planned.message });
        const refused = [...planned.refused, ...sent.rejected];
        record = {
          ...base,
          to: sent.accepted,
          refused,
          ok: sent.accepted.length > 0,
          result: sent.accepted.length > 0 ? `Skickad (${sent.messageId}).` : "Inte skickad: servern tog inte emot någon av adresserna.",
        };
      } catch (error) {
        record = { ...base, to: [], refused: [...planned.refused, ...planned.to.map((email) => ({ email, reason: smtpReason(error) }))], ok: false, result: `Inte skickad: ${smtpReason(error)}.` };
      }
    }
    await log.add(record);
    outcomes.push({ planned, record });
  }
  return outcomes;
}

/** How many were sent, and how many had a problem (not sent, or an address refused), as every sender tells it. */
export function outcomeCounts(outcomes: readonly ReminderOutcome[]): { sent: number; problems: number } {
  return {
    sent: outcomes.filter((o) => o.record?.ok).length,
    problems: outcomes.filter((o) => o.record && (!o.record.ok || o.record.refused.length > 0)).length,
  };
}

/** The server's answer or the connection's failure, in one line, without anything secret. */
function smtpReason(error: unknown): string {
  const e = error as { code?: string; response?: string; responseCode?: number; message?: string };
  if (e.code === "EAUTH") return "e-postservern godtog inte inloggningen (HP_SMTP_PASSWORD)";
  if (e.code === "ECONNECTION" || e.code === "ETIMEDOUT" || e.code === "ESOCKET" || e.code === "EDNS") return `e-postservern kunde inte nås (${e.code})`;
  if (e.response) return `e-postservern svarade ${e.response.replace(/\s+/g, " ").slice(0, 200)}`;
  return `e-postservern: ${(e.message ?? String(error)).replace(/\s+/g, " ").slice(0, 200)}`;
}

/** One line per planned reminder, for --dry-run and the CLI's report. */
export function planLine(p: PlannedReminder, outcome?: ReminderRecord): string {
  const { left } = p;
  const who = p.to.length > 0 ? p.to.join(", ") : "ingen";
  const refused = p.refused.length > 0 ? `; ogiltiga adresser: ${p.refused.map((r) => r.email).join(", ")}` : "";
  if (outcome) return `${p.unit.name} (${p.unit.state}): ${outcome.result}${outcome.ok ? ` Till ${outcome.to.join(", ")}.` : ""}${outcome.refused.length > 0 ? ` Ej till: ${outcome.refused.map((r) => `${r.email} (${r.reason})`).join(", ")}.` : ""}`;
  if (p.skip) return `${p.unit.name} (${p.unit.state}): skickas inte, ${p.skip}${refused}.`;
  return `${p.unit.name} (${p.unit.state}): till ${who}${refused}. Ämne: ${p.message.subject}${left.length > 0 ? `\n      Kvar: ${left.join(" ")}` : ""}`;
}
