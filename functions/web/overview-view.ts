/**
 * The overview as the page shows it: the year's status (the same as hp status) as rows, sorted
 * on the server by any column in Swedish collation, the reporting rate, the days left and the
 * latest runs. Everything here is data for the templates, which escape it.
 */
import { daysLeft } from "../aggregate/admission.js";
import { UNIT_STATES, type UnitState } from "../model/records.js";
import type { RunRecord } from "../history/run-log.js";
import { sinceLastRun } from "../pipeline/unit-digest.js";
import { needsReminder } from "../reminders/message.js";
import { type ReminderRecord, remindedOn } from "../reminders/reminder-log.js";
import { changedSinceApproval, readyText, type UnitStatusRow, type YearStatus } from "../pipeline/year-status.js";
import { formatLongDate, formatStockholmTime, joinSv, svCollator } from "../shared/format-sv.js";

const COLUMNS = [
  { key: "enhet", label: "Enhet", value: (u: UnitStatusRow) => u.name },
  { key: "lage", label: "Läge", value: (u: UnitStatusRow) => STATE_ORDER.indexOf(u.state) },
  { key: "rakans", label: "Räknas", value: (u: UnitStatusRow) => (u.admitted ? 1 : 0) },
  { key: "klar", label: "Klar", value: (u: UnitStatusRow) => u.ready?.at ?? (u.ready ? "0" : "") },
  { key: "fel", label: "Fel", value: (u: UnitStatusRow) => u.errors, numeric: true },
  { key: "varningar", label: "Varningar", value: (u: UnitStatusRow) => u.warnings, numeric: true },
  { key: "obekraftade", label: "Obekräftade", value: (u: UnitStatusRow) => u.unconfirmed, numeric: true },
  { key: "itid", label: "I tid", value: (u: UnitStatusRow) => (u.onTime === null ? -1 : u.onTime ? 1 : 0) },
  { key: "andrad", label: "Senast ändrad", value: (u: UnitStatusRow) => u.lastChange ?? "" },
] as const;
const STATE_ORDER: readonly UnitState[] = UNIT_STATES;
const STATE_KEY: Record<UnitState, string> = {
  "inte påbörjad": "inte",
  pågår: "pagar",
  "klar med fel": "fel",
  inlämnad: "inlamnad",
  godkänd: "godkand",
  "godkänd men ändrad": "andrad",
};

export type SortKey = (typeof COLUMNS)[number]["key"];
export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** The sort a request asks for (?sortera=fel&ordning=fallande); by unit name otherwise. */
export function sortOf(query: Record<string, unknown>): Sort {
  const key = COLUMNS.find((c) => c.key === query.sortera)?.key ?? "enhet";
  return { key, descending: query.ordning === "fallande" };
}

export interface OverviewInput {
  status: YearStatus;
  runs: RunRecord[];
  /** The year's reminders, newest first. */
  reminders: ReminderRecord[];
  sort: Sort;
  now: Date;
  csrf: string;
  otherYears: number[];
  /** A unit's link: its tab in Google, its file locally; none when there is nothing to open. */
  linkOf: (reporter: string) => string | undefined;
  canSubmit: boolean;
  /** A delivered report's address on the page (Drive's, or a download here); undefined when it cannot be reached. */
  reportHref: (link: string) => string | undefined;
  maxUploadMb: number;
  message?: { kind: "ok" | "fel"; text: string } | undefined;
  /** The year's imports in force: the source's name, the export, when, by whom and the rows counted. */
  imports?: { source: string; file: string; at: string; by: string; rowsUsed: number }[];
}

