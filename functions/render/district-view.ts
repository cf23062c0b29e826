/**
 * A district's page: its indicators against the city and its own earlier years, its
 * self-assessment and its activities, and its comments. Reporters' text is passed as plain
 * strings; the template escapes it.
 */
import type { Trend } from "../aggregate/trends.js";
import { focusAreaLabel, focusAreaShortLabel } from "../catalogue/catalogue-for-year.js";
import type { Unit } from "../catalogue/schema.js";
import { legend, FIGURE_KINDS } from "../report/legend.js";
import { formatChange, type ReportModel } from "../report/report-model.js";
import { SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";
import type { Observation } from "../validate/validate-submissions.js";
import { paperHead, type TableView } from "./board-view.js";

export function districtView(model: ReportModel, unit: Unit, trends: Trend[], observations: Observation[], date: Date) {
  const year = model.year;
  const wrongWay = new Set(trends.filter((t) => t.unit === unit.id && t.year === year && t.wrongWay).map((t) => t.indicator));
  const focusAreas = model.sections.map((section) => {
    const fa = section.focusArea;
    const table: TableView = {
      head: ["Indikator", String(year - 1), String(year), "Förändring", `Staden ${year}`, "Trend"],
      rows: section.tables
        .filter((t) => !t.items && t.indicator.level === "unit")
        .map((t) => {
          const own = t.rows.find((r) => r.unit === unit.id);
          const city = t.rows.find((r) => r.isCity);
          const current = own?.cells.at(-1);
          const previous = own?.cells.at(-2);
          const change =
            current?.value != null && previous?.value != null ? formatChange(current.value - previous.value, t.percent) : "";
          return {
            name: t.indicator.shortTitle,
            city: false,
            cells: [previous?.text ?? "..", current?.text ?? "..", change, city?.cells.at(-1)?.text ?? "..", wrongWay.has(t.indicator.id) ? "Går åt fel håll" : ""],
          };
        }),
    };
    return { heading: fa.number > 0 ? `${fa.number}. ${fa.title}` : fa.title, table };
  });

  const scores = new Map(model.selfAssessments.filter((s) => s.unit === unit.id).map((s) => [s.focusArea, s]));
  const selfAssessment: TableView = {
    head: ["Fokusområde", "Skattning", "Innebörd"],
    rows: model.yc.plan.focusAreas.map((f) => {
      const score = scores.get(f.id)?.score ?? null;
      return {
        name: focusAreaLabel(f),
        city: false,
        cells: [score === null ? ".." : String(score), score === null ? "Ingen skattning" : (SELF_ASSESSMENT_SCALE[score - 1]?.label ?? "")],
      };
    }),
  };
  const areaName = new Map(model.yc.plan.focusAreas.map((f) => [f.id, focusAreaShortLabel(f)]));
  const indicatorName = new Map(model.yc.catalogue.indicators.map((i) => [i.id, i.shortTitle]));
  const partName = (o: Observation) => (o.breakdown === "T" ? "" : ` (${o.breakdown})`);
  return {
    title: `${unit.name}: uppföljning ${year} av handlingsplanen`,
    author: unit.name,
    head: paperHead(model, date, unit.board ?? unit.name),
    intro: `Sidan visar ${genitive(unit.name)} värden för handlingsplanens indikatorer ${year}, jämfört med förra året och med staden, och förvaltningens självskattning och aktiviteter. Indikatorer som rapporteras för hela staden finns i nämndrapporten.`,
    focusAreas: focusAreas.filter((f) => f.table.rows.length > 0),
    selfAssessmentIntro: "Förvaltningens egen bedömning av hur nära det önskade läget den står i varje fokusområde.",
    selfAssessment,
    activities: model.activities
      .filter((a) => a.unit === unit.id)
      .map((a) => ({ focusArea: areaName.get(a.focusArea) ?? a.focusArea, activity: a.activity, followUp: a.followUp ?? "", status: a.status ?? "" })),
    comments: observations
      .filter((o) => o.unit === unit.id && o.comment)
      .map((o) => ({ indicator: `${indicatorName.get(o.indicator) ?? o.indicator}${partName(o)}`, text: o.comment! })),
    legend: legend(model.definition),
    kinds: Object.values(FIGURE_KINDS).map((k) => `Stadens värde kan vara ${k}.`),
  };
}

/** Swedish genitive of a name: "Skarpnäcks", "Bromma" → "Brommas", "Norrmalm" → "Norrmalms"; names in s, x or z take none. */
export function genitive(name: string): string {
  return /[sxz]$/i.test(name) ? name : `${name}s`;
}
