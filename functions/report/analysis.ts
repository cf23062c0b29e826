/**
 * Generated Swedish sentences for the analysis and the summary: for every indicator whose
 * city comparison goes the wrong way or changed notably, what happened to the city's figure,
 * over which units, and in how many units the same goes the wrong way.
 *
 * The wording rules (each has a row in tests/wording.test.ts):
 * - the verb follows the sign of the change as printed: "ökade", "minskade", "var oförändrad";
 * - "trenden" only with three years or more, otherwise "förändringen mot förra året";
 * - a comparison that does not cover every expected unit says how many it covers;
 * - shares change in procentenheter (singular for exactly one), counts in whole numbers;
 * - a comparison that is withheld (too few units, a small group) makes no claim at all, and
 *   unconfirmed values are never in a comparison (compare.ts leaves them out).
 */
import { CITY } from "../catalogue/catalogue-for-year.js";
import { isShare } from "../catalogue/figure.js";
import type { Indicator } from "../catalogue/schema.js";
import type { Trend } from "../aggregate/trends.js";
import { joinSv, lowerFirst, sortSv } from "../shared/format-sv.js";
import { formatChange, type ReportModel, roundShown, showNumber } from "./report-model.js";

export interface AnalysisSentence {
  indicator: Indicator;
  text: string;
  wrongWay: boolean;
  improved: boolean;
}

export function analyse(model: ReportModel, trends: readonly Trend[]): AnalysisSentence[] {
  const sentences: AnalysisSentence[] = [];
  for (const row of model.summary) {
    const t = row.comparison;
    if (!t || t.kind === "none" || (!t.wrongWay && !t.notable)) continue;
    const units = trends.filter((u) => u.indicator === row.indicator.id && u.unit !== CITY.id && u.year === model.year);
    const text = comparisonSentence(row.indicator, t, {
      unitsWrongWay: sortSv(units.filter((u) => u.wrongWay).map((u) => model.unitName(u.unit))),
      unitsCompared: units.filter((u) => u.kind !== "none").length,
    });
    const desired = desiredWay(row.indicator, t.change ?? 0);
    sentences.push({ indicator: row.indicator, text, wrongWay: t.wrongWay, improved: !t.wrongWay && t.notable && desired });
  }
  return sentences;
}

/** Whether a change goes the way the indicator should move. */
function desiredWay(indicator: Indicator, change: number): boolean {
  return indicator.direction === "increase" ? change > 0 : indicator.direction === "decrease" ? change < 0 : false;
}

/**
 * One comparison as a sentence: "Antalet VFU-platser ökade från 127 år 2024 till 140 år 2025
 * (+13), bland de 14 av 15 enheter som har jämförbara uppgifter båda åren."
 */
export function comparisonSentence(
  indicator: Indicator,
  t: Trend,
  units: { unitsWrongWay: string[]; unitsCompared: number } = { unitsWrongWay: [], unitsCompared: 0 },
): string {
  if (t.kind === "none" || t.value === null || t.previous === null || t.change === null) return t.withheld ?? "";
  const percent = isShare(indicator);
  // The change as the two printed figures show it, so that the words never contradict them.
  const change = formatChange(roundShown(t.value, percent) - roundShown(t.previous, percent), percent);
  const verb = change.startsWith("+") ? "ökade" : change.startsWith("−") ? "minskade" : "var oförändrad";
  const subjectText = subject(indicator);
  // "Antalet" is a neuter noun: "var oförändrat".
  const agreed = verb === "var oförändrad" && subjectText.startsWith("Antalet") ? "var oförändrat" : verb;
  const year = t.year;
  let text =
    agreed.startsWith("var")
      ? `${subjectText} ${agreed}, ${showNumber(t.value, percent)} år ${year - 1} och ${year}`
      : `${subjectText} ${agreed} från ${showNumber(t.previous, percent)} år ${year - 1} till ${showNumber(t.value, percent)} år ${year} (${change})`;
  if (t.units.length < t.expected) {
    text +=
      t.kind === "trend"
        ? `, bland de ${t.units.length} av ${t.expected} enheter som har jämförbara uppgifter alla år ${t.years[0]}–${year}`
        : `, bland de ${t.units.length} av ${t.expected} enheter som har jämförbara uppgifter båda åren`;
  }
  text += ".";
  if (t.wrongWay) {
    text += t.kind === "trend" ? ` Trenden ${t.years[0]}–${year} går åt fel håll` : " Förändringen mot förra året går åt fel håll";
    text +=
      units.unitsWrongWay.length > 0
        ? `, och det gör den också i ${units.unitsWrongWay.length} av ${units.unitsCompared} enheter med jämförbara värden: ${joinSv(units.unitsWrongWay)}.`
        : ".";
  }
  return text;
}

/**
 * The indicator's full name as the subject of a sentence: "Andelen positiva svar på frågan ”…”",
 * "Andelen medarbetare som genomgått …", "Personalrörlighet bland socialsekreterare och …",
 * "Antalet inhyrda socionomkonsulter i myndighetsutövningen (november)". A title's "per …"
 * clause and "/stadsdelsförvaltning" say how it is reported, not what is counted.
 */
export function subject(indicator: Indicator): string {
  const title = indicator.title.replace(/\.$/, "");
  switch (indicator.measure) {
    case "survey":
      return `Andelen positiva svar på frågan ”${title}”`;
    case "ratio":
      return title.replace(/^Andel /, "Andelen ");
    default: {
      const what = title.replace(/\/\p{L}+/gu, "").replace(/,? per [^,]*$/u, "");
      return what.startsWith("Antal ") ? what.replace(/^Antal /, "Antalet ") : `Antalet ${lowerFirst(indicator.shortTitle)}`;
    }
  }
}
