/**
 * Sentences about a whole report that the PDF and the Excel report both print: the flag for
 * an indicator that goes the wrong way, the comparisons not made and why, the legend's rules
 * for coverage and comparisons, and the notice on example data.
 */
import { formatNumber } from "../shared/format-sv.js";
import { FIGURE_KINDS, LIKE_FOR_LIKE_RULE, PREVIEW_NOTICE, PREVIEW_TEXT, partialSumRule, WRONG_WAY_RULE } from "./legend.js";
import type { IndicatorTable, ReportModel } from "./report-model.js";

/** "Trenden 2021–2025 går åt fel håll." or, with two years, the change; never at ±0. */
export function wrongWayFlag(table: IndicatorTable): string {
  const t = table.cityTrend;
  if (!t?.wrongWay) return "";
  return t.kind === "trend" ? `Trenden ${t.years[0]}–${t.year} går åt fel håll.` : "Förändringen mot förra året går åt fel håll.";
}

/** Indicators the city is not compared on this year, and why (too few units, a small group). */
export function notCompared(model: ReportModel): string[] {
  return model.summary
    .filter((s) => s.comparison?.kind === "none" && s.comparison.withheld && !s.comparison.withheld.startsWith("Det finns inget värde"))
    .map((s) => `${s.indicator.shortTitle}: ${s.comparison!.withheld}`);
}

/** The legend's notes: the kinds of city figure, and the coverage and comparison rules. */
export function legendNotes(model: ReportModel): string[] {
  const share = `${formatNumber(model.yc.catalogue.coverage.minShareForComparison * 100, 0)} %`;
  return [
    ...Object.values(FIGURE_KINDS).map((k) => `Stadens värde kan vara ${k}.`),
    partialSumRule(model.yc.catalogue.coverage.partialSums),
    "Andelar och medelvärden för staden som inte omfattar alla väntade enheter visas märkta med *, och noten säger vilka som saknas.",
    LIKE_FOR_LIKE_RULE.replace("{share}", share),
    WRONG_WAY_RULE,
  ];
}

/** What every page and tab of a set says above its figures: a preview, made-up data; null for neither. */
export function reportNotice(model: Pick<ReportModel, "preview" | "exampleData">): string | null {
  const notices = [model.preview ? PREVIEW_TEXT : "", model.exampleData ? EXAMPLE_NOTICE : ""].filter(Boolean);
  return notices.length > 0 ? notices.join(" ") : null;
}

/** The short mark in every page header: "FÖRHANDSVISNING · EXEMPELDATA", or "". */
export function headerMark(model: Pick<ReportModel, "preview" | "exampleData">): string {
  return [model.preview ? PREVIEW_NOTICE : "", model.exampleData ? "EXEMPELDATA" : ""].filter(Boolean).join(" · ");
}

/** On every output built on made-up example data: the PDFs, the Word file and the Excel report. */
export const EXAMPLE_NOTICE =
  "Exempeldata: rapporten bygger på påhittade uppgifter från projektets exempelfiler och får inte användas som underlag.";
