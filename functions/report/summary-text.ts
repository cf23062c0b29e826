/**
 * The board paper's summary as data: the reporting and the admission rule, what got better and
 * what goes the wrong way with the figures behind it, what was withheld and why, and what could
 * not be compared. render/ lays it out in the PDF and the Word file alike.
 */
import { admissionRuleSentence, reportingSentence } from "../aggregate/admission.js";
import { isShare } from "../catalogue/figure.js";
import { joinSv, sortSv } from "../shared/format-sv.js";
import { CENTRAL } from "../template/layout.js";
import type { AnalysisSentence } from "./analysis.js";
import { NOT_ADMITTED_PLURAL, NOT_ADMITTED_REASONS, notAdmittedText } from "./legend.js";
import { type ReportModel, showNumber, type SummaryRow } from "./report-model.js";
import { notCompared } from "./report-text.js";

export interface SummaryText {
  /** The opening paragraph's sentences. */
  intro: string[];
  improved: string[];
  wrongWay: string[];
  /** What the paper does not show, and why: units not counted, city sums withheld. */
  withheld: string[];
  notCompared: string[];
}

export function summaryText(model: ReportModel, sentences: readonly AnalysisSentence[]): SummaryText {
  const rows = new Map(model.summary.map((s) => [s.indicator.id, s]));
  const item = (s: AnalysisSentence) => {
    const row = rows.get(s.indicator.id);
    return row ? figureItem(row, model.year) : s.indicator.shortTitle;
  };
  const r = model.reporting;
  return {
    intro: [
      `Här redovisas uppföljningen ${model.year} av handlingsplanens indikatorer för staden och för varje förvaltning, med jämförelse mot tidigare år, förvaltningarnas lokala arbete och de stadsövergripande aktiviteterna.`,
      ...(r ? [reportingSentence(r), admissionRuleSentence(r.rule)] : ["Ingen uppgift om rapporteringen."]),
    ],
    improved: sentences.filter((s) => s.improved).map(item),
    wrongWay: sentences.filter((s) => s.wrongWay).map(item),
    withheld: withheldText(model),
    notCompared: notCompared(model),
  };
}

/**
 * "Chefen hjälper till att prioritera: 76,0 % 2024 → 69,7 % 2025 (−6,3 procentenheter), trenden
 * 2021–2025 går åt fel håll; jämförbara enheter: 14 av 15."
 */
function figureItem(s: SummaryRow, year: number): string {
  const t = s.comparison;
  if (!t || t.kind === "none" || t.value === null || t.previous === null) return s.indicator.shortTitle;
  const percent = isShare(s.indicator);
  const figures = `${showNumber(t.previous, percent)} ${year - 1} → ${showNumber(t.value, percent)} ${year} (${s.change})`;
  const way = t.wrongWay ? (t.kind === "trend" ? `, trenden ${t.years[0]}–${year} går åt fel håll` : ", går åt fel håll") : "";
  const basis = t.units.length < t.expected ? `; jämförbara enheter: ${t.units.length} av ${t.expected}` : "";
  return `${s.indicator.shortTitle}: ${figures}${way}${basis}`;
}

const NUMBER_WORDS = ["noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"];

function withheldText(model: ReportModel): string[] {
  const lines: string[] = [];
  const notCounted = (model.reporting?.units ?? []).filter((u) => !u.admitted);
  const districts = notCounted.filter((u) => u.reporter !== CENTRAL);
  if (districts.length > 0) {
    // One sentence per reason, so that twelve units that did not hand in read as one list.
    const sentences = NOT_ADMITTED_REASONS.flatMap((reason) => {
      const these = districts.filter((u) => u.reason === reason);
      if (these.length === 0) return [];
      if (these.length === 1) return [`${model.unitName(these[0]!.reporter)} ${notAdmittedText(these[0]!)}.`];
      // With errors, each name with its count: "Bromma (4 fel) och Kungsholmen (5 fel) lämnade in med fel."
      const name = (u: (typeof these)[number]) => `${model.unitName(u.reporter)}${reason === "submitted-with-errors" ? ` (${u.errors} fel)` : ""}`;
      return [`${joinSv(sortSv(these.map(name)))} ${NOT_ADMITTED_PLURAL[reason]}.`];
    });
    const other = districts.filter((u) => !(NOT_ADMITTED_REASONS as readonly string[]).includes(u.reason ?? ""));
    if (other.length > 0) sentences.push(`${joinSv(sortSv(other.map((u) => model.unitName(u.reporter))))} räknas inte.`);
    lines.push(
      `${sentences.join(" ")} ${districts.length === 1 ? "Förvaltningens värden" : "Deras värden"} för ${model.year} ingår inte i stadens värden och står som .. i tabellerna.`,
    );
  }
  if (notCounted.some((u) => u.reporter === CENTRAL)) {
    const central = notCounted.find((u) => u.reporter === CENTRAL)!;
    // The reporting is handed in by someone; it does not hand in itself.
    const state = central.reason === "not-submitted" ? "är inte inlämnad" : notAdmittedText(central).replace(/^lämnade in med/, "är inlämnad med");
    lines.push(`Den centrala rapporteringen ${state}; dess indikatorer saknar värden för ${model.year}.`);
  }
  const sums = model.summary.filter((s) => s.current.withheld).map((s) => s.indicator.shortTitle);
  if (sums.length > 0) {
    const count = sums.length <= 10 ? NUMBER_WORDS[sums.length]! : String(sums.length);
    lines.push(
      `${sums.length === 1 ? "En summa" : `${count.charAt(0).toLocaleUpperCase("sv-SE")}${count.slice(1)} summor`} för staden ${model.year} redovisas inte, eftersom ${sums.length === 1 ? "den" : "de"} inte omfattar alla förvaltningar: ${joinSv(sums)}.`,
    );
  }
  return lines;
}
