/**
 * The overview's story of the year, from the records alone: runs from every entry, tabs marked
 * ready, approvals and reminders in one list, newest first; the latest delivered reports; late
 * units named after the deadline.
 */
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../functions/history/run-log.js";
import type { UnitStatusRow, YearStatus } from "../functions/pipeline/year-status.js";
import type { ReminderRecord } from "../functions/reminders/reminder-log.js";
import { overviewView } from "../functions/web/overview-view.js";

const unit = (reporter: string, name: string, over: Partial<UnitStatusRow> = {}): UnitStatusRow => ({
  reporter,
  name,
  state: "inlämnad",
  ready: { by: "Karin", at: "2026-02-10T09:00:00.000Z" },
  approved: null,
  errors: 0,
  warnings: 0,
  unconfirmed: 0,
  onTime: true,
  admitted: true,
  changes: [],
  lastChange: null,
  files: [`sheets/exempel/2025-${reporter}.xlsx`],
  ...over,
});

const status: YearStatus = {
  year: 2025,
  deadline: "2026-02-13",
  summary: { expected: 3, started: 2, received: 1, onTime: 1, approved: 0, admitted: 1, rule: "submitted" },
  rule: "submitted",
  units: [
    unit("bromma", "Bromma"),
    unit("skarpnack", "Skarpnäck", { state: "klar med fel", errors: 2, admitted: false, reason: "submitted-with-errors", onTime: null }),
    unit("farsta", "Farsta", { state: "inte påbörjad", ready: null, admitted: false, reason: "not-submitted", onTime: null, files: [] }),
  ],
  events: [{ unit: "bromma", action: "öppnad igen", by: "Eva", at: "2026-02-16T10:00:00.000Z", reason: "Fel nämnare" }],
};

const run = (id: string, at: string, over: Partial<RunRecord> = {}): RunRecord => ({
  id,
  year: 2025,
  steps: ["validate", "report"],
  by: "hp run av eva (terminalen)",
  startedAt: at,
  endedAt: at,
  ok: true,
  result: "1 av 3 har lämnat in; 2 fel, 0 varningar; 17 rapporter.",
  links: [{ name: "uppfoljning-2025.pdf", link: "file:///srv/out/2025/uppfoljning-2025.pdf" }],
  ...over,
});

const reminder: ReminderRecord = {
  id: "r1",
  year: 2025,
  unit: "farsta",
  occasion: "sen",
  by: "schemalagd påminnelse 7",
  at: "2026-02-20T07:00:00.000Z",
  to: ["farsta@stad.example"],
  refused: [],
  ok: true,
  result: "Skickad (<1@stad.example>).",
};

const view = (now: string, runs: RunRecord[] = []) =>
  overviewView({
    status,
    runs,
    reminders: [reminder],
    sort: { key: "enhet", descending: false },
    now: new Date(now),
    csrf: "t",
    otherYears: [],
    linkOf: () => undefined,
    canSubmit: true,
    reportHref: (link) => `/rapporter/${link.split("/out/")[1]}`,
    maxUploadMb: 10,
  });

describe("the overview", () => {
  it("tells the year as one history, newest first, with the terminal's runs and the schedule's reminders", () => {
    const v = view("2026-02-21T08:00:00Z", [
      run("b", "2026-02-18T08:00:00.000Z"),
      run("a", "2026-02-11T08:00:00.000Z", { ok: false, result: "En körning för 2025 pågår redan", links: undefined }),
      run("c", "2026-02-19T08:00:00.000Z", { year: 2024 }),
    ]);
    expect(v.history.map((h) => h.what)).toEqual([
      "Påminnelse till Farsta",
      "Rapporterna 2025",
      "Bromma öppnad igen",
      "Rapporterna 2025",
      "Bromma: fliken markerad Klar att lämna in",
      "Skarpnäck: fliken markerad Klar att lämna in",
    ]);
    expect(v.history[2]!.result).toBe("Fel nämnare");
    expect(v.history[3]).toMatchObject({ ok: false, result: "Misslyckades: En körning för 2025 pågår redan" });
    expect(v.history.find((h) => h.what.startsWith("Skarpnäck"))).toMatchObject({ ok: false, result: "2 fel kvar" });
    expect(v.latestReports).toEqual({ when: "2026-02-18 09:00", links: [{ name: "uppfoljning-2025.pdf", href: "/rapporter/2025/uppfoljning-2025.pdf" }] });
  });

  it("names the late units after the deadline, with a button for them, and says nothing of lateness before", () => {
    const late = view("2026-02-20T08:00:00Z");
    expect(late.lateText).toBe("2 enheter är sena: Skarpnäck och Farsta.");
    expect(late.remindAll?.label).toBe("Påminn alla sena (2)");
    const before = view("2026-02-05T08:00:00Z");
    expect(before.lateText).toBeUndefined();
    expect(before.remindAll?.label).toBe("Påminn alla som inte räknas (2)");
    // Farsta was reminded on the 20th: no button that day, the words instead.
    const farsta = late.rows.find((r) => r.reporter === "farsta")!;
    expect(farsta).toMatchObject({ canRemind: false, remindedToday: true, ready: "Nej" });
    expect(late.rows.find((r) => r.reporter === "skarpnack")).toMatchObject({ canRemind: true, ready: "Ja 2026-02-10 (Karin)" });
    expect(late.latestReports).toBeUndefined();
  });
});

describe("since the last run", () => {
  it("tells a new or changed file, changed values, and findings fixed or new", async () => {
    const { sinceLastRun } = await import("../functions/pipeline/unit-digest.js");
    const before = { files: ["a"], values: "v1", findings: ["f1", "f2"] };
    expect(sinceLastRun(before, { ...before })).toBe("oförändrad");
    expect(sinceLastRun(before, { files: ["b"], values: "v2", findings: ["f2", "f3", "f4"] })).toBe("ny eller ändrad fil, värden ändrade, 1 fynd rättat, 2 nya fynd");
    expect(sinceLastRun({ files: [], values: "v0", findings: [] }, { files: ["a"], values: "v0", findings: [] })).toBe("ny fil");
    expect(sinceLastRun(undefined, before)).toBeUndefined();
  });
});
