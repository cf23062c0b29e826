/**
 * The year's published figures: every indicator, unit, year and breakdown as the outputs show
 * it, worked out once (makeCell) and read by the Excel report's Data tab, the project leader's
 * aggregates.json and the tables alike. A figure that is not shown (withheld, suppressed, not
 * admitted) carries its symbol and reason, never its number, nor the numerator, denominator or
 * respondents it was made from.
 */
import type { AggregateRow } from "../aggregate/aggregate.js";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { isShare } from "../catalogue/figure.js";
import type { Indicator } from "../catalogue/schema.js";
import type { MissingReason } from "../model/records.js";
import type { HistoryOrigin, ValueOrigin } from "../model/origin.js";
import type { Sex } from "../shared/vocabulary.js";
import type { TemplateDefinition } from "../template/definition.js";
import { type Mark, MARKS, symbolFor } from "./legend.js";
import { CITY } from "../catalogue/catalogue-for-year.js";
import type { PartialSumRule } from "../catalogue/schema.js";
import { formatNumber, formatPercentFixed } from "../shared/format-sv.js";

export interface Cell {
  /** The number as shown: a count, or a percentage 0–100; null when a symbol is shown. */
  value: number | null;
  /** As a person reads it: "1 234", "74,3 %", "74,3 %*", or a symbol. */
  text: string;
  status: AggregateRow["status"];
  /** Marks after the figure (see MARKS in legend.ts). */
  marks: Mark[];
  /** A unit's value not shown: why (its reporter did not hand in, …). */
  reason?: MissingReason;
  /** A city sum not shown because it lacks units (`partialSums: withhold`). */
  withheld?: true;
}

/**
 * A figure as every output shows it: the one place that decides whether a number is printed,
 * at which precision, with which marks, or which symbol stands in its place and why.
 */
export function makeCell(row: AggregateRow | undefined, indicator: Indicator, definition: TemplateDefinition, rule: PartialSumRule): Cell {
  const percent = isShare(indicator);
  if (!row) return { value: null, text: definition.symbols.notAvailable.symbol, status: "missing", marks: [] };
  const withheld = row.status === "partial" && indicator.measure === "count" && rule === "withhold" && row.unit === CITY.id;
  if ((row.status !== "ok" && row.status !== "partial") || typeof row.value !== "number" || withheld) {
    const status = row.status === "ok" ? "missing" : row.status;
    const symbol = symbolFor(status, definition) ?? definition.symbols.notAvailable.symbol;
    if (withheld) return { value: null, text: `${symbol}${MARKS.partial.symbol}`, status, marks: ["partial"], withheld: true };
    return { value: null, text: symbol, status, marks: [], ...(status === "missing" && row.missingReason ? { reason: row.missingReason } : {}) };
  }
  const marks: Mark[] = [];
  if (row.status === "partial") marks.push("partial");
  if (row.unconfirmed || (row.unconfirmedUnits?.length ?? 0) > 0) marks.push("unconfirmed");
  if (row.draft || (row.draftUnits?.length ?? 0) > 0) marks.push("draft");
  const text = showNumber(row.value, percent) + marks.map((m) => MARKS[m].symbol).join("");
  return { value: roundShown(row.value, percent), text, status: row.status, marks };
}

/** One number of decimals per kind: shares with one ("77,0 %"), counts with none. */
export function showNumber(value: number, percent: boolean): string {
  return percent ? formatPercentFixed(value) : formatNumber(value, 0);
}

/** The value at the precision shown, so that nothing delivered is more precise than the page. */
export function roundShown(value: number, percent: boolean): number {
  return percent ? Math.round(value * 10) / 10 : Math.round(value);
}

/** How a figure is published: shown plainly or marked, or not shown and why. */
export const FIGURE_STATUSES = ["ok", "partial", "withheld", "missing", "suppressed", "not-applicable"] as const;
export type FigureStatus = (typeof FIGURE_STATUSES)[number];
/** Each status as a word, as the Data tab and the open data give it. */
export const FIGURE_STATUS_TEXT: Record<FigureStatus, string> = {
  ok: "ok",
  partial: "delvis",
  withheld: "redovisas inte",
  missing: "saknas",
  suppressed: "skyddad",
  "not-applicable": "ej aktuell",
};

export interface PublishedFigure {
  indicator: string;
  unit: string;
  year: number;
  sex: Sex;
  breakdown: string;
  /** City rows: the kind of figure. */
  aggregation?: AggregateRow["aggregation"];
  /** The number as shown (a count, or a percentage 0–100 with one decimal), or a status-list text; null when a symbol stands. */
  value: number | string | null;
  /** As a person reads it: "1 234", "74,3 %*", "..", "×". */
  text: string;
  status: FigureStatus;
  marks: Mark[];
  /** A unit's value not shown: why. */
  reason?: MissingReason;
  /** Parts of a shown share: summed over the units it includes. */
  numerator?: number;
  denominator?: number;
  respondents?: number;
  /** City rows: the units it includes of those expected, those it lacks and why, those unconfirmed and (a preview) drafts. */
  units?: { included: number; expected: number };
  missingUnits?: { unit: string; reason: MissingReason }[];
  unconfirmedUnits?: string[];
  draftUnits?: string[];
  /** Earlier years of a merged unit: what it was made from. */
  mappedFrom?: string[];
  /** Where the figure came from (a cell, an import, the history, the units of a city figure). */
  trace: FigureTrace;
}

