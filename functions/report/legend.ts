/**
 * The report's symbols and the names of the kinds of figure, shared by the Excel and PDF
 * reports. ".." and "–" are the template's own symbols, so the reporter and the reader of the
 * report see the same signs.
 */
import type { AggregateRow, AggregateStatus } from "../aggregate/aggregate.js";
import type { MissingReason, ReportingUnit } from "../model/records.js";
import type { PartialSumRule } from "../catalogue/schema.js";
import type { TemplateDefinition } from "../template/definition.js";

export const SUPPRESSED = { symbol: "×", meaning: "Uppgiften redovisas inte: gruppen är för liten, eller uppgiften skulle avslöja en för liten grupp" };

/** Marks after a figure: it lacks some units, or it has not been confirmed. */
export const MARKS = {
  partial: { symbol: "*", short: "ofullständigt underlag", meaning: "Ofullständigt underlag: alla väntade enheter ingår inte. Vilka som saknas, och varför, står under tabellen" },
  unconfirmed: { symbol: "?", short: "obekräftat", meaning: "Obekräftat värde: stor förändring mot förra året som enheten inte har förklarat. Värdet ingår i stadens värde men inte i jämförelser mellan år" },
  draft: { symbol: "†", short: "utkast", meaning: "Utkast (bara i förhandsvisningen): enheten har inte lämnat in värdet. Det räknas inte i rapporten till nämnderna" },
} as const;
export type Mark = keyof typeof MARKS;

/** Why a unit's value is missing, as a reader is told. */
export function missingReasonText(reason: MissingReason, reportedCentrally: boolean): string {
  switch (reason) {
    case "not-submitted":
      return reportedCentrally ? "ingen uppgift inkom" : "har inte lämnat in";
    case "not-ready":
      return reportedCentrally ? "den centrala rapporteringen är inte markerad klar" : "inte markerad klar";
    case "submitted-with-errors":
      return reportedCentrally ? "den centrala rapporteringen har fel" : "lämnade in med fel";
    case "duplicated":
      return reportedCentrally ? "den centrala rapporteringen finns i mer än en flik" : "inlämnad i mer än en flik";
    case "not-approved":
      return reportedCentrally ? "den centrala rapporteringen är inte godkänd" : "inte godkänd av projektledaren";
    case "rejected":
      return "underkänd i kontrollen";
    case "not-reported":
      return "uppgift saknas";
  }
}

/**
 * Why a reporter's values do not count, as a run, the status and the unit's own page say it:
 * "lämnade in med 2 fel", "är inte markerad klar", after the unit's name.
 */
export function notAdmittedText(unit: Pick<ReportingUnit, "reason" | "errors">): string {
  switch (unit.reason) {
    case "not-submitted":
      return "har inte lämnat in";
    case "not-ready":
      return "är inte markerad klar";
    case "submitted-with-errors":
      return `lämnade in med ${unit.errors === 1 ? "ett fel" : `${unit.errors} fel`}`;
    case "duplicated":
      return "är inlämnad i mer än en flik";
    case "not-approved":
      return "är inlämnad men inte godkänd av projektledaren";
    default:
      return "räknas inte";
  }
}

/** The reasons a unit does not count, in the order a list of them names them. */
export const NOT_ADMITTED_REASONS = ["not-submitted", "not-ready", "submitted-with-errors", "duplicated", "not-approved"] as const;

/** notAdmittedText after several units' names: "… och Farsta är inte markerade klara". */
export const NOT_ADMITTED_PLURAL: Record<(typeof NOT_ADMITTED_REASONS)[number], string> = {
  "not-submitted": "har inte lämnat in",
  "not-ready": "är inte markerade klara",
  "submitted-with-errors": "lämnade in med fel",
  duplicated: "är inlämnade i mer än en flik",
  "not-approved": "är inlämnade men inte godkända av projektledaren",
};

/** The rule for city sums that lack a unit, as the legend states it. */
export function partialSumRule(rule: PartialSumRule): string {
  return rule === "withhold"
    ? "En summa för staden där någon väntad enhet saknas redovisas inte (..): den vore inte jämförbar med en hel summa. Noten under tabellen säger vilka enheter som saknas."
    : "En summa för staden där någon väntad enhet saknas visas märkt med *: den är inte jämförbar med en hel summa. Noten under tabellen säger vilka enheter som saknas.";
}

export interface LegendEntry {
  symbol: string;
  meaning: string;
}

/** The legend; the draft mark only in a preview, where there are drafts. */
export function legend(definition: TemplateDefinition, preview = false): LegendEntry[] {
  return [definition.symbols.notAvailable, definition.symbols.notApplicable, SUPPRESSED, MARKS.partial, MARKS.unconfirmed, ...(preview ? [MARKS.draft] : [])];
}

/** Every page and tab of a preview says so. */
export const PREVIEW_NOTICE = "FÖRHANDSVISNING";
export const PREVIEW_TEXT =
  "Förhandsvisning med utkast: värden från enheter som inte har lämnat in är med och märkta med †. Den är bara till för projektledaren och skickas inte till nämnderna.";

/** The symbol shown instead of a value, for a status that has none. */
export function symbolFor(status: AggregateStatus, definition: TemplateDefinition): string | undefined {
  switch (status) {
    case "missing":
      return definition.symbols.notAvailable.symbol;
    case "not-applicable":
      return definition.symbols.notApplicable.symbol;
    case "suppressed":
      return SUPPRESSED.symbol;
    case "ok":
    case "partial":
      return undefined;
  }
}

export const FIGURE_KINDS: Record<NonNullable<AggregateRow["aggregation"]>, string> = {
  sum: "summa för enheterna",
  "ratio-of-sums": "andel av summorna (summa täljare delat med summa nämnare)",
  "weighted-mean": "medelvärde viktat med antal svarande",
  "unweighted-mean": "ovägt medelvärde av enheternas värden",
};

export const WRONG_WAY_RULE =
  "Går åt fel håll: trenden de senaste fem åren (minst tre år med värden) går mot den önskade riktningen med mer än 1 procentenhet per år för andelar, eller 5 % av medelvärdet per år för antal, och den senaste förändringen går också åt fel håll. Med bara två år finns ingen trend; då jämförs förändringen mot förra året med dubbla gränsen. En förändring som inte är större än vad en eller två personer gör, eller än slumpen (95 % konfidensintervall för en andel), räknas inte.";

export const LIKE_FOR_LIKE_RULE =
  "Jämförelser mellan år görs på samma enheter alla jämförda år: en enhet som saknas, är underkänd eller har ett obekräftat värde något av åren lämnas utanför alla år, och texten säger hur många enheter jämförelsen gäller. Har färre än {share} av de väntade enheterna jämförbara uppgifter görs ingen jämförelse för staden.";
