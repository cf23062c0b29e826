/**
 * Generated drafts for the sections the officials write, worked out from the year's figures.
 * They are shown only where the officials have written nothing, and always marked "Förslag
 * till text, ej granskad": a board must never read a generated sentence as the officials' own.
 *
 * The analysis draft looks at each focus area as a whole (how many indicators go which way,
 * how the administrations assess themselves), so that it does not repeat the summary's lists.
 */
import { reportingSentence } from "../aggregate/admission.js";
import { focusAreaLabel } from "../catalogue/catalogue-for-year.js";
import { formatNumber, joinSv, lowerFirst } from "../shared/format-sv.js";
import { type AnalysisSentence, subject } from "./analysis.js";
import { paragraphs, type TextBlock, type TextSectionKey } from "./officials-text.js";
import type { ReportModel } from "./report-model.js";

export interface DraftTexts {
  sections: Record<TextSectionKey, TextBlock[]>;
  /** Per indicator id: its comparison in a sentence, where there is one to make. */
  indicators: Map<string, TextBlock[]>;
}

/** `sentences`: the year's analysis (analyse), which the summary uses too. */
export function draftTexts(model: ReportModel, sentences: readonly AnalysisSentence[]): DraftTexts {
  const { yc, year } = model;
  const administrations = joinSv(yc.catalogue.report.administrations.map((a) => lowerFirst(a)));
  const boards = joinSv(yc.catalogue.report.boards);
  const wrongWay = sentences.filter((s) => s.wrongWay).map((s) => lowerFirst(subject(s.indicator)));

  const indicators = new Map<string, TextBlock[]>();
  for (const s of sentences) indicators.set(s.indicator.id, [...(indicators.get(s.indicator.id) ?? []), ...paragraphs(s.text)]);

  return {
    sections: {
      arendet: paragraphs(
        `Handlingsplanen har ${NUMBER_WORDS[yc.plan.focusAreas.length] ?? yc.plan.focusAreas.length} fokusområden, vart och ett med ett önskat läge, indikatorer som följs upp varje år, lokala fokuspunkter och stadsövergripande aktiviteter. Nedan redovisas för varje fokusområde indikatorerna ${year} för staden och per förvaltning, förvaltningarnas självskattning och lokala aktiviteter, och hur de stadsövergripande aktiviteterna har gått.`,
      ),
      beredning: paragraphs(
        `Ärendet har beretts inom ${administrations} i samråd med handlingsplanens styrgrupp, som följer upp det stadsövergripande arbetet tillsammans med en facklig referensgrupp. Uppgifterna har lämnats av förvaltningarna i stadens gemensamma mall.`,
        model.reporting ? reportingSentence(model.reporting) : "",
      ),
      analys: yc.plan.focusAreas.map((area) => ({ kind: "paragraph", runs: [{ text: areaAnalysis(model, area.id, sentences) }] })),
      synpunkter: paragraphs(
        `Förvaltningarna föreslår att ${boards.toLocaleLowerCase("sv-SE")} godkänner uppföljningen ${year} av handlingsplanen.`,
        wrongWay.length > 0
          ? `Utvecklingen går åt fel håll för ${joinSv(wrongWay)}. Förvaltningarna föreslår att orsakerna analyseras tillsammans med stadsdelsförvaltningarna och att åtgärder tas upp i nästa års aktiviteter.`
          : "",
      ),
    },
    indicators,
  };
}

/** One focus area in a paragraph: its indicators' directions and the self-assessments. */
function areaAnalysis(model: ReportModel, areaId: string, sentences: readonly AnalysisSentence[]): string {
  const section = model.sections.find((s) => s.focusArea.id === areaId);
  const area = model.yc.plan.focusAreas.find((a) => a.id === areaId)!;
  const tables = (section?.tables ?? []).filter((t) => !t.items);
  const mine = sentences.filter((s) => tables.some((t) => t.indicator.id === s.indicator.id));
  const names = (list: typeof mine) => joinSv(list.map((s) => lowerFirst(subject(s.indicator))));
  const worse = mine.filter((s) => s.wrongWay);
  const better = mine.filter((s) => s.improved);
  const parts: string[] = [];
  if (tables.length === 0) parts.push(`${focusAreaLabel(area)} följs upp genom aktiviteterna, inte med siffror per förvaltning.`);
  else {
    parts.push(`${focusAreaLabel(area)}: ${count(tables.length, "indikator", "indikatorer")} följs upp.`);
    if (worse.length > 0) parts.push(`${capital(names(worse))} går åt fel håll.`);
    if (better.length > 0) parts.push(`${capital(names(better))} har blivit bättre.`);
    if (worse.length === 0 && better.length === 0) parts.push("Ingen av dem har ändrats anmärkningsvärt eller går åt fel håll.");
  }
  const scores = model.selfAssessments.filter((s) => s.focusArea === areaId && s.score !== null).map((s) => s.score!);
  if (scores.length > 0) {
    const near = scores.filter((s) => s >= 4).length;
    const far = scores.filter((s) => s <= 2).length;
    parts.push(
      `${capital(count(near, "förvaltning", "förvaltningar"))} av de ${scores.length} som skattat sig står nära eller vid det önskade läget (4–5) och ${far === 0 ? "ingen" : formatNumber(far, 0)} en bit eller långt ifrån (1–2).`,
    );
  }
  return parts.join(" ");
}

const NUMBER_WORDS = ["noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"];
const count = (n: number, one: string, many: string) => `${formatNumber(n, 0)} ${n === 1 ? one : many}`;
const capital = (text: string) => text.charAt(0).toLocaleUpperCase("sv-SE") + text.slice(1);
