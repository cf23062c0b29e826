/**
 * A district's page: its indicators against last year and against the other units, its
 * self-assessment and activities, its comments, and its own findings and unconfirmed values.
 * Reporters' text is passed as plain strings; the template escapes it.
 *
 * Comparisons are like for like: a unit's count is set against the median of the units (the
 * city's sum is of another size); a share against the city's share. A value shown as ".." says
 * why: not submitted, rejected by validation, or not reported.
 */
import type { Observation, ReportingUnit } from "../model/records.js";
import type { Trend } from "../aggregate/trends.js";
import { focusAreaLabel, focusAreaShortLabel } from "../catalogue/catalogue-for-year.js";
import type { Unit } from "../catalogue/schema.js";
import { findingText } from "../report/finding-labels.js";
import { legend, missingReasonText, notAdmittedText } from "../report/legend.js";
import { formatChange, type IndicatorTable, ownReportingShown, type ReportModel, roundShown, showNumber } from "../report/report-model.js";
import { SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";

import { legendNotes } from "../report/report-text.js";
import { reportNotice } from "../report/report-text.js";
import { paperHead, type TableView } from "./board-view.js";
import { medianOf } from "./charts.js";

export function districtView(model: ReportModel, unit: Unit, trends: Trend[], observations: Observation[], date: Date) {
  const year = model.year;
  const na = model.definition.symbols.notAvailable.symbol;
  const ownTrends = new Map(trends.filter((t) => t.unit === unit.id && t.year === year).map((t) => [t.indicator, t]));
  const reporting = model.reporting?.units.find((u) => u.reporter === unit.id);
  const admitted = reporting?.admitted ?? true;
  /** The unit's file holds the year's figures (or this is a preview), so its findings may quote them. */
  const fileIsFigures = model.preview || (admitted && !reporting?.changes);
  const reasons: string[] = [];
  const hasCentral = model.sections.some((s) => s.tables.some((t) => !t.items && t.indicator.level === "unit" && t.indicator.reportedBy === "central"));
  const focusAreas = model.sections.map((section) => {
    const fa = section.focusArea;
    const table: TableView = {
      head: ["Indikator", String(year - 1), String(year), "Förändring", `Jämförelse ${year}`, "Trend"],
      rows: section.tables
        .filter((t) => !t.items && t.indicator.level === "unit")
        .map((t) => {
          const own = t.rows.find((r) => r.unit === unit.id);
          const current = own?.cells.at(-1);
          const previous = own?.cells.at(-2);
          const trend = ownTrends.get(t.indicator.id);
          const change =
            trend && trend.kind !== "none" && trend.value !== null && trend.previous !== null
              ? formatChange(roundShown(trend.value, t.percent) - roundShown(trend.previous, t.percent), t.percent)
              : "";
          for (const [y, cell] of [[year - 1, previous], [year, current]] as const) {
            // The unit's own not handing in is said once, above the tables.
            if (cell?.status !== "missing" || !cell.reason || (y === year && !admitted)) continue;
            reasons.push(`${t.indicator.shortTitle} ${y}: ${missingReasonText(cell.reason, t.indicator.reportedBy === "central")}.`);
          }
          return {
            name: t.indicator.shortTitle,
            city: false,
            cells: [previous?.text ?? na, current?.text ?? na, change, reference(t, model), trendText(trend)],
          };
        }),
    };
    return { heading: fa.number > 0 ? `${fa.number}. ${fa.title}` : fa.title, table };
  });

  // Not admitted: the self-assessment and activities are drafts too, and not shown; "Ingen
  // skattning" or "inga aktiviteter" would say the unit reported none.
  const ownShown = ownReportingShown(model, unit.id);
  const scores = new Map(model.selfAssessments.filter((s) => s.unit === unit.id).map((s) => [s.focusArea, s]));
  const selfAssessment: TableView = {
    head: ["Fokusområde", "Skattning", "Innebörd"],
    rows: model.yc.plan.focusAreas.map((f) => {
      const score = scores.get(f.id)?.score ?? null;
      const meaning = !ownShown ? "Visas inte (se ovan)" : score === null ? "Ingen skattning" : (SELF_ASSESSMENT_SCALE[score - 1]?.label ?? "");
      return { name: focusAreaLabel(f), city: false, cells: [score === null || !ownShown ? na : String(score), meaning] };
    }),
  };
  const areaName = new Map(model.yc.plan.focusAreas.map((f) => [f.id, focusAreaShortLabel(f)]));
  const indicatorName = new Map(model.yc.catalogue.indicators.map((i) => [i.id, i.shortTitle]));
  const partName = (o: Observation) => (o.breakdown === "T" ? "" : ` (${o.breakdown})`);
  // A finding quotes values; none may quote one that the tables hide as too small a group.
  // (Findings compare with last year too, so last year's hidden figures count as well.)
  const hidden = new Set(model.rows.filter((r) => r.unit === unit.id && r.year >= year - 1 && r.status === "suppressed").map((r) => r.indicator));
  const findings = model.findings
    .filter((f) => f.unit === unit.id && !(f.indicator && hidden.has(f.indicator)))
    .map((f) => ({
      severity: f.severity === "error" ? "Fel" : "Varning",
      where: [f.sheet ? `fliken ${f.sheet}` : "", f.cell ? `cell ${f.cell}` : ""].filter(Boolean).join(", "),
      // A not-admitted unit's draft values, and a file changed since its approval, are not the
      // year's figures: the page names each finding without them.
      message: findingText(f, fileIsFigures),
    }));
  const unconfirmed = observations
    .filter((o) => o.unit === unit.id && o.unconfirmed && fileIsFigures)
    .map((o) => `${indicatorName.get(o.indicator) ?? o.indicator}${partName(o)}`);
  return {
    title: `${unit.name}: uppföljning ${year} av handlingsplanen`,
    author: unit.name,
    head: { ...paperHead(model, date, unit.board ?? unit.name), kind: "Uppföljning per förvaltning" },
    exampleNotice: reportNotice(model),
    intro: `Sidan visar ${genitive(unit.name)} värden för handlingsplanens indikatorer ${year}, jämfört med förra året och med övriga enheter, och förvaltningens självskattning och aktiviteter. Antal jämförs med enheternas median, andelar med stadens andel. Indikatorer som rapporteras för hela staden finns i nämndrapporten.`,
    notSubmitted: standing(unit.name, year, reporting, model.preview, hasCentral),
    focusAreas: focusAreas.filter((f) => f.table.rows.length > 0),
    reasons,
    findings,
    unconfirmed,
    selfAssessmentIntro: "Förvaltningens egen bedömning av hur nära det önskade läget den står i varje fokusområde.",
    selfAssessment,
    noActivities: ownShown ? "Enheten har inte redovisat några aktiviteter." : `Enhetens aktiviteter för ${year} visas inte (se ovan).`,
    activities: model.activities
      .filter((a) => a.unit === unit.id && ownShown)
      .map((a) => ({ focusArea: areaName.get(a.focusArea) ?? a.focusArea, activity: a.activity, followUp: a.followUp ?? "", status: a.status ?? "" })),
    // A comment may quote its value: only with values that are shown (admitted, not hidden).
    comments: observations
      .filter((o) => o.unit === unit.id && o.comment && fileIsFigures && !hidden.has(o.indicator))
      .map((o) => ({ indicator: `${indicatorName.get(o.indicator) ?? o.indicator}${partName(o)}`, text: o.comment! })),
    legend: legend(model.definition, model.preview),
    kinds: legendNotes(model),
  };
}

/** What a unit's figure is set against: the city's share, or the units' median count. */
function reference(t: IndicatorTable, model: ReportModel): string {
  if (t.percent) {
    const city = t.rows.find((r) => r.isCity)?.cells.at(-1);
    return city ? `Staden ${city.text}` : "";
  }
  const values = t.rows
    .filter((r) => !r.isCity)
    .map((r) => r.cells.at(-1)?.value)
    .filter((v): v is number => typeof v === "number");
  return values.length === 0 ? model.definition.symbols.notAvailable.symbol : `Median ${showNumber(medianOf(values), false)}`;
}

function trendText(t: Trend | undefined): string {
  if (!t || t.kind === "none") return "";
  if (t.wrongWay) return t.kind === "trend" ? "Går åt fel håll" : "Ändring åt fel håll";
  return "";
}

/** What the page says first when the unit's values are not the year's figures, or were changed since approval. */
function standing(name: string, year: number, unit: ReportingUnit | undefined, preview: boolean, hasCentral: boolean): string {
  if (!unit) return "";
  if (unit.changes) {
    return `${name} är godkänd, men filen har ändrats sedan dess (${unit.changes.length === 1 ? "ett värde" : `${unit.changes.length} värden`}). Sidan visar de godkända värdena.`;
  }
  if (unit.admitted) return "";
  const what = `${name} ${notAdmittedText(unit)} för ${year}`;
  return preview
    ? `${what}. I förhandsvisningen visas enhetens utkast, märkta †; i rapporten till nämnderna står de som .. och ingår inte i stadens värden.`
    : `${what}. ${hasCentral ? "De värden som enheten själv rapporterar" : "Enhetens värden"} för ${year} visas därför inte (..) och ingår inte i stadens värden.${
        hasCentral ? " Värden från den centrala rapporteringen, som medarbetarenkäten, visas som vanligt." : ""
      }`;
}

/** Swedish genitive of a name: "Skarpnäcks", "Bromma" → "Brommas", "Norrmalm" → "Norrmalms"; names in s, x or z take none. */
export function genitive(name: string): string {
  return /[sxz]$/i.test(name) ? name : `${name}s`;
}
