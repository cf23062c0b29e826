/**
 * What the reports show, worked out once from the aggregates: per focus area, a table per
 * indicator with the city and its units over the years; a summary with this year against last
 * and the trend flags; the reporting rate; the local work. The Excel and PDF reports both lay
 * this out; neither computes anything of its own.
 */
import type { AggregateRow, Aggregates } from "../aggregate/aggregate.js";
import type { ReportingRate } from "../aggregate/reporting-rate.js";
import type { Trend } from "../aggregate/trends.js";
import { CITY, focusAreaOf, statusItems, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { FocusArea, Indicator } from "../catalogue/schema.js";
import { formatNumber, formatPercent } from "../shared/format-sv.js";
import { groupBy } from "../shared/group-by.js";
import { TOTAL } from "../shared/vocabulary.js";
import type { TemplateDefinition } from "../template/definition.js";
import { CENTRAL } from "../template/layout.js";
import type { Activity, SelfAssessment } from "../validate/validate-submissions.js";
import { FIGURE_KINDS, symbolFor } from "./legend.js";

/** How many years the tables show. */
export const TABLE_YEARS = 10;

export interface Cell {
  /** The number as stored: a count, or a percentage 0–100. */
  value: number | null;
  /** As a person reads it: "1 234", "74,3 %", or a symbol. */
  text: string;
  status: AggregateRow["status"];
}

export interface TableRow {
  unit: string;
  name: string;
  /** City rows: which kind of figure. */
  kind?: string;
  isCity: boolean;
  cells: Cell[];
  /** This year's figure for women and men, for indicators broken down by sex. */
  women?: Cell;
  men?: Cell;
}

export interface IndicatorTable {
  indicator: Indicator;
  percent: boolean;
  years: number[];
  rows: TableRow[];
  cityTrend?: Trend;
  /** Status-list indicators: each activity's status this year. */
  items?: { label: string; status: string }[];
  /** Earlier years of merged units are shown as the unit they became. */
  mergerNote?: string;
}

export interface FocusAreaSection {
  focusArea: FocusArea;
  tables: IndicatorTable[];
}

export interface SummaryRow {
  focusArea: FocusArea;
  indicator: Indicator;
  previous: Cell;
  current: Cell;
  change: string;
  kind: string;
  wrongWay: boolean;
  notable: boolean;
}

export interface ReportModel {
  year: number;
  yc: YearCatalogue;
  sections: FocusAreaSection[];
  summary: SummaryRow[];
  reporting: ReportingRate | undefined;
  selfAssessments: SelfAssessment[];
  activities: Activity[];
  unitName(id: string): string;
  definition: TemplateDefinition;
}

export function buildReportModel(input: {
  yc: YearCatalogue;
  aggregates: Aggregates;
  reporting: ReportingRate | undefined;
  selfAssessments: SelfAssessment[];
  activities: Activity[];
  definition: TemplateDefinition;
}): ReportModel {
  const { yc, aggregates, definition } = input;
  const { catalogue } = yc;
  const rowsByIndicator = groupBy(aggregates.rows, (r) => r.indicator);
  const trendsByIndicator = groupBy(aggregates.trends, (t) => t.indicator);
  const names = new Map<string, string>([
    ...catalogue.units.map((u) => [u.id, u.name] as const),
    [CITY.id, CITY.name],
    [CENTRAL, definition.sheets.central],
  ]);
  const unitName = (id: string) => names.get(id) ?? id;

  const sectionsByArea = new Map<string, FocusAreaSection>();
  const summary: SummaryRow[] = [];
  for (const indicator of yc.indicators) {
    const focusArea = focusAreaOf(catalogue, indicator);
    const rows = rowsByIndicator.get(indicator.id) ?? [];
    const table = indicatorTable(indicator, rows, trendsByIndicator.get(indicator.id) ?? [], input, unitName);
    const section = sectionsByArea.get(focusArea.id) ?? { focusArea, tables: [] };
    section.tables.push(table);
    sectionsByArea.set(focusArea.id, section);
    if (indicator.measure !== "status") summary.push(summaryRow(focusArea, table));
  }
  // The plan's focus areas first, in order; the earlier plan's figures after them.
  const sections = [...sectionsByArea.values()].sort(
    (a, b) => (a.focusArea.number || 99) - (b.focusArea.number || 99),
  );
  return {
    year: yc.year,
    yc,
    sections,
    summary: summary.sort((a, b) => (a.focusArea.number || 99) - (b.focusArea.number || 99)),
    reporting: input.reporting,
    selfAssessments: input.selfAssessments,
    activities: input.activities,
    unitName,
    definition,
  };
}

function indicatorTable(
  indicator: Indicator,
  rows: AggregateRow[],
  trends: Trend[],
  input: { yc: YearCatalogue; definition: TemplateDefinition },
  unitName: (id: string) => string,
): IndicatorTable {
  const { yc, definition } = input;
  const percent = indicator.measure === "ratio" || indicator.measure === "survey";
  const first = Math.max(indicator.years.from, yc.year - TABLE_YEARS + 1);
  const years = Array.from({ length: yc.year - first + 1 }, (_, i) => first + i);
  const cellOf = (row: AggregateRow | undefined): Cell => makeCell(row, percent, definition);

  if (indicator.measure === "status") {
    const items = statusItems(indicator, yc.year).map((item) => {
      const row = rows.find((r) => r.year === yc.year && r.breakdown === item.id);
      return { label: item.label, status: typeof row?.value === "string" ? row.value : (symbolFor(row?.status ?? "missing", definition) ?? "") };
    });
    return { indicator, percent, years, rows: [], items };
  }

  const index = new Map(rows.map((r) => [`${r.unit}|${r.year}|${r.breakdown}|${r.aggregation ?? ""}`, r]));
  const get = (unit: string, year: number, breakdown = TOTAL, aggregation = "") =>
    index.get(`${unit}|${year}|${breakdown}|${aggregation}`);
  const tableRows: TableRow[] = [];
  if (indicator.level === "unit") {
    for (const unit of yc.units) {
      const row: TableRow = {
        unit: unit.id,
        name: unit.name,
        isCity: false,
        cells: years.map((y) => cellOf(get(unit.id, y))),
      };
      if (indicator.breakdown === "sex") {
        row.women = cellOf(get(unit.id, yc.year, "K"));
        row.men = cellOf(get(unit.id, yc.year, "M"));
      }
      tableRows.push(row);
    }
  }
  const cityRow: TableRow = {
    unit: CITY.id,
    name: CITY.name,
    kind: FIGURE_KINDS[indicator.aggregation as keyof typeof FIGURE_KINDS],
    isCity: true,
    cells: years.map((y) => cellOf(get(CITY.id, y, TOTAL, indicator.aggregation))),
  };
  if (indicator.breakdown === "sex") {
    cityRow.women = cellOf(get(CITY.id, yc.year, "K", indicator.aggregation));
    cityRow.men = cellOf(get(CITY.id, yc.year, "M", indicator.aggregation));
  }
  tableRows.push(cityRow);
  if (indicator.showUnweightedMean) {
    tableRows.push({
      unit: CITY.id,
      name: "Ovägt medelvärde",
      kind: FIGURE_KINDS["unweighted-mean"],
      isCity: true,
      cells: years.map((y) => cellOf(get(CITY.id, y, TOTAL, "unweighted-mean"))),
    });
  }
  const merged = yc.catalogue.units.filter((u) => u.mergedInto && years.some((y) => y < u.mergedInto!.year));
  const mergerNote =
    merged.length > 0
      ? `${unitName(merged[0]!.mergedInto!.unit)} före ${merged[0]!.mergedInto!.year}: ${merged.map((u) => u.name).join(" och ")} tillsammans.`
      : undefined;
  const cityTrend = trends.find((t) => t.unit === CITY.id && t.year === yc.year);
  return { indicator, percent, years, rows: tableRows, ...(cityTrend ? { cityTrend } : {}), ...(mergerNote ? { mergerNote } : {}) };
}

function summaryRow(focusArea: FocusArea, table: IndicatorTable): SummaryRow {
  const city = table.rows.find((r) => r.isCity)!;
  const current = city.cells.at(-1)!;
  const previous = city.cells.at(-2) ?? { value: null, text: "..", status: "missing" as const };
  const change =
    current.value !== null && previous.value !== null ? formatChange(current.value - previous.value, table.percent) : "";
  return {
    focusArea,
    indicator: table.indicator,
    previous,
    current,
    change,
    kind: city.kind ?? "",
    wrongWay: table.cityTrend?.wrongWay ?? false,
    notable: table.cityTrend?.notable ?? false,
  };
}

export function makeCell(row: AggregateRow | undefined, percent: boolean, definition: TemplateDefinition): Cell {
  if (!row) return { value: null, text: definition.symbols.notAvailable.symbol, status: "missing" };
  if (row.status !== "ok" || typeof row.value !== "number") {
    return { value: null, text: symbolFor(row.status === "ok" ? "missing" : row.status, definition)!, status: row.status === "ok" ? "missing" : row.status };
  }
  return { value: row.value, text: percent ? formatPercent(row.value) : formatNumber(row.value, 0), status: "ok" };
}

/** "+2,5 procentenheter", "−3" (a true minus sign, as Swedish typesetting wants). */
export function formatChange(change: number, percent: boolean): string {
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  const size = percent ? formatNumber(Math.abs(change)) : formatNumber(Math.abs(change), 0);
  return `${sign}${size}${percent ? " procentenheter" : ""}`;
}
