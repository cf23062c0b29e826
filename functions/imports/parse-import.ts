/**
 * A system's export read into the year's values of the indicators it holds, or the reasons it
 * cannot be: every problem with its row and column as the user sees them, and then nothing is
 * imported. Only counts and results leave here: the rows (incidents, employees, managers) are
 * about people and are never kept; each value keeps the numbers of the rows it was made from.
 */
import { type BreakdownPart, breakdownParts, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { ImportSourceId, Indicator } from "../catalogue/schema.js";
import { fieldRange, valueProblem } from "../catalogue/value-rules.js";
import { formatNumber } from "../shared/format-sv.js";
import { TOTAL } from "../shared/vocabulary.js";
import { matchName } from "./names.js";
import type { Table, TableRow } from "./read-table.js";
import { type ImportProblem, RowReader } from "./row-reader.js";

export type { ImportProblem } from "./row-reader.js";

/** One imported value, and the rows of the export it was made from. */
export interface ImportedValue {
  unit: string;
  indicator: string;
  breakdown: string;
  status: "ok" | "missing";
  value?: number;
  numerator?: number;
  denominator?: number;
  respondents?: number;
  /** The export's rows behind it, as ranges: "2–14, 20". Empty for a count of 0. */
  rows: string;
}

export interface ParsedImport {
  source: ImportSourceId;
  year: number;
  values: ImportedValue[];
  /** Data rows read (after the header). */
  rowsRead: number;
  /** Rows that went into a value. */
  rowsUsed: number;
  /** What was left out and why, and what was read as something else, in Swedish. */
  notes: string[];
  problems: ImportProblem[];
}

/** The indicators a source fills in a year. */
export function sourceIndicators(yc: YearCatalogue, source: ImportSourceId): Indicator[] {
  const ids = new Set(yc.catalogue.imports[source].indicators);
  return yc.indicators.filter((i) => ids.has(i.id));
}

export function parseImport(yc: YearCatalogue, source: ImportSourceId, table: Table): ParsedImport {
  const reader = new RowReader(yc, source, table);
  const result: ParsedImport = { source, year: yc.year, values: [], rowsRead: 0, rowsUsed: 0, notes: [], problems: reader.problems };
  const indicators = sourceIndicators(yc, source);
  if (indicators.length === 0) {
    reader.fail(null, null, `Inga av källans indikatorer (${yc.catalogue.imports[source].indicators.join(", ")}) följs upp ${yc.year}.`);
    return result;
  }
  const rows = reader.dataRows();
  if (!rows) return result;
  result.rowsRead = rows.length;
  const parse = { enkat: parseSurvey, incidenter: parseIncidents, introduktion: parseIntroduction, ledarprogram: parseLeadership }[source];
  parse(reader, rows, indicators, result);
  for (const problem of countRangeProblems(yc, result.values)) reader.fail(problem.row, problem.column, problem.message);
  if (reader.problems.length > 0) result.values = [];
  reader.finish();
  return result;
}

/** A count above the catalogue's range for the indicator is no figure to publish as it is. */
function countRangeProblems(yc: YearCatalogue, values: readonly ImportedValue[]): ImportProblem[] {
  const indicators = new Map(yc.indicators.map((i) => [i.id, i]));
  const problems: ImportProblem[] = [];
  for (const v of values) {
    const indicator = indicators.get(v.indicator)!;
    if (indicator.measure === "count" && v.value !== undefined && valueProblem(fieldRange(indicator, "value"), v.value)) {
      const unit = yc.units.find((u) => u.id === v.unit)?.name ?? v.unit;
      problems.push({ row: null, column: null, message: `${unit}: ${formatNumber(v.value)} ${indicator.shortTitle.toLocaleLowerCase("sv-SE")} (${v.breakdown}) är fler än katalogens gräns ${formatNumber(indicator.range?.max ?? 0)}; kontrollera exporten.` });
    }
  }
  return problems;
}

type ValueFields = Omit<ImportedValue, "unit" | "indicator" | "breakdown">;

/**
 * One value per unit of the year and part of the indicator's breakdown: what `valueFor` gives,
 * else missing (the export did not give it, or cannot tell it).
 */
function yearValues(r: RowReader, indicator: Indicator, valueFor: (unit: string, part: BreakdownPart) => ValueFields | undefined): ImportedValue[] {
  return r.yc.units.flatMap((unit) =>
    breakdownParts(r.yc.catalogue, indicator.breakdown).map((part) => ({
      unit: unit.id,
      indicator: indicator.id,
      breakdown: part.key,
      ...(valueFor(unit.id, part) ?? { status: "missing" as const, rows: "" }),
    })),
  );
}

/** Row numbers as ranges: [2, 3, 4, 9] → "2–4, 9". */
function rowRanges(rows: readonly number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j;
  }
  return parts.join(", ");
}

