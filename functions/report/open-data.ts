/**
 * The year's published figures as open data, in the shapes the Swedish ecosystem reads: a CSV
 * with one row per indicator, unit, year and breakdown part (sex K/M/T as a column), and JSON
 * in Kolada's value shape (`kpi`, `ou`, `municipality`, `period`, `values` with `gender`,
 * `value`, `count` and `status`), the catalogue's ids as the codes that Stratsys and similar
 * tools map. Both are made from the same published figures as every other output (figures.ts):
 * the same symbols, the same figures withheld, and no number, numerator, denominator or
 * respondents beside a figure that is not shown.
 */
import { stringify } from "csv-stringify/sync";
import { CITY } from "../catalogue/catalogue-for-year.js";
import { isShare } from "../catalogue/figure.js";
import { FIGURE_STATUS_TEXT, type PublishedFigure } from "./figures.js";
import { FIGURE_KINDS, MARKS } from "./legend.js";
import type { ReportModel } from "./report-model.js";

/** The CSV's columns, in order: names for machines (ASCII, lower case), as Swedish open data names them. */
export const OPEN_DATA_COLUMNS = [
  "ar",
  "enhet_id",
  "enhet",
  "indikator_id",
  "indikator",
  "kon",
  "uppdelning",
  "varde",
  "visas_som",
  "matt",
  "status",
  "markning",
  "taljare",
  "namnare",
  "antal_svarande",
  "sammanvagning",
  "antal_enheter",
  "vantade_enheter",
] as const;

const statusWords = (f: PublishedFigure) => [FIGURE_STATUS_TEXT[f.status], ...f.marks.map((m) => MARKS[m].short)].join(", ");

/**
 * RFC 4180 CSV, comma separated, decimal point, UTF-8 without BOM: for programs. `visas_som`
 * is the figure as the reports print it ("74,3 %", "..", "×"); `varde` is empty where it is.
 */
export function openDataCsv(model: ReportModel): string {
  const indicators = new Map(model.yc.catalogue.indicators.map((i) => [i.id, i]));
  const rows = model.figures.map((f) => {
    const indicator = indicators.get(f.indicator)!;
    return [
      f.year,
      f.unit,
      model.unitName(f.unit),
      f.indicator,
      indicator.shortTitle,
      f.sex,
      f.breakdown,
      f.value ?? "",
      f.text,
      indicator.measure === "status" ? "status" : isShare(indicator) ? "procent" : "antal",
      FIGURE_STATUS_TEXT[f.status],
      f.marks.map((m) => MARKS[m].short).join(", "),
      f.numerator ?? "",
      f.denominator ?? "",
      f.respondents ?? "",
      f.aggregation ? FIGURE_KINDS[f.aggregation] : "",
      f.units?.included ?? "",
      f.units?.expected ?? "",
    ];
  });
  return stringify([[...OPEN_DATA_COLUMNS], ...rows], { record_delimiter: "\r\n" });
}

/** One Kolada value: a gender's figure for a kpi, unit and period. */
export interface KoladaValue {
  gender: "T" | "K" | "M";
  value: number | null;
  count: number;
  status: string;
}

export interface KoladaEntry {
  kpi: string;
  ou: string;
  municipality: string;
  period: number;
  values: KoladaValue[];
}

/**
 * Kolada's value shape (as its API's `/v2/oudata` answers): one entry per kpi, unit and year
 * with a value per gender. A breakdown by activity area or role is a kpi of its own,
 * `INDIKATOR:DEL` (the total keeps the indicator's id). Status lists are not numbers and are
 * left out; `status` is "" for a figure shown plainly, else why ("skyddad", "delvis, …").
 */
export function openDataKolada(model: ReportModel): { count: number; values: KoladaEntry[] } {
  const indicators = new Map(model.yc.catalogue.indicators.map((i) => [i.id, i]));
  const entries = new Map<string, KoladaEntry>();
  for (const f of model.figures) {
    const indicator = indicators.get(f.indicator)!;
    if (indicator.measure === "status" || f.aggregation === "unweighted-mean" || typeof f.value === "string") continue;
    const bySex = indicator.breakdown === "sex" || f.breakdown === "T";
    const kpi = bySex ? f.indicator : `${f.indicator}:${f.breakdown}`;
    const key = `${kpi}|${f.unit}|${f.year}`;
    const entry = entries.get(key) ?? { kpi, ou: f.unit, municipality: CITY.municipality, period: f.year, values: [] };
    entries.set(key, entry);
    entry.values.push({
      gender: f.sex,
      value: f.value,
      count: f.value === null ? 0 : f.unit === CITY.id ? (f.units?.included ?? 0) : 1,
      status: f.status === "ok" && f.marks.length === 0 ? "" : statusWords(f),
    });
  }
  const values = [...entries.values()];
  return { count: values.length, values };
}
