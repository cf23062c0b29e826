/**
 * The indicators' definitions, as Kolada's "nyckeltalsinformation" gives them: what is
 * measured, where it comes from, how the city's figure is made, which way is better, the
 * smallest group shown and the years it applies. An appendix to the board paper and a tab in
 * the Excel report, from the catalogue alone.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { focusAreaOf } from "../catalogue/catalogue-for-year.js";
import type { Indicator } from "../catalogue/schema.js";
import { formatNumber, lowerFirst } from "../shared/format-sv.js";
import { FIGURE_KINDS } from "./legend.js";

export interface IndicatorDefinition {
  id: string;
  focusArea: string;
  title: string;
  measured: string;
  source: string;
  method: string;
  direction: string;
  smallestGroup: string;
  years: string;
}

export const DEFINITION_HEADINGS = ["Id", "Fokusområde", "Indikator", "Vad som mäts", "Källa", "Stadens värde", "Önskad riktning", "Minsta grupp som visas", "År"] as const;

export function indicatorDefinitions(yc: YearCatalogue): IndicatorDefinition[] {
  return yc.indicators.map((indicator) => {
    const area = focusAreaOf(yc.catalogue, indicator);
    return {
      id: indicator.id,
      focusArea: area.number > 0 ? `${area.number}. ${area.shortTitle}` : area.shortTitle,
      title: indicator.title,
      measured: measured(indicator),
      source: indicator.source,
      method: indicator.aggregation === "none" ? "ingen sammanvägning: status per aktivitet" : FIGURE_KINDS[indicator.aggregation],
      direction: direction(indicator),
      smallestGroup:
        indicator.minGroupSize === null ? "ingen gräns" : `${formatNumber(indicator.minGroupSize, 0)} (${smallestOf(indicator)}); färre visas inte`,
      years: indicator.years.to === null ? `från ${indicator.years.from}` : `${indicator.years.from}–${indicator.years.to}`,
    };
  });
}

function measured(indicator: Indicator): string {
  switch (indicator.measure) {
    case "count":
      return "antal";
    case "ratio":
      return `andel: ${lowerFirst(indicator.numeratorLabel ?? "")} av ${lowerFirst(indicator.denominatorLabel ?? "")}`;
    case "survey":
      return "andel positiva svar i medarbetarenkäten, med antal svarande";
    case "status":
      return `status per aktivitet: ${(indicator.statuses ?? []).join(", ")}`;
  }
}

function direction(indicator: Indicator): string {
  const way = indicator.direction === "increase" ? "högre är bättre" : indicator.direction === "decrease" ? "lägre är bättre" : "ingen önskad riktning";
  return indicator.directionNote ? `${way} (${lowerFirst(indicator.directionNote.replace(/\.$/, ""))})` : way;
}

function smallestOf(indicator: Indicator): string {
  return indicator.measure === "survey" ? "svarande" : indicator.measure === "ratio" ? "i nämnaren" : "personer";
}
