/**
 * Generated Swedish sentences for the analysis and the summary: for every indicator that goes
 * the wrong way or changed notably, what happened to the city's figure and in how many units
 * the trend goes the wrong way ("Andelen … minskade från 78 % till 71 %").
 */
import type { Indicator } from "../catalogue/schema.js";
import { formatNumber, formatPercent, joinSv, lowerFirst } from "../shared/format-sv.js";
import type { ReportModel } from "./report-model.js";

export interface AnalysisSentence {
  indicator: Indicator;
  text: string;
  wrongWay: boolean;
  improved: boolean;
}

export function analyse(model: ReportModel, trends: { indicator: string; unit: string; year: number; wrongWay: boolean }[]): AnalysisSentence[] {
  const sentences: AnalysisSentence[] = [];
  for (const row of model.summary) {
    if (!row.wrongWay && !row.notable) continue;
    const { current, previous, indicator } = row;
    if (current.value === null || previous.value === null) continue;
    const rose = current.value > previous.value;
    const verb = rose ? "ökade" : current.value < previous.value ? "minskade" : "var oförändrad";
    const show = (v: number) => (indicator.measure === "count" ? formatNumber(v, 0) : formatPercent(v));
    let text = `${subject(indicator)} ${verb} från ${show(previous.value)} år ${model.year - 1} till ${show(current.value)} år ${model.year}.`;
    if (row.wrongWay) {
      const units = trends.filter((t) => t.indicator === indicator.id && t.unit !== "stockholm" && t.year === model.year && t.wrongWay);
      text += " Trenden för staden de senaste åren går åt fel håll";
      text +=
        units.length > 0
          ? `, och det gör den också i ${units.length} av ${model.yc.units.length} enheter: ${joinSv(units.map((u) => model.unitName(u.unit)))}.`
          : ".";
    }
    const desired = indicator.direction === "increase" ? rose : indicator.direction === "decrease" ? !rose : false;
    sentences.push({ indicator, text, wrongWay: row.wrongWay, improved: !row.wrongWay && row.notable && desired });
  }
  return sentences;
}

/** "Andelen positiva svar på frågan ”…”", "Antalet socionomkonsulter", … */
function subject(indicator: Indicator): string {
  const title = indicator.title.replace(/\.$/, "");
  switch (indicator.measure) {
    case "survey":
      return `Andelen positiva svar på frågan ”${title}”`;
    case "ratio":
      return title.startsWith("Andel") ? title : `Andelen för ${lowerFirst(indicator.shortTitle)}`;
    default:
      return `Antalet ${lowerFirst(indicator.shortTitle)}`;
  }
}



