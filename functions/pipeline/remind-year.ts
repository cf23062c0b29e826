/**
 * Reminders for a year, the same from the CLI, the page and the schedule: where every unit
 * stands, the year's contacts and reminder log, the plan by the rules (or for the units asked
 * for), and – unless it is a dry run – the mails and their log records. The caller holds the
 * year's lock when it sends.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { ReminderRules } from "../catalogue/schema.js";
import type { History } from "../history/history.js";
import type { ImportStore } from "../imports/import-store.js";
import type { HistoryStore } from "../history/store.js";
import type { ContactsSource } from "../reminders/contacts.js";
import { type Mailer, type MailSettings, smtpMailer } from "../reminders/mailer.js";
import type { ReminderLog } from "../reminders/reminder-log.js";
import { type ReminderOutcome, type ReminderPlan, planReminders, sendReminders } from "../reminders/send-reminders.js";
import { HpError } from "../shared/errors.js";
import type { SubmissionSource } from "../submission/source.js";
import type { TemplateDefinition } from "../template/definition.js";
import { yearStatus } from "./year-status.js";

/** What a year opened by the wiring gives the reminders (an OpenedYear has all of it). */
export interface RemindYearInput {
  year: number;
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  maxChange: number;
  now: Date;
  store: HistoryStore;
  imports: ImportStore;
  catalogue: { reminders: ReminderRules };
  config: { mail: MailSettings; now: () => Date };
  contacts: ContactsSource;
  reminderLog: ReminderLog;
  source(paths?: string[]): Promise<SubmissionSource>;
}

export interface RemindOptions {
  dryRun: boolean;
  /** These units now, whatever the day; else the rules decide. */
  units?: readonly string[] | undefined;
  by: string;
  /** The submissions to read (files or folders); default the configured source. */
  paths?: string[] | undefined;
  /** The mailer; default SMTP from the configuration. */
  mailer?: () => Promise<Mailer>;
}

export interface RemindResult {
  plan: ReminderPlan;
  /** Each planned reminder's outcome (one reminded today already has no record); undefined on a dry run. */
  outcomes?: ReminderOutcome[];
  contactsWhere: string;
  /** Where the mail went. */
  server?: string;
}

export async function remindYear(y: RemindYearInput, options: RemindOptions): Promise<RemindResult> {
  const status = await yearStatus({ yc: y.yc, definition: y.definition, history: y.history, maxChange: y.maxChange, now: y.now, source: await y.source(options.paths), store: y.store, imports: y.imports });
  const contactsWhere = y.contacts.where(y.year);
  const contacts = await y.contacts.read(y.yc);
  if (!contacts) throw new HpError("usage", `Kontaktfilen ${contactsWhere} finns inte: skriv enheternas kontakter där (se sheets/kontakter/${y.year - 1}.yaml eller README). Ingen påminnelse är skickad.`);
  const plan = planReminders({
    status,
    rules: y.catalogue.reminders,
    contacts,
    contactsWhere,
    log: await y.reminderLog.ofYear(y.year),
    now: y.now,
    resultsTab: y.definition.sheets.results,
    ...(options.units ? { units: options.units } : {}),
  });
  if (options.dryRun) return { plan, contactsWhere };
  // Everyone due was reminded today already: nothing to send, no mail server asked.
  if (plan.reminders.every((r) => r.remindedToday)) return { plan, outcomes: plan.reminders.map((planned) => ({ planned })), contactsWhere };
  const mailer = await (options.mailer ?? (() => smtpMailer(y.config.mail)))();
  try {
    const outcomes = await sendReminders(plan, mailer, y.reminderLog, { year: y.year, by: options.by, now: y.config.now });
    return { plan, outcomes, contactsWhere, server: mailer.describe };
  } finally {
    mailer.close();
  }
}
