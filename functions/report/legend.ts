/**
 * The report's symbols and the names of the kinds of figure, shared by the Excel and PDF
 * reports. ".." and "–" are the template's own symbols, so the reporter and the reader of the
 * report see the same signs.
 */
import type { AggregateRow, AggregateStatus } from "../aggregate/aggregate.js";
import type { TemplateDefinition } from "../template/definition.js";

export const SUPPRESSED = { symbol: "×", meaning: "Uppgiften redovisas inte: gruppen är för liten, eller uppgiften skulle avslöja en för liten grupp" };

export interface LegendEntry {
  symbol: string;
  meaning: string;
}

export function legend(definition: TemplateDefinition): LegendEntry[] {
  return [definition.symbols.notAvailable, definition.symbols.notApplicable, SUPPRESSED];
}

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
  "Går åt fel håll: trenden de senaste fem åren (minst tre år med värden) går mot den önskade riktningen med mer än 1 procentenhet per år för andelar, eller 5 % av medelvärdet per år för antal. Med bara två år jämförs förändringen mot förra året med dubbla gränsen.";