export function overviewView(input: OverviewInput) {
  const { status, sort } = input;
  const column = COLUMNS.find((c) => c.key === sort.key)!;
  const rows = [...status.units].sort((a, b) => {
    const [x, y] = [column.value(a), column.value(b)];
    const order = typeof x === "number" && typeof y === "number" ? x - y : svCollator.compare(String(x), String(y));
    return (sort.descending ? -order : order) || svCollator.compare(a.name, b.name);
  });
  const s = status.summary;
  const time = (iso: string | null) => (iso ? formatStockholmTime(new Date(iso)) : "–");
  const days = daysLeft(status.deadline, input.now);
  const toRemind = status.units.filter((u) => needsReminder(u));
  const late = days < 0 ? toRemind : [];
  const names = new Map(status.units.map((u) => [u.reporter, u.name]));
  const remindedToday = remindedOn(input.reminders, input.now);
  // The last run of the year that kept what it saw, to tell each unit's change since.
  const lastRun = input.runs.find((r) => r.year === status.year && r.units);
  return {
    year: status.year,
    message: input.message,
    rateText: `${s.received} av ${s.expected} enheter har lämnat in (${s.onTime} i tid), ${s.approved} ${s.approved === 1 ? "är godkänd" : "är godkända"}; ${s.admitted} räknas i stadens värden.`,
    ruleText:
      status.rule === "approved"
        ? "Bara enheter som du har godkänt räknas i stadens värden."
        : "En enhet räknas i stadens värden när den har lämnat in utan fel (eller är godkänd).",
    changed: status.units.filter((u) => u.changes.length > 0).map((u) => changedSinceApproval(u.name, u.changes)),
    deadlineText: formatLongDate(status.deadline),
    daysLeftText: daysLeftText(days),
    lateText:
      late.length > 0
        ? `${late.length === 1 ? "1 enhet är sen" : `${late.length} enheter är sena`}: ${joinSv(late.map((u) => u.name))}.`
        : undefined,
    remindAll: toRemind.length > 0 ? { label: days < 0 ? `Påminn alla sena (${toRemind.length})` : `Påminn alla som inte räknas (${toRemind.length})` } : undefined,
    otherYears: input.otherYears.filter((y) => y !== status.year),
    csrf: input.csrf,
    canSubmit: input.canSubmit,
    // True to the backend: only the Google spreadsheet gets the findings written back into it.
    checkText: input.canSubmit
      ? "Kontrollen läser alla inlämningar i inlämningsmappen och visar antal fel och varningar per enhet; en kopia med fynden vid cellerna får du genom att kontrollera filen nedan eller med hp validate --annotate."
      : "Kontrollen läser alla enheternas flikar och skriver fynden vid cellerna i enheternas flikar i kalkylarket.",
    maxUploadMb: input.maxUploadMb,
    columns: COLUMNS.map((c) => {
      const active = c.key === sort.key;
      const next = active && !sort.descending ? "fallande" : "stigande";
      return {
        label: c.label,
        numeric: "numeric" in c,
        href: `/?ar=${status.year}&sortera=${c.key}&ordning=${next}`,
        sort: active ? (sort.descending ? "descending" : "ascending") : "none",
        arrow: active ? (sort.descending ? " ▼" : " ▲") : "",
      };
    }),
    rows: rows.map((u) => ({
      reporter: u.reporter,
      name: u.name,
      link: input.linkOf(u.reporter),
      state: u.state,
      stateKey: STATE_KEY[u.state],
      admitted: u.admitted ? "Ja" : "Nej",
      ready: readyText(u.ready),
      canRemind: needsReminder(u) && !remindedToday.has(u.reporter),
      remindedToday: needsReminder(u) && remindedToday.has(u.reporter),
      // A unit the last run did not see (no tab then) has a new file.
      since: !lastRun || !u.digest ? undefined : lastRun.units?.[u.reporter] ? sinceLastRun(lastRun.units[u.reporter], u.digest) : "ny fil",
      errors: u.errors,
      warnings: u.warnings,
      unconfirmed: u.unconfirmed,
      onTime: u.onTime === null ? "–" : u.onTime ? "Ja" : "Nej",
      lastChange: time(u.lastChange),
      canApprove: u.state === "inlämnad",
      canReopen: u.approved !== null,
    })),
    reminders: input.reminders.map((r) => ({
      when: formatStockholmTime(new Date(r.at)),
      by: r.by,
      unit: names.get(r.unit) ?? r.unit,
      to: r.to.join(", "),
      ok: r.ok,
      result: r.result,
      refused: r.refused.map((x) => `${x.email} (${x.reason})`).join(", "),
    })),
    history: yearHistory(input, names),
    latestReports: latestReports(input),
  };
}

const runWhat = (r: RunRecord) => `${r.steps.includes("preview") ? "Förhandsvisningen" : r.steps.includes("report") ? "Rapporterna" : "Kontrollen"} ${r.year}`;

/**
 * Everything that happened in the year, newest first: runs (from the page, the terminal and the
 * schedule), tabs marked ready, approvals and reopenings with their reasons, and reminders.
 */
function yearHistory(input: OverviewInput, names: Map<string, string>) {
  const name = (unit: string) => names.get(unit) ?? unit;
  const events: { at: string; by: string; what: string; ok: boolean; result: string }[] = [
    ...input.runs.filter((r) => r.year === input.status.year).map((r) => ({ at: r.startedAt, by: r.by, what: runWhat(r), ok: r.ok, result: r.ok ? r.result : `Misslyckades: ${r.result}` })),
    ...input.status.units.flatMap((u) =>
      u.ready?.at ? [{ at: u.ready.at, by: u.ready.by ?? "–", what: `${u.name}: fliken markerad Klar att lämna in`, ok: u.errors === 0, result: u.errors === 0 ? "" : `${u.errors} fel kvar` }] : [],
    ),
    ...input.status.events.map((e) => ({
      at: e.at,
      by: e.by,
      what: e.action === "godkänd" ? `${name(e.unit)} godkänd` : `${name(e.unit)} öppnad igen`,
      ok: true,
      result: e.reason ?? "",
    })),
    ...input.reminders.map((r) => ({ at: r.at, by: r.by, what: `Påminnelse till ${name(r.unit)}`, ok: r.ok, result: r.result })),
    ...(input.imports ?? []).map((i) => ({ at: i.at, by: i.by, what: `Import från ${i.source}: ${i.file}`, ok: true, result: `${i.rowsUsed} ${i.rowsUsed === 1 ? "rad räknad" : "rader räknade"}` })),
  ];
  return events
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, 30)
    .map((e) => ({ when: formatStockholmTime(new Date(e.at)), by: e.by, what: e.what, ok: e.ok, result: e.result }));
}

/** The reports of the latest run that delivered them (not a preview): names and where they are. */
function latestReports(input: OverviewInput) {
  const run = input.runs.find((r) => r.year === input.status.year && r.ok && r.steps.includes("report") && (r.links?.length ?? 0) > 0);
  if (!run) return undefined;
  return {
    when: formatStockholmTime(new Date(run.endedAt)),
    links: (run.links ?? []).flatMap((l) => {
      const href = input.reportHref(l.link);
      return href ? [{ name: l.name, href }] : [];
    }),
  };
}

/** "12 dagar kvar", "sista dagen är i dag", "passerad för 3 dagar sedan". */
function daysLeftText(days: number): string {
  if (days > 1) return `${days} dagar kvar`;
  if (days === 1) return "1 dag kvar";
  if (days === 0) return "sista dagen är i dag";
  return `passerad för ${-days} ${days === -1 ? "dag" : "dagar"} sedan`;
}