/**
 * A figure's trace: a value of the year as it entered (typed, approved, imported), an earlier
 * year's as the history holds it, a merged unit's earlier years by the units it was made of, a
 * city figure by its rule and units, or nothing at all (the unit gave no value). An import's
 * rows are named only beside a figure that is shown: rows counted are the figure itself.
 */
export type FigureTrace =
  | Exclude<ValueOrigin, { kind: "import" }>
  | (Omit<Extract<ValueOrigin, { kind: "import" }>, "rows"> & { rows?: string })
  | HistoryOrigin
  | { kind: "merged"; units: string[] }
  | { kind: "city"; rule: NonNullable<AggregateRow["aggregation"]>; units: string[] }
  | { kind: "none" };

function traceOf(row: AggregateRow, year: number, shown: boolean, history: ReadonlyMap<number, HistoryOrigin>): FigureTrace {
  if (row.unit === CITY.id && row.aggregation) return { kind: "city", rule: row.aggregation, units: row.includedUnits ?? [] };
  if (row.mappedFrom) return { kind: "merged", units: row.mappedFrom };
  if (row.year < year) return history.get(row.year) ?? { kind: "none" };
  if (row.origin?.kind === "import" && !shown) {
    const { rows: _, ...rest } = row.origin;
    return rest;
  }
  return row.origin ?? { kind: "none" };
}

/** Every aggregate row as published, in the rows' order; `history` says where each earlier year's values were read. */
export function publishedFigures(
  yc: YearCatalogue,
  rows: readonly AggregateRow[],
  definition: TemplateDefinition,
  history: ReadonlyMap<number, HistoryOrigin> = new Map(),
): PublishedFigure[] {
  const indicators = new Map(yc.catalogue.indicators.map((i) => [i.id, i]));
  const rule = yc.catalogue.coverage.partialSums;
  return rows.flatMap((row) => {
    const indicator = indicators.get(row.indicator);
    if (!indicator) return [];
    const figure = publishedFigure(row, indicator, definition, rule);
    return [{ ...figure, trace: traceOf(row, yc.year, figure.value !== null, history) }];
  });
}

function publishedFigure(
  row: AggregateRow,
  indicator: Indicator,
  definition: TemplateDefinition,
  rule: YearCatalogue["catalogue"]["coverage"]["partialSums"],
): Omit<PublishedFigure, "trace"> {
  const base = {
    indicator: row.indicator,
    unit: row.unit,
    year: row.year,
    sex: row.sex,
    breakdown: row.breakdown,
    ...(row.aggregation ? { aggregation: row.aggregation } : {}),
    ...(row.units ? { units: row.units } : {}),
    ...(row.missingUnits ? { missingUnits: row.missingUnits } : {}),
    ...(row.unconfirmedUnits ? { unconfirmedUnits: row.unconfirmedUnits } : {}),
    ...(row.draftUnits ? { draftUnits: row.draftUnits } : {}),
    ...(row.mappedFrom ? { mappedFrom: row.mappedFrom } : {}),
  };
  if (indicator.measure === "status") {
    const shown = row.status === "ok" && typeof row.value === "string";
    const marks: Mark[] = shown && row.draft ? ["draft"] : [];
    const text = shown ? `${row.value}${marks.map((m) => MARKS[m].symbol).join("")}` : (symbolFor(row.status, definition) ?? definition.symbols.notAvailable.symbol);
    return {
      ...base,
      value: shown ? (row.value as string) : null,
      text,
      status: shown ? "ok" : row.status === "ok" ? "missing" : row.status,
      marks,
      ...(row.missingReason && !shown ? { reason: row.missingReason } : {}),
    };
  }
  const cell = makeCell(row, indicator, definition, rule);
  const shown = cell.value !== null;
  const parts = shown
    ? {
        ...(row.numerator !== undefined ? { numerator: row.numerator } : {}),
        ...(row.denominator !== undefined ? { denominator: row.denominator } : {}),
        ...(row.respondents !== undefined ? { respondents: row.respondents } : {}),
      }
    : {};
  return {
    ...base,
    value: cell.value,
    text: cell.text,
    status: cell.withheld ? "withheld" : (cell.status as FigureStatus),
    marks: cell.marks,
    ...(cell.reason ? { reason: cell.reason } : {}),
    ...parts,
  };
}

/** The published figures of an indicator, unit and year by breakdown and kind: where the Data tab, the tables and the checks look one up. */
export function figureKey(f: { indicator: string; unit: string; year: number; breakdown: string; aggregation?: string | undefined }): string {
  return `${f.indicator}|${f.unit}|${f.year}|${f.breakdown}|${f.aggregation ?? ""}`;
}
