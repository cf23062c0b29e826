/**
 * What a reporting tab contains, derived from the year's catalogue: which indicator rows for
 * which reporter, and what each row asks for. The .xlsx and Google Sheets writers lay this out;
 * the reader uses the same derivation to know which rows to expect.
 */
import {
  type BreakdownPart,
  breakdownParts,
  CITY,
  focusAreaOf,
  statusItems,
  type YearCatalogue,
} from "../catalogue/catalogue-for-year.js";
import type { FocusArea, Indicator, Unit } from "../catalogue/schema.js";
import { FIELDS_BY_MEASURE, type InputField } from "../shared/vocabulary.js";
import { lowerFirst } from "../shared/format-sv.js";
import { fieldRange } from "../catalogue/value-rules.js";
import type { TemplateDefinition } from "./definition.js";

/** The id used for the central reporter's tab, in place of a unit id. */
export const CENTRAL = "central";

/** Everyone who reports a year: each unit, then the central reporter. */
export function expectedReporters(yc: YearCatalogue): string[] {
  return [...yc.units.map((u) => u.id), CENTRAL];
}

/** A reporter as people name it: the unit's name, or the central tab's name. */
export function reporterName(yc: YearCatalogue, definition: { sheets: { central: string } }, reporter: string): string {
  return reporter === CENTRAL ? definition.sheets.central : (yc.units.find((u) => u.id === reporter)?.name ?? reporter);
}

/** One input row: an indicator for a unit (or the city) and one part of its breakdown. */
export interface IndicatorRow {
  indicator: Indicator;
  focusArea: FocusArea;
  unitId: string;
  unitName: string;
  part: BreakdownPart;
  fields: readonly InputField[];
}

/** A tab to fill: one per unit, and the central tab. */
export interface ReporterTab {
  /** Unit id, or CENTRAL. */
  reporter: string;
  sheetName: string;
  unit?: Unit;
  rows: IndicatorRow[];
  /** Whether the tab has the "Lokalt arbete" part (units only). */
  localWork: boolean;
}

/** The tabs of a template for a year: the units (or one unit), then the central tab. */
export function reporterTabs(yc: YearCatalogue, centralSheetName: string, only?: string): ReporterTab[] {
  const tabs: ReporterTab[] = yc.units.map((unit) => ({
    reporter: unit.id,
    sheetName: unit.name,
    unit,
    rows: rowsFor(yc, unit.id),
    localWork: true,
  }));
  tabs.push({ reporter: CENTRAL, sheetName: centralSheetName, rows: rowsFor(yc, CENTRAL), localWork: false });
  return only ? tabs.filter((t) => t.reporter === only) : tabs;
}

/** The indicator rows a reporter fills, in catalogue order. */
export function rowsFor(yc: YearCatalogue, reporter: string): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  const { catalogue } = yc;
  for (const indicator of yc.indicators) {
    const focusArea = focusAreaOf(catalogue, indicator);
    const fields = FIELDS_BY_MEASURE[indicator.measure];
    const push = (unitId: string, unitName: string, part: BreakdownPart) =>
      rows.push({ indicator, focusArea, unitId, unitName, part, fields });
    const parts =
      indicator.measure === "status"
        ? statusItems(indicator, yc.year).map((item) => ({ key: item.id, label: item.label, isTotal: false }))
        : breakdownParts(catalogue, indicator.breakdown);

    if (reporter === CENTRAL) {
      if (indicator.reportedBy !== "central") continue;
      if (indicator.level === "city") {
        for (const part of parts) push(CITY.id, CITY.name, part);
      } else {
        for (const unit of yc.units) for (const part of parts) push(unit.id, unit.name, part);
      }
    } else {
      if (indicator.reportedBy !== "unit" || indicator.level !== "unit") continue;
      const unit = yc.units.find((u) => u.id === reporter);
      if (!unit) continue;
      for (const part of parts) push(unit.id, unit.name, part);
    }
  }
  return rows;
}

/** The key of an observation: indicator, unit and breakdown part. */
export function rowKey(indicatorId: string, unitId: string, partKey: string): string {
  return `${indicatorId}|${unitId}|${partKey}`;
}

/** What the reporter should type, in Swedish, for the "Vad ska fyllas i" column. */
export function measureText(indicator: Indicator): string {
  switch (indicator.measure) {
    case "count":
      return "Antal (heltal) i Värde";
    case "ratio":
      return `Täljare: ${lowerFirst(indicator.numeratorLabel ?? "")}. Nämnare: ${lowerFirst(indicator.denominatorLabel ?? "")}.`;
    case "survey":
      return "Andel positiva svar (0–100) i Värde och antal svarande";
    case "status":
      return `Status i Värde: ${(indicator.statuses ?? []).join(", ")}`;
  }
}

/**
 * The rule an input cell is validated by, as a spreadsheet formula (the same in Excel,
 * LibreOffice and Google Sheets): a number of the right kind, or the symbols for "not
 * available" and "nothing to report", which a plain number rule would refuse.
 */
export function inputRule(
  indicator: Indicator,
  field: InputField,
  a1: string,
  symbols: TemplateDefinition["symbols"],
): { formula: string; what: string } {
  const range = fieldRange(indicator, field);
  // A formula needs a number for "no upper limit"; no count in this plan comes near it.
  const max = Number.isFinite(range.max) ? range.max : 1_000_000;
  const number = range.integer
    ? `AND(ISNUMBER(${a1}),${a1}>=${range.min},${a1}<=${max},${a1}=INT(${a1}))`
    : `AND(ISNUMBER(${a1}),${a1}>=${range.min},${a1}<=${max})`;
  const typed = [symbols.notAvailable, symbols.notApplicable].flatMap((s) => [s.symbol, ...s.alternatives]);
  return {
    formula: `OR(${[number, ...typed.map((t) => `${a1}="${t.replaceAll('"', '""')}"`)].join(",")})`,
    what: range.percent ? `ett tal mellan ${range.min} och ${max}` : `ett heltal som är ${range.min} eller större`,
  };
}
