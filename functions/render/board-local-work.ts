/**
 * The board paper's local and city-wide work: per focus area, how the administrations assess
 * themselves and what they do, and the plan's city-wide activities with their status and
 * follow-up; after the focus areas, every unit's self-assessment and activity counts.
 */
import { focusAreaShortLabel } from "../catalogue/catalogue-for-year.js";
import { localWorkNotCountedNote, ownReportingShown, type ReportModel } from "../report/report-model.js";
import { formatNumber } from "../shared/format-sv.js";
import { ACTIVITY_STATUSES, SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";
import { heading, type Part, plainText, type TableView } from "./paper.js";

/** How many of the units' own activities a focus area lists by name. */
const NAMED_ACTIVITIES = 3;

export function areaLocalWork(model: ReportModel, areaId: string): Part[] {
  const scores = model.selfAssessments.filter((s) => s.focusArea === areaId && s.score !== null).map((s) => s.score!);
  const own = model.activities.filter((a) => a.focusArea === areaId);
  const units = model.yc.units.length;
  const distribution = SELF_ASSESSMENT_SCALE.map((s) => `${s.score}: ${formatNumber(scores.filter((x) => x === s.score).length, 0)}`).join(", ");
  const byStatus = ACTIVITY_STATUSES.map((s) => [s, own.filter((a) => a.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${formatNumber(n, 0)} ${s.toLocaleLowerCase("sv-SE")}`);
  const parts: Part[] = [
    heading("h4", "Lokalt arbete"),
    plainText(
      scores.length > 0
        ? `Självskattning av hur nära det önskade läget förvaltningarna står (1 = långt ifrån, 5 = uppnått), antal förvaltningar per skattning: ${distribution}; ${formatNumber(units - scores.length, 0)} av ${formatNumber(units, 0)} har inte skattat.`
        : "Ingen förvaltning har skattat sig inom fokusområdet.",
      own.length > 0
        ? `Förvaltningarna redovisar ${formatNumber(own.length, 0)} aktiviteter inom fokusområdet${byStatus.length > 0 ? ` (${byStatus.join(", ")})` : ""}.`
        : "Förvaltningarna redovisar inga egna aktiviteter inom fokusområdet.",
    ),
  ];
  // Completed ones first, one per unit, in catalogue order.
  const named = model.yc.units
    .map((u) => {
      const mine = own.filter((a) => a.unit === u.id);
      return mine.find((a) => a.status === "Genomförd") ?? mine[0];
    })
    .filter((a) => a !== undefined)
    .slice(0, NAMED_ACTIVITIES);
  if (named.length > 0) {
    parts.push({
      list: {
        ordered: false,
        items: named.map((a) => `${model.unitName(a.unit)}: ${a.activity} (${(a.status ?? "status saknas").toLocaleLowerCase("sv-SE")})`),
      },
    });
  }
  return parts;
}

export function cityActivitiesTable(model: ReportModel, areaId: string): Part[] {
  const activities = model.cityActivities.filter((a) => a.focusArea.id === areaId);
  if (activities.length === 0) return [];
  const none = model.definition.symbols.notAvailable.symbol;
  return [
    heading("h4", "Stadsövergripande aktiviteter"),
    {
      table: {
        head: ["Aktivitet", `Status ${model.year}`, "Uppföljning"],
        rows: activities.map((a) => ({ name: a.activity, city: false, cells: [a.status ?? "Ingen status", a.followUp ?? none] })),
        textColumns: true,
      },
    },
  ];
}

/** Every unit's self-assessment per focus area, and its activities by status. */
export function localWorkTables(model: ReportModel): Part[] {
  const areas = model.yc.plan.focusAreas;
  const scores = new Map(model.selfAssessments.map((s) => [`${s.unit}|${s.focusArea}`, s.score]));
  const na = model.definition.symbols.notAvailable.symbol;
  const matrix: TableView = {
    caption: "Självskattning: hur nära det önskade läget förvaltningen står (1–5)",
    head: ["Enhet", ...areas.map(focusAreaShortLabel)],
    rows: model.yc.units.map((u) => ({
      name: u.name,
      city: false,
      cells: areas.map((a) => (ownReportingShown(model, u.id) ? String(scores.get(`${u.id}|${a.id}`) ?? na) : na)),
    })),
  };
  const counts: TableView = {
    caption: "Förvaltningarnas egna aktiviteter, antal per status",
    head: ["Enhet", ...ACTIVITY_STATUSES, "Totalt"],
    rows: model.yc.units.map((u) => {
      const own = model.activities.filter((a) => a.unit === u.id);
      // A unit whose reporting does not count has no count of 0: it is not known (..).
      if (!ownReportingShown(model, u.id)) return { name: u.name, city: false, cells: [...ACTIVITY_STATUSES.map(() => na), na] };
      return {
        name: u.name,
        city: false,
        cells: [...ACTIVITY_STATUSES.map((s) => formatNumber(own.filter((a) => a.status === s).length, 0)), formatNumber(own.length, 0)],
      };
    }),
  };
  const note = localWorkNotCountedNote(model);
  const notes: Part[] = note ? [{ note: { text: note } }] : [];
  return [heading("h3", "Förvaltningarnas lokala arbete"), { group: [{ table: matrix }] }, { group: [{ table: counts }, ...notes] }];
}
