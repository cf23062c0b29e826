/**
 * Validates earlier years' records (from `hp import-history`) against the catalogue, like a
 * submission: units that existed that year, indicators valid that year, known breakdown
 * parts, numbers of the right kind and range, numerator ≤ denominator, parts adding up.
 */
import { breakdownParts, CITY, statusItems } from "../catalogue/catalogue-for-year.js";
import { covers } from "../catalogue/load-catalogue.js";
import type { Catalogue } from "../catalogue/schema.js";
import { formatNumber } from "../shared/format-sv.js";
import { groupBy } from "../shared/group-by.js";
import { ADDITIVE_FIELDS, FIELDS_BY_MEASURE, type InputField, TOTAL } from "../shared/vocabulary.js";
import { fieldRange, rangeText, ratioProblem, valueProblem } from "../catalogue/value-rules.js";
import { type Finding, type FindingCode, finding } from "../model/findings.js";
import { a1 } from "../workbook/grid.js";
import { HISTORY_COLUMNS, type HistoryRecord } from "./history.js";

/** Row i of the records is line i + 2 of the file (after the header). */
export function validateHistoryRecords(records: readonly HistoryRecord[], catalogue: Catalogue, file: string): Finding[] {
  const findings: Finding[] = [];
  const indicators = new Map(catalogue.indicators.map((i) => [i.id, i]));
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  const seen = new Map<string, number>();
  const at = (i: number, column: (typeof HISTORY_COLUMNS)[number], r: HistoryRecord) => ({
    file,
    cell: a1(i + 2, HISTORY_COLUMNS.indexOf(column) + 1),
    unit: r.unit,
    indicator: r.indicator,
  });
  const add = (code: FindingCode, where: ReturnType<typeof at>, message: string, hint?: string): void => {
    findings.push(finding(code, where, message, hint));
  };

  const checkRecord = (r: HistoryRecord, i: number): void => {
    const indicator = indicators.get(r.indicator);
    if (!indicator) {
      add("INDICATOR_UNKNOWN", at(i, "indicator", r), `Indikatorn ”${r.indicator}” finns inte i katalogen.`);
      return;
    }
    if (!covers(indicator.years, r.year)) {
      add("INDICATOR_RETIRED", at(i, "year", r), `${indicator.id} följs ${indicator.years.from}–${indicator.years.to ?? ""}, inte ${r.year}.`);
      return;
    }
    const unit = units.get(r.unit);
    const unitOk = indicator.level === "city" ? r.unit === CITY.id : unit !== undefined && covers(unit.years, r.year);
    if (!unitOk) {
      add("UNIT_UNKNOWN", at(i, "unit", r), `Enheten ”${r.unit}” fanns inte ${r.year} för ${indicator.id}.`);
      return;
    }
    const parts =
      indicator.measure === "status"
        ? statusItems(indicator, r.year).map((s) => s.id)
        : breakdownParts(catalogue, indicator.breakdown).map((p) => p.key);
    if (!parts.includes(r.breakdown)) {
      add("BREAKDOWN_UNKNOWN", at(i, "breakdown", r), `Uppdelningen ”${r.breakdown}” finns inte för ${indicator.id}. Giltiga: ${parts.join(", ")}.`);
      return;
    }
    const key = `${r.year}|${r.unit}|${r.indicator}|${r.breakdown}`;
    if (seen.has(key)) {
      add("ROW_DUPLICATE", at(i, "year", r), `Samma värde finns redan på rad ${seen.get(key)! + 2}.`);
      return;
    }
    seen.set(key, i);
    if (r.status !== "ok") return;

    // The same rules as a submission: the kind of number and range of each field.
    const need = (field: InputField) => {
      const v = r[field];
      if (typeof v !== "number") {
        add("VALUE_REQUIRED", at(i, field, r), `${field} saknas för ett värde med status ok.`);
        return;
      }
      const range = fieldRange(indicator, field);
      const problem = valueProblem(range, v);
      if (problem === "not-integer") add("VALUE_NOT_INTEGER", at(i, field, r), `${field} ska vara ett heltal, inte ${formatNumber(v, 4)}.`);
      if (problem === "out-of-range") add("VALUE_OUT_OF_RANGE", at(i, field, r), `${formatNumber(v, 2)} ligger utanför ${rangeText(range, formatNumber)}.`);
    };
    if (indicator.measure === "status") {
      if (typeof r.value !== "string" || !(indicator.statuses ?? []).includes(r.value)) {
        add("VALUE_NOT_IN_LIST", at(i, "value", r), `”${r.value ?? ""}” är ingen giltig status. Giltiga: ${(indicator.statuses ?? []).join(", ")}.`);
      }
      return;
    }
    for (const field of FIELDS_BY_MEASURE[indicator.measure]) need(field);
    if (indicator.measure === "ratio" && typeof r.numerator === "number" && typeof r.denominator === "number") {
      if (ratioProblem(r.numerator, r.denominator) === "numerator-exceeds-denominator") {
        add("NUMERATOR_EXCEEDS_DENOMINATOR", at(i, "numerator", r), `Täljaren ${r.numerator} är större än nämnaren ${r.denominator}.`);
      }
    }
  };
  records.forEach(checkRecord);

  // Parts add up to the total, where the total and every part are given.
  const groups = groupBy(
    records.map((r, i) => ({ r, i })),
    ({ r }) => `${r.year}|${r.unit}|${r.indicator}`,
  );
  for (const group of groups.values()) {
    const indicator = indicators.get(group[0]!.r.indicator);
    if (!indicator || indicator.measure === "status" || indicator.breakdown === "none") continue;
    const total = group.find(({ r }) => r.breakdown === TOTAL);
    const parts = group.filter(({ r }) => r.breakdown !== TOTAL);
    if (total?.r.status !== "ok" || parts.length !== breakdownParts(catalogue, indicator.breakdown).length - 1) continue;
    for (const field of ADDITIVE_FIELDS[indicator.measure]) {
      if (parts.some(({ r }) => r.status === "missing")) break;
      const sum = parts.reduce((s, { r }) => s + (r.status === "ok" ? Number(r[field] ?? 0) : 0), 0);
      const t = Number(total.r[field]);
      if (sum !== t) {
        add("PARTS_NOT_TOTAL", at(total.i, field, total.r), `${field}: delarna blir ${formatNumber(sum)}, men totalt är ${formatNumber(t)} (${total.r.year}).`);
      }
    }
  }
  return findings;
}