/** Counts of rows per unit and breakdown part, with the rows behind each. */
class Tally {
  private readonly rows = new Map<string, number[]>();
  add(unit: string, part: string, row: number) {
    const key = `${unit}|${part}`;
    const list = this.rows.get(key) ?? [];
    list.push(row);
    this.rows.set(key, list);
  }
  count(unit: string, part: string) {
    return this.rows.get(`${unit}|${part}`)?.length ?? 0;
  }
  rowsOf(unit: string, part: string) {
    return this.rows.get(`${unit}|${part}`) ?? [];
  }
  /** The count as an imported value, with the rows behind it. */
  counted(unit: string, part: string): ValueFields {
    return { status: "ok", value: this.count(unit, part), rows: rowRanges(this.rowsOf(unit, part)) };
  }
}

function inYear(d: Date, year: number) {
  return d.getUTCFullYear() === year;
}

function outsideYearNote(n: number, year: number, what: string): string[] {
  return n > 0 ? [`${n} ${n === 1 ? "rad" : "rader"} med ${what} utanför ${year} räknades inte.`] : [];
}

// --- Medarbetarenkäten --------------------------------------------------------------------

function parseSurvey(r: RowReader, rows: TableRow[], indicators: Indicator[], out: ParsedImport) {
  const byQuestion = new Map<string, Indicator>();
  for (const i of indicators) {
    byQuestion.set(matchName(i.title), i);
    byQuestion.set(matchName(i.id), i);
  }
  const notes = new Map<string, string>();
  const seen = new Map<string, number>();
  const values: ImportedValue[] = [];
  for (const row of rows) {
    const unit = r.unit(row, notes);
    const questionText = r.text(row, "question");
    const indicator = byQuestion.get(matchName(questionText));
    if (questionText === "") r.fail(row.row, r.column("question"), "Frågan saknas.");
    else if (!indicator) r.fail(row.row, r.column("question"), `Frågan ”${questionText}” är ingen av planens enkätfrågor ${r.yc.year}; ta bort raden eller skriv frågan som i katalogen.`);
    const sex = r.sex(row);
    const result = r.number(row, "result");
    const respondents = r.number(row, "respondents");
    if (!unit || !indicator || !sex || result === undefined || respondents === undefined) continue;
    const key = `${unit}|${indicator.id}|${sex}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      r.fail(row.row, null, `Samma förvaltning, fråga och kön som på rad ${earlier}; varje kombination ska finnas en gång.`);
      continue;
    }
    seen.set(key, row.row);
    if (result !== null && valueProblem(fieldRange(indicator, "value"), result)) r.fail(row.row, r.column("result"), `Resultatet ${formatNumber(result, 2)} ligger utanför 0–100.`);
    if (respondents !== null && valueProblem(fieldRange(indicator, "respondents"), respondents)) r.fail(row.row, r.column("respondents"), `Antal svarande ska vara ett heltal, minst 0 (inte ${formatNumber(respondents, 2)}).`);
    values.push({
      unit,
      indicator: indicator.id,
      breakdown: sex,
      status: result === null ? "missing" : "ok",
      ...(result !== null ? { value: result } : {}),
      ...(respondents !== null ? { respondents } : {}),
      rows: String(row.row),
    });
  }
  // Shares written as fractions (0,74 for 74 %) would pass the range and mislead: refused.
  const results = values.flatMap((v) => (v.value !== undefined ? [v.value] : []));
  if (results.length >= 3 && results.every((v) => v <= 1) && results.some((v) => v > 0)) {
    r.fail(null, r.column("result"), "Alla resultat är högst 1: de ser ut att vara andelar (0,74) i stället för procent (74). Exportera resultaten i procent.");
  }
  // The survey's units and questions not in the file stay missing: the survey did not report them.
  const given = new Map(values.map((v) => [`${v.unit}|${v.indicator}|${v.breakdown}`, v]));
  out.values = indicators.flatMap((indicator) => yearValues(r, indicator, (unit, part) => given.get(`${unit}|${indicator.id}|${part.key}`)));
  out.rowsUsed = seen.size;
  out.notes.push(...notes.values());
}

// --- Incidenter (IA) ---------------------------------------------------------------------------

function parseIncidents(r: RowReader, rows: TableRow[], indicators: Indicator[], out: ParsedImport) {
  const indicator = indicators[0]!;
  const kinds = new Set((r.yc.catalogue.imports.incidenter.kinds ?? []).map(matchName));
  const areas = new Map<string, string>();
  for (const a of r.yc.catalogue.activityAreas) for (const n of [a.id, a.name, ...(a.aliases ?? [])]) areas.set(matchName(n), a.id);
  const notes = new Map<string, string>();
  const tally = new Tally();
  const ids = new Map<string, { row: number; unit: string; area: string | null }>();
  const duplicates: string[] = [];
  const otherKinds = new Map<string, number>();
  let outside = 0;
  let withoutArea = 0;
  for (const row of rows) {
    const id = r.text(row, "id");
    if (id === "") r.fail(row.row, r.column("id"), "Incidentens id saknas.");
    const date = r.date(row, "date");
    const unit = r.unit(row, notes);
    const kindText = r.text(row, "kind");
    const areaText = r.has("activityArea") ? r.text(row, "activityArea") : "";
    const area = areaText === "" ? null : areas.get(matchName(areaText));
    if (area === undefined) r.fail(row.row, r.column("activityArea"), `Verksamheten ”${areaText}” finns inte i katalogen (${r.yc.catalogue.activityAreas.map((a) => a.name).join(", ")}).`);
    if (id === "" || !date || !unit || area === undefined) continue;
    if (!inYear(date, r.yc.year)) {
      outside++;
      continue;
    }
    if (!kinds.has(matchName(kindText))) {
      otherKinds.set(kindText || "(tom)", (otherKinds.get(kindText || "(tom)") ?? 0) + 1);
      continue;
    }
    const earlier = ids.get(id);
    if (earlier) {
      if (earlier.unit !== unit || earlier.area !== area) r.fail(row.row, r.column("id"), `Incident ${id} finns redan på rad ${earlier.row} med en annan förvaltning eller verksamhet.`);
      else duplicates.push(`${id} (rad ${earlier.row} och ${row.row})`);
      continue;
    }
    ids.set(id, { row: row.row, unit, area });
    tally.add(unit, TOTAL, row.row);
    if (area) tally.add(unit, area, row.row);
    else withoutArea++;
  }
  const withArea = r.has("activityArea");
  // Without a column for the activity area, only the totals are known.
  out.values = yearValues(r, indicator, (unit, part) => (part.isTotal || withArea ? tally.counted(unit, part.key) : undefined));
  out.rowsUsed = ids.size;
  out.notes.push(...notes.values(), ...outsideYearNote(outside, r.yc.year, "datum"));
  if (duplicates.length > 0) out.notes.push(`${duplicates.length} ${duplicates.length === 1 ? "incident fanns" : "incidenter fanns"} två gånger och räknades en gång: ${duplicates.slice(0, 20).join(", ")}${duplicates.length > 20 ? " …" : ""}.`);
  for (const [kind, n] of otherKinds) out.notes.push(`${n} ${n === 1 ? "incident" : "incidenter"} av typen ”${kind}” räknades inte (bara hot, våld och otillåten påverkan).`);
  if (withoutArea > 0) out.notes.push(`${withoutArea} ${withoutArea === 1 ? "incident" : "incidenter"} utan verksamhet räknades bara i förvaltningens totalt.`);
  if (!withArea) out.notes.push("Filen har ingen kolumn för verksamhet: bara förvaltningarnas totalt importerades.");
}

// --- Introduktionsutbildningen ---------------------------------------------------------------

function parseIntroduction(r: RowReader, rows: TableRow[], indicators: Indicator[], out: ParsedImport) {
  const indicator = indicators[0]!;
  if (!r.has("completed") && !r.has("completedDate")) {
    r.fail(null, null, `Kolumnen som säger om introduktionen är genomförd saknas: en kolumn ${r.yc.catalogue.imports.introduktion.columns.completed?.[0] ?? "Genomförd"} (ja/nej) eller ${r.yc.catalogue.imports.introduktion.columns.completedDate?.[0] ?? "Genomförd datum"}.`);
    return;
  }
  const withSex = r.has("sex");
  const notes = new Map<string, string>();
  const started = new Tally();
  const done = new Tally();
  let outside = 0;
  let used = 0;
  for (const row of rows) {
    const unit = r.unit(row, notes);
    const start = r.date(row, "start");
    const sex = withSex ? r.sex(row, TOTAL) : TOTAL;
    const flag = r.has("completed") ? r.yesNo(row, "completed") : null;
    const completedOn = r.has("completedDate") ? r.date(row, "completedDate", false) : null;
    if (!unit || !start || !sex || flag === undefined || completedOn === undefined) continue;
    if (!inYear(start, r.yc.year)) {
      outside++;
      continue;
    }
    const completed = flag === true || (flag === null && completedOn !== null);
    used++;
    for (const part of sex === TOTAL ? [TOTAL] : [sex, TOTAL]) {
      started.add(unit, part, row.row);
      if (completed) done.add(unit, part, row.row);
    }
  }
  out.values = yearValues(r, indicator, (unit, part) => {
    const denominator = started.count(unit, part.key);
    // No new employees (or no sex in the file): no share to give.
    if (denominator === 0 || (!part.isTotal && !withSex)) return undefined;
    return { status: "ok", numerator: done.count(unit, part.key), denominator, rows: rowRanges(started.rowsOf(unit, part.key)) };
  });
  out.rowsUsed = used;
  out.notes.push(...notes.values(), ...outsideYearNote(outside, r.yc.year, "startdatum"));
  if (!withSex) out.notes.push("Filen har ingen kolumn för kön: bara förvaltningarnas totalt importerades.");
}

// --- Ledarutvecklingsprogrammet ------------------------------------------------------------

function parseLeadership(r: RowReader, rows: TableRow[], indicators: Indicator[], out: ParsedImport) {
  const indicator = indicators[0]!;
  const withSex = r.has("sex");
  const notes = new Map<string, string>();
  const tally = new Tally();
  let outside = 0;
  let used = 0;
  for (const row of rows) {
    const unit = r.unit(row, notes);
    const date = r.date(row, "date");
    const sex = withSex ? r.sex(row, TOTAL) : TOTAL;
    if (!unit || !date || !sex) continue;
    if (!inYear(date, r.yc.year)) {
      outside++;
      continue;
    }
    used++;
    for (const part of sex === TOTAL ? [TOTAL] : [sex, TOTAL]) tally.add(unit, part, row.row);
  }
  out.values = yearValues(r, indicator, (unit, part) => (part.isTotal || withSex ? tally.counted(unit, part.key) : undefined));
  out.rowsUsed = used;
  out.notes.push(...notes.values(), ...outsideYearNote(outside, r.yc.year, "datum"));
  if (!withSex) out.notes.push("Filen har ingen kolumn för kön: bara förvaltningarnas totalt importerades.");
}
