/**
 * The "Lokalt arbete" part of a unit's tab: a self-assessment per focus area, with last year's
 * beside it, and the activities, starting with last year's unfinished ones carried over.
 */
import { focusAreaLabel } from "../catalogue/catalogue-for-year.js";
import type { SelfAssessment } from "../model/records.js";
import { SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";
import { ACTIVITY_COLUMN_KEYS, headerText, nameKey, SELF_ASSESSMENT_COLUMN_KEYS } from "./definition.js";
import { CENTRAL } from "./layout.js";
import { blank, headerRow } from "./rows.js";
import type { LayoutCell, LayoutRow, TemplateLayoutInput } from "./layout-model.js";

/** Activities in these states are done with, so they are not carried over into the next year. */
const FINISHED_ACTIVITY: ReadonlySet<string> = new Set(["Genomförd", "Avbruten"]);

/** "Lokalt arbete": a self-assessment per focus area and a table of activities. */
export function localWorkRows({ yc, definition, lastYear }: TemplateLayoutInput, unit: string, lists: { focusAreas: string; activityStatuses: string }): LayoutRow[] {
  const { labels } = definition;
  const previousScores = new Map((lastYear?.selfAssessments ?? []).filter((s) => s.unit === unit).map((s) => [s.focusArea, s]));
  const areas = new Map(yc.plan.focusAreas.map((f) => [f.id, f]));
  const carried = (lastYear?.activities ?? []).filter(
    (a) => a.unit === unit && areas.has(a.focusArea) && !(a.status && FINISHED_ACTIVITY.has(a.status)),
  );
  const sa = definition.columns.selfAssessment;
  const ac = definition.columns.activities;
  const rows: LayoutRow[] = [
    blank(),
    { cells: [{ value: labels.selfAssessmentSection, font: "heading" }] },
    { cells: [{ value: labels.selfAssessmentHelp, font: "muted" }] },
    headerRow(SELF_ASSESSMENT_COLUMN_KEYS.map((k) => headerText(sa[k].header, yc.year))),
  ];
  const scale = `${SELF_ASSESSMENT_SCALE[0].score} (${SELF_ASSESSMENT_SCALE[0].label.toLocaleLowerCase("sv-SE")}) till ${SELF_ASSESSMENT_SCALE[4].score} (${SELF_ASSESSMENT_SCALE[4].label.toLocaleLowerCase("sv-SE")})`;
  for (const area of yc.plan.focusAreas) {
    const previous = previousScores.get(area.id);
    const byKey: Record<(typeof SELF_ASSESSMENT_COLUMN_KEYS)[number], LayoutCell> = {
      focusArea: { value: focusAreaLabel(area), wrap: true },
      desiredState: { value: area.desiredState, wrap: true },
      previous: { value: previous && previousText(previous), wrap: true },
      score: { wrap: true, input: { kind: "whole", min: 1, max: 5, title: "Skatta 1–5", error: `Skriv en hel siffra från ${scale}.` } },
      comment: { wrap: true, input: { kind: "text" } },
      check: { wrap: true },
    };
    const cells = SELF_ASSESSMENT_COLUMN_KEYS.map((k) => byKey[k]);
    // Spreadsheet programs do not grow rows for wrapped text on their own when printing.
    rows.push({ cells, height: 78 });
  }
  rows.push(
    blank(),
    { cells: [{ value: labels.activitiesSection, font: "heading" }] },
    { cells: [{ value: labels.activitiesHelp, font: "muted" }] },
    headerRow(ACTIVITY_COLUMN_KEYS.map((k) => headerText(ac[k].header, yc.year))),
  );
  // Last year's unfinished activities first, then empty rows: as many as the definition asks
  // for, and never fewer than a few free ones below the carried.
  const count = Math.max(labels.activityRows, carried.length + Math.min(5, labels.activityRows));
  for (let i = 0; i < count; i++) {
    const from = carried[i];
    const area = from && areas.get(from.focusArea);
    const byKey: Record<(typeof ACTIVITY_COLUMN_KEYS)[number], LayoutCell> = {
      focusArea: {
        value: area && focusAreaLabel(area),
        wrap: true,
        input: { kind: "list", range: lists.focusAreas, error: "Välj ett av planens fokusområden." },
      },
      activity: { value: from?.activity, wrap: true, input: { kind: "text" } },
      followUp: { value: from?.followUp ?? undefined, wrap: true, input: { kind: "text" } },
      previousStatus: { value: from ? (from.status ?? "Ingen status") : undefined, wrap: true },
      status: { wrap: true, input: { kind: "list", range: lists.activityStatuses, error: "Välj status i listan." } },
      check: {},
    };
    const cells = ACTIVITY_COLUMN_KEYS.map((k) => byKey[k]);
    rows.push({ cells, height: 32 });
  }
  return rows;
}

/**
 * The central tab's "Stadsövergripande aktiviteter": the plan's city-wide activities, each with
 * last year's status beside it, for the central reporter to give a status and a short follow-up.
 * Read back as activities of the central reporter, with the same columns as a unit's.
 */
export function cityActivityRows({ yc, definition, lastYear }: TemplateLayoutInput, lists: { activityStatuses: string }): LayoutRow[] {
  const ac = definition.columns.activities;
  const previous = new Map((lastYear?.activities ?? []).filter((a) => a.unit === CENTRAL).map((a) => [nameKey(a.activity), a]));
  const rows: LayoutRow[] = [
    blank(),
    { cells: [{ value: definition.labels.cityActivitiesSection, font: "heading" }] },
    { cells: [{ value: definition.labels.cityActivitiesHelp, font: "muted" }] },
    headerRow(ACTIVITY_COLUMN_KEYS.map((k) => headerText(ac[k].header, yc.year))),
  ];
  for (const area of yc.plan.focusAreas) {
    for (const activity of area.cityActivities) {
      const before = previous.get(nameKey(activity));
      const byKey: Record<(typeof ACTIVITY_COLUMN_KEYS)[number], LayoutCell> = {
        focusArea: { value: focusAreaLabel(area), wrap: true },
        activity: { value: activity, wrap: true },
        followUp: { wrap: true, input: { kind: "text" } },
        previousStatus: { value: before ? (before.status ?? "Ingen status") : undefined, wrap: true },
        status: { wrap: true, input: { kind: "list", range: lists.activityStatuses, error: "Välj status i listan." } },
        check: {},
      };
      rows.push({ cells: ACTIVITY_COLUMN_KEYS.map((k) => byKey[k]), height: 32 });
    }
  }
  return rows;
}

/** Last year's self-assessment as the reporter reads it: "2 – En bit ifrån önskat läge", and its comment. */
function previousText({ score, comment }: SelfAssessment): string | undefined {
  const label = SELF_ASSESSMENT_SCALE.find((s) => s.score === score)?.label;
  const scored = score === null ? "Ingen självskattning" : label ? `${score} – ${label}` : String(score);
  return comment ? `${scored}. ${comment}` : scored;
}
