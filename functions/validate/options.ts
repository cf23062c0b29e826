/**
 * What every rule of the validator is given, and a row as it goes from one rule to the next.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { History } from "../history/history.js";
import type { Observation } from "../model/records.js";
import { type CellSymbols, cellSymbols } from "../normalise/parse-cell.js";
import type { IndicatorRowReading } from "../submission/read-submission.js";
import type { TemplateDefinition } from "../template/definition.js";
import type { IndicatorRow } from "../template/layout.js";

export interface ValidationOptions {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  /** Warn when a value changes more than this share against last year (0.5 = 50 %). */
  maxChange: number;
  /**
   * The units the check is about (hp validate --unit); others are neither missed nor told
   * about. Absent: a single unit's own workbook is about that unit, anything else about all.
   */
  units?: readonly string[];
  /**
   * Indicators whose values for the year come from an import (hp import): what is typed for
   * them is not used, so it is neither read nor judged – a mistake there cannot keep a unit out.
   */
  imported?: ReadonlySet<string>;
}

/** An indicator row found on a tab: what the template expects, what was read, what it became. */
export interface FoundRow {
  row: IndicatorRow;
  reading: IndicatorRowReading;
  observation: Observation;
}

const symbolsCache = new WeakMap<TemplateDefinition, CellSymbols>();

/** The template's symbols as the cell reader recognises them, made once per definition. */
export function symbolsOf(definition: TemplateDefinition): CellSymbols {
  let symbols = symbolsCache.get(definition);
  if (!symbols) {
    symbols = cellSymbols(definition.symbols);
    symbolsCache.set(definition, symbols);
  }
  return symbols;
}
