/**
 * What the reports show, worked out once from the aggregates: per focus area, a table per
 * indicator with the city and its units over the years; a summary with this year against last
 * and the trend flags; the reporting rate; the local work. The Excel and PDF reports both lay
 * this out; neither computes anything of its own.
 */
import type { Activity, ReportingRate, SelfAssessment } from "../model/records.js";
import type { AggregateRow, Aggregates } from "../aggregate/aggregate.js";

import type { Trend } from "../aggregate/trends.js";
import { breakdownParts, CITY, focusAreaOf, statusItems, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { FocusArea, Indicator } from "../catalogue/schema.js";
import { isShare } from "../catalogue/figure.js";
import type { PartialSumRule } from "../catalogue/schema.js";
import { formatNumber, formatPercentagePoints, joinSv, sortSv } from "../shared/format-sv.js";
import { groupBy } from "../shared/group-by.js";
import { TOTAL } from "../shared/vocabulary.js";
import { nameKey, type TemplateDefinition } from "../template/definition.js";
import { CENTRAL } from "../template/layout.js";
import type { Finding } from "../model/findings.js";

import { type Cell, makeCell, publishedFigures, type PublishedFigure, roundShown, showNumber } from "./figures.js";
import { FIGURE_KINDS, missingReasonText, symbolFor } from "./legend.js";
import type { Provenance } from "./provenance.js";

export { type Cell, makeCell, roundShown, showNumber } from "./figures.js";

/** How many years the tables show. */
export const TABLE_YEARS = 10;


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
  /** Under the table: which units the city lacks and why, and which values are unconfirmed. */
  notes: string[];
}

export interface FocusAreaSection {
  focusArea: FocusArea;
  tables: IndicatorTable[];
}

export interface SummaryRow {
  focusArea: FocusArea;
  indicator: Indicator;
  /** The city's figure last year and this year, as the tables show them. */
  previous: Cell;
  current: Cell;
  /** The change over the comparison's units (like for like); "" without a comparison. */
  change: string;
  /**
   * When the comparison's units are not the city's figures (a unit missing or unconfirmed one
   * of the years): "Jämförbara enheter 2024–2025: 447 → 475, 14 av 15 enheter"; else "".
   */
  likeForLike: string;
  kind: string;
  wrongWay: boolean;
  notable: boolean;
  /** The city's comparison, when there is one. */
  comparison: Trend | undefined;
  /** What the comparison covers, or why there is none, in Swedish. */
  basis: string;
}

export interface ReportModel {
  year: number;
  yc: YearCatalogue;
  sections: FocusAreaSection[];
  summary: SummaryRow[];
  reporting: ReportingRate | undefined;
  selfAssessments: SelfAssessment[];
  /** The units' own activities. */
  activities: Activity[];
  /** The plan's city-wide activities, each with the central tab's status and follow-up for the year. */
  cityActivities: CityActivity[];
  /** Built on made-up example data (example workbooks or example history): every output says so. */
  exampleData: boolean;
  unitName(id: string): string;
  definition: TemplateDefinition;
  /** Validation's findings, for the units' own pages. */
  findings: Finding[];
  /** Every aggregate row, for the reasons behind a unit's missing values. */
  rows: AggregateRow[];
  /** Every figure as published: what the Data tab and aggregates.json give, the same as the tables. */
  figures: PublishedFigure[];
  /** A preview with drafts for the project leader: never delivered, and every page says so. */
  preview: boolean;
  /** What the run read: its id, the workbooks and imports with their SHA-256, the history's years. */
  provenance?: Provenance;
}

export interface CityActivity {
  focusArea: FocusArea;
  activity: string;
  /** This year's status, or null when the central tab gives none. */
  status: string | null;
  followUp: string | null;
}

/**
 * Whether a unit's own reporting (values, self-assessment, activities) is among the year's
 * figures: it is admitted, or this is the preview with drafts. A unit that is not shows ..,
 * never an empty list or a zero count that reads as "reported nothing".
 */
export function ownReportingShown(model: Pick<ReportModel, "preview" | "reporting">, unitId: string): boolean {
  if (model.preview || !model.reporting) return true;
  return model.reporting.units.find((u) => u.reporter === unitId)?.admitted ?? false;
}

/**
 * The note beside the local work (board paper and Excel alike), or undefined when every unit
 * counts: "Självskattning och aktiviteter visas inte (..) för de enheter som inte räknas 2025:
 * Skarpnäck (lämnade in med fel)."
 */
