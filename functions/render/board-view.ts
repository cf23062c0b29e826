/**
 * The board report's view: every string and table the template shows, worked out from the
 * report model. The template only lays it out.
 */
import type { Trend } from "../aggregate/trends.js";
import { focusAreaShortLabel } from "../catalogue/catalogue-for-year.js";
import { analyse } from "../report/analysis.js";
import { legend } from "../report/legend.js";
import { legendNotes, notCompared, wrongWayFlag } from "../report/report-text.js";
import type { Cell, IndicatorTable, ReportModel } from "../report/report-model.js";
import { reportingSentence } from "../aggregate/reporting-rate.js";
import { formatLongDate, formatNumber, joinSv, lowerFirst } from "../shared/format-sv.js";
import { ACTIVITY_STATUSES, SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";
import { type Chart, indicatorCharts } from "./charts.js";

export interface TableView {
  caption?: string;
  head: string[];
  rows: { name: string; city: boolean; cells: string[] }[];
}

/** Years shown in the focus-area tables; the appendix shows all the model has. */
const SECTION_YEARS = 5;

export async function boardView(model: ReportModel, trends: Trend[], date: Date) {
  const { yc } = model;
  const title = `Uppföljning ${model.year} av ${yc.plan.title}`;
  const sentences = analyse(model, trends);
  const r = model.reporting;
  const focusAreas = [];
  for (const section of model.sections) {
    const fa = section.focusArea;
    const indicators = [];
    for (const table of section.tables) {
      const charts: Chart[] = table.items ? [] : await indicatorCharts(model, table);
      indicators.push({
        id: table.indicator.id,
        title: table.indicator.title,
        source: table.indicator.source,
        kind: table.rows.find((row) => row.isCity)?.kind ?? "ingen sammanvägning",
        flag: wrongWayFlag(table),
        notes: table.notes,
        items: table.items ?? null,
        table: table.items ? null : tableView(table, SECTION_YEARS),
        charts,
      });
    }
    focusAreas.push({
      id: fa.id,
      heading: fa.number > 0 ? `Fokusområde ${fa.number}: ${fa.title}` : `Uppföljning sedan 2016: ${fa.title.toLocaleLowerCase("sv-SE")}`,
      desiredState: fa.desiredState,
      indicators,
    });
  }

  const boards = joinSv(yc.catalogue.report.boards);
  return {
    year: model.year,
    title,
    author: joinSv(yc.catalogue.report.administrations),
    head: paperHead(model, date, `Tjänsteutlåtande till ${boards.toLocaleLowerCase("sv-SE")}`),
    // The standing prose of the paper is in templates/board-report.hbs; these are its variables.
    boards,
    plan: { title: yc.plan.title, focusAreas: joinSv(yc.plan.focusAreas.map((f) => lowerFirst(f.title))) },
    summary: {
      improved: sentences.filter((s) => s.improved).map((s) => s.text),
      wrongWay: sentences.filter((s) => s.wrongWay).map((s) => s.text),
      notCompared: notCompared(model),
      reporting: r
        ? reportingSentence(r)
        : "Ingen uppgift om rapporteringen.",
    },
    focusAreas,
    localWork: localWork(model),
    analysis: sentences.map((s) => s.text),
    legend: legend(model.definition),
    kinds: legendNotes(model),
    mergerNote: model.sections.flatMap((s) => s.tables).find((t) => t.mergerNote)?.mergerNote ?? "",
    appendix: model.sections.flatMap((s) =>
      s.tables.filter((t) => !t.items).map((t) => ({ title: t.indicator.shortTitle, table: tableView(t, t.years.length) })),
    ),
  };
}

export function paperHead(model: ReportModel, date: Date, to: string) {
  const { yc } = model;
  return {
    administrations: joinSv(yc.catalogue.report.administrations),
    kind: "Tjänsteutlåtande",
    dnr: yc.dnr ?? "",
    date: formatLongDate(date.toISOString().slice(0, 10)),
    to,
  };
}

/** A unit × year table with the city rows last and, where there is one, women and men this year. */
export function tableView(table: IndicatorTable, years: number): TableView {
  const from = Math.max(0, table.years.length - years);
  const sex = table.rows.some((r) => r.women);
  return {
    head: ["Enhet", ...table.years.slice(from).map(String), ...(sex ? [`Kvinnor ${table.years.at(-1)}`, `Män ${table.years.at(-1)}`] : [])],
    rows: table.rows.map((r) => ({
      name: r.name,
      city: r.isCity,
      cells: [...r.cells.slice(from).map(text), ...(sex ? [text(r.women), text(r.men)] : [])],
    })),
  };
}

const text = (cell: Cell | undefined) => cell?.text ?? "";

function localWork(model: ReportModel) {
  const areas = model.yc.plan.focusAreas;
  const scores = new Map(model.selfAssessments.map((s) => [`${s.unit}|${s.focusArea}`, s.score]));
  const na = model.definition.symbols.notAvailable.symbol;
  const matrix: TableView = {
    caption: "Självskattning: hur nära det önskade läget enheten står (1–5)",
    head: ["Enhet", ...areas.map(focusAreaShortLabel)],
    rows: model.yc.units.map((u) => ({
      name: u.name,
      city: false,
      cells: areas.map((a) => String(scores.get(`${u.id}|${a.id}`) ?? na)),
    })),
  };
  const counts: TableView = {
    caption: "Antal aktiviteter per status",
    head: ["Enhet", ...ACTIVITY_STATUSES, "Totalt"],
    rows: model.yc.units.map((u) => {
      const own = model.activities.filter((a) => a.unit === u.id);
      return {
        name: u.name,
        city: false,
        cells: [...ACTIVITY_STATUSES.map((s) => formatNumber(own.filter((a) => a.status === s).length, 0)), formatNumber(own.length, 0)],
      };
    }),
  };
  // A few activities to show: the completed ones first, one per unit, in catalogue order.
  const notable = model.yc.units
    .map((u) => {
      const own = model.activities.filter((a) => a.unit === u.id);
      return own.find((a) => a.status === "Genomförd") ?? own[0];
    })
    .filter((a) => a !== undefined)
    .slice(0, 6)
    .map((a) => ({ unit: model.unitName(a.unit), activity: a.activity, followUp: a.followUp ?? "–", status: (a.status ?? "status saknas").toLocaleLowerCase("sv-SE") }));
  return {
    intro: `Varje förvaltning skattar hur nära det önskade läget den står i varje fokusområde (${SELF_ASSESSMENT_SCALE[0].score} = ${SELF_ASSESSMENT_SCALE[0].label.toLocaleLowerCase("sv-SE")}, ${SELF_ASSESSMENT_SCALE[4].score} = ${SELF_ASSESSMENT_SCALE[4].label.toLocaleLowerCase("sv-SE")}) och redovisar sina aktiviteter och hur de följs upp.`,
    matrix,
    counts,
    notable,
  };
}