export function localWorkNotCountedNote(model: Pick<ReportModel, "preview" | "reporting" | "yc" | "year">): string | undefined {
  const out = model.yc.units.filter((u) => !ownReportingShown(model, u.id));
  if (out.length === 0) return undefined;
  const named = out.map((u) => {
    const reason = model.reporting?.units.find((x) => x.reporter === u.id)?.reason;
    return `${u.name} (${reason ? missingReasonText(reason, false) : "har inte lämnat in"})`;
  });
  return `Självskattning och aktiviteter visas inte (..) för de enheter som inte räknas ${model.year}: ${joinSv(sortSv(named))}.`;
}

/** The plan's city-wide activities in plan order, with what the central tab says of each. */
function cityActivities(yc: YearCatalogue, reported: Activity[]): CityActivity[] {
  const byName = new Map(reported.map((a) => [nameKey(a.activity), a]));
  return yc.plan.focusAreas.flatMap((focusArea) =>
    focusArea.cityActivities.map((activity) => {
      const own = byName.get(nameKey(activity));
      return { focusArea, activity, status: own?.status ?? null, followUp: own?.followUp ?? null };
    }),
  );
}

export function buildReportModel(input: {
  yc: YearCatalogue;
  aggregates: Aggregates;
  reporting: ReportingRate | undefined;
  selfAssessments: SelfAssessment[];
  activities: Activity[];
  definition: TemplateDefinition;
  findings?: Finding[];
  exampleData?: boolean;
  preview?: boolean;
  provenance?: Provenance;
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
    if (indicator.measure !== "status") summary.push(summaryRow(focusArea, table, unitName, yc.units.map((u) => u.name), definition.symbols.notAvailable.symbol));
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
    activities: input.activities.filter((a) => a.unit !== CENTRAL),
    cityActivities: cityActivities(yc, input.activities.filter((a) => a.unit === CENTRAL)),
    exampleData: input.exampleData ?? false,
    unitName,
    definition,
    findings: input.findings ?? [],
    rows: aggregates.rows,
    figures: publishedFigures(yc, aggregates.rows, definition, input.provenance?.history),
    ...(input.provenance ? { provenance: input.provenance } : {}),
    preview: input.preview ?? false,
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
  const percent = isShare(indicator);
  const first = Math.max(indicator.years.from, yc.year - TABLE_YEARS + 1);
  const years = Array.from({ length: yc.year - first + 1 }, (_, i) => first + i);
  const rule = yc.catalogue.coverage.partialSums;
  const cellOf = (row: AggregateRow | undefined): Cell => makeCell(row, indicator, definition, rule);

  if (indicator.measure === "status") {
    const items = statusItems(indicator, yc.year).map((item) => {
      const row = rows.find((r) => r.year === yc.year && r.breakdown === item.id);
      return { label: item.label, status: typeof row?.value === "string" ? row.value : (symbolFor(row?.status ?? "missing", definition) ?? "") };
    });
    return { indicator, percent, years, rows: [], items, notes: [] };
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
  const notes = tableNotes(yc.catalogue, indicator, rows, years, rule, unitName);
  return { indicator, percent, years, rows: tableRows, notes, ...(cityTrend ? { cityTrend } : {}), ...(mergerNote ? { mergerNote } : {}) };
}

/**
 * The notes under an indicator's table: for each year the city figure lacks units, which and
 * why; and the values that are unconfirmed.
 */
function tableNotes(
  catalogue: YearCatalogue["catalogue"],
  indicator: Indicator,
  rows: AggregateRow[],
  years: number[],
  rule: PartialSumRule,
  unitName: (id: string) => string,
): string[] {
  const notes: string[] = [];
  const central = indicator.reportedBy === "central";
  const city = rows.filter((r) => r.unit === CITY.id && r.breakdown === TOTAL && r.aggregation === indicator.aggregation && years.includes(r.year));
  for (const r of city.sort((a, b) => b.year - a.year)) {
    if (r.status !== "partial" || !r.missingUnits) continue;
    const lacking = joinSv(sortSv(r.missingUnits.map((m) => `${unitName(m.unit)} (${missingReasonText(m.reason, central)})`)));
    const of = `${r.units!.included} av ${r.units!.expected} enheter`;
    notes.push(
      indicator.measure === "count" && rule === "withhold"
        ? `Staden ${r.year}: summan redovisas inte, eftersom den bara omfattar ${of}. Saknas: ${lacking}.`
        : `Staden ${r.year} omfattar ${of}${shareOfBase(indicator, r, rows)}. Saknas: ${lacking}.`,
    );
  }
  const unconfirmed = rows.filter((r) => r.unconfirmed && r.unit !== CITY.id && years.includes(r.year) && !r.mappedFrom);
  const partLabel = new Map(breakdownParts(catalogue, indicator.breakdown).map((p) => [p.key, p.label.toLocaleLowerCase("sv-SE")]));
  for (const [year, list] of [...groupBy(unconfirmed, (r) => r.year).entries()].sort(([a], [b]) => b - a)) {
    const names = sortSv(list.map((r) => (r.breakdown === TOTAL ? unitName(r.unit) : `${unitName(r.unit)} (${partLabel.get(r.breakdown) ?? r.breakdown})`)));
    notes.push(
      `Obekräftat ${year}: ${joinSv(names)}. Värdet ändrades mycket mot året innan utan förklaring; det ingår i stadens värde men inte i jämförelser${list.some((r) => r.breakdown === TOTAL) ? " (märkt ? i tabellen)" : ""}.`,
    );
  }
  return notes;
}

/**
 * For shares: how much of last year's denominator (or respondents) the included units had,
 * when every left-out unit's figure last year is published.
 */
function shareOfBase(indicator: Indicator, city: AggregateRow, rows: AggregateRow[]): string {
  if (indicator.measure === "count" || !city.missingUnits) return "";
  const field = indicator.measure === "ratio" ? "denominator" : "respondents";
  const last = (unit: string) => rows.find((r) => r.unit === unit && r.year === city.year - 1 && r.breakdown === TOTAL && r.status === "ok");
  const lacking = city.missingUnits.map((m) => last(m.unit)?.[field]);
  const included = city[field];
  if (included === undefined || lacking.some((v) => v === undefined)) return "";
  const total = included + lacking.reduce<number>((a, b) => a + (b ?? 0), 0);
  const what = indicator.measure === "ratio" ? "nämnaren" : "de svarande";
  return total > 0 ? `, ungefär ${formatNumber(Math.floor((included / total) * 100), 0)} % av ${what} räknat på förra årets antal` : "";
}

function summaryRow(focusArea: FocusArea, table: IndicatorTable, unitName: (id: string) => string, expectedNames: string[], notAvailable: string): SummaryRow {
  const city = table.rows.find((r) => r.isCity)!;
  const t = table.cityTrend;
  const compared = t !== undefined && t.kind !== "none" && t.value !== null && t.previous !== null;
  const none: Cell = { value: null, text: notAvailable, status: "missing", marks: [] };
  const previous = city.cells.at(-2) ?? none;
  const current = city.cells.at(-1) ?? none;
  // The comparison is over the units with comparable values both years: when those are not the
  // city's own figures, it is said as what it is, never under the city's value.
  const same = compared && previous.value === roundShown(t.previous!, table.percent) && current.value === roundShown(t.value!, table.percent);
  const likeForLike =
    compared && !same
      ? `Jämförbara enheter ${t.years[0]}–${t.years.at(-1)}: ${showNumber(t.previous!, table.percent)} → ${showNumber(t.value!, table.percent)}, ${t.units.length} av ${t.expected} enheter`
      : "";
  return {
    focusArea,
    indicator: table.indicator,
    previous,
    current,
    change: compared ? formatChange(roundShown(t.value!, table.percent) - roundShown(t.previous!, table.percent), table.percent) : "",
    likeForLike,
    kind: city.kind ?? "",
    wrongWay: (compared && t.wrongWay) ?? false,
    notable: (compared && t.notable) ?? false,
    comparison: t,
    basis: t ? comparisonBasis(t, unitName, expectedNames) : "",
  };
}

/** "Alla 15 enheter, 2021–2025", "14 av 15 enheter, 2024–2025 (utanför: Skarpnäck)": the units with comparable values. */
export function comparisonBasis(t: Trend, unitName: (id: string) => string, expectedNames: string[]): string {
  if (t.kind === "none") return t.withheld ?? "";
  const span = `${t.years[0]}–${t.years.at(-1)}`;
  if (t.units.length >= t.expected) return `Alla ${t.expected} enheter, ${span}`;
  const included = new Set(t.units.map(unitName));
  const lacking = sortSv(expectedNames.filter((n) => !included.has(n)));
  return `${t.units.length} av ${t.expected} enheter, ${span}${lacking.length > 0 ? ` (utanför: ${joinSv(lacking)})` : ""}`;
}

/**
 * "+2,5 procentenheter", "−1,0 procentenhet", "−3" (a true minus sign, as Swedish typesetting
 * wants); the sign follows the change as shown, so a change that rounds to zero is "±0".
 */
export function formatChange(change: number, percent: boolean): string {
  const shown = roundShown(change, percent);
  const sign = shown > 0 ? "+" : shown < 0 ? "−" : "±";
  return percent ? `${sign}${formatPercentagePoints(Math.abs(shown))}` : `${sign}${formatNumber(Math.abs(shown), 0)}`;
}
