/**
 * A system's export read into the year's values of the indicators it holds, or the reasons it
 * cannot be: every problem with its row and column as the user sees them, and then nothing is
 * imported. Only counts and results leave here: the rows (incidents, employees, managers) are
 * about people and are never kept; each value keeps the numbers of the rows it was made from.
 */
import { breakdownParts, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { ImportSourceId, Indicator } from "../catalogue/schema.js";
import { parseSwedishNumber } from "../normalise/parse-cell.js";
import { fieldRange, valueProblem } from "../catalogue/value-rules.js";
import { formatNumber } from "../shared/format-sv.js";
import { TOTAL } from "../shared/vocabulary.js";
import { serialToDate } from "../workbook/grid.js";
import { matchName, unitResolver } from "./names.js";
import { columnName, type Table, type TableRow, type TableValue } from "./read-table.js";

export interface ImportProblem {
  /** The row as the user sees it; null for the file as a whole. */
  row: number | null;
  column: string | null;
  message: string;
}

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

/** The most problems listed for one file; the rest are counted. */
const MAX_PROBLEMS = 200;

/** The indicators a source fills in a year. */
export function sourceIndicators(yc: YearCatalogue, source: ImportSourceId): Indicator[] {
  const ids = new Set(yc.catalogue.imports[source].indicators);
  return yc.indicators.filter((i) => ids.has(i.id));
}

/** Which source an indicator is imported from, if any. */
export function importSourceOf(yc: YearCatalogue, indicator: string): ImportSourceId | undefined {
  for (const [source, settings] of Object.entries(yc.catalogue.imports)) if (settings.indicators.includes(indicator)) return source as ImportSourceId;
  return undefined;
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
  if (reader.problems.length > 0) result.values = [];
  reader.finish();
  return result;
}

/** The columns of the header row, found by the catalogue's aliases, and the reading of each cell. */
class RowReader {
  readonly problems: ImportProblem[] = [];
  private extra = 0;
  private columns = new Map<string, number>();
  private header: string[] = [];
  readonly unitOf: ReturnType<typeof unitResolver>;

  constructor(
    readonly yc: YearCatalogue,
    readonly source: ImportSourceId,
    readonly table: Table,
  ) {
    this.unitOf = unitResolver(yc.catalogue, yc.year);
  }

  fail(row: number | null, column: string | null, message: string) {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ row, column, message });
    else this.extra++;
  }

  finish() {
    if (this.extra > 0) this.problems.push({ row: null, column: null, message: `… och ${this.extra} fel till av samma slag.` });
  }

  has(key: string) {
    return this.columns.has(key);
  }

  /** The header (the first of the first 20 rows that names every required column) and the rows after it. */
  dataRows(): TableRow[] | undefined {
    const settings = this.yc.catalogue.imports[this.source];
    const { required, optional } = columnsOf(this.source);
    let best: { index: number; found: Map<string, number>; problems: ImportProblem[] } | undefined;
    for (const [index, row] of this.table.rows.slice(0, 20).entries()) {
      const header = row.cells.map((c) => (c === null ? "" : String(c).trim()));
      const found = new Map<string, number>();
      const problems: ImportProblem[] = [];
      for (const key of [...required, ...optional]) {
        const aliases = (settings.columns as Record<string, string[] | undefined>)[key] ?? [];
        // The column named by the earliest alias: "Förvaltning" before "Enhet".
        for (const alias of aliases) {
          const at = header.flatMap((h, i) => (matchName(h) === matchName(alias) ? [i] : []));
          if (at.length > 1) problems.push({ row: row.row, column: null, message: `Två kolumner heter ${alias} (${at.map((i) => columnName(this.table, i, header[i]!)).join(" och ")}); ta bort den ena.` });
          if (at.length > 0) {
            found.set(key, at[0]!);
            break;
          }
        }
      }
      const score = required.filter((k) => found.has(k)).length;
      if (!best || score > required.filter((k) => best!.found.has(k)).length) best = { index, found, problems };
      if (score === required.length) break;
    }
    const header = this.table.rows[best!.index]!;
    this.header = header.cells.map((c) => (c === null ? "" : String(c).trim()));
    this.columns = best!.found;
    for (const p of best!.problems) this.fail(p.row, p.column, p.message);
    for (const key of required) {
      if (this.columns.has(key)) continue;
      const aliases = (settings.columns as Record<string, string[]>)[key]!;
      this.fail(header.row, null, `Kolumnen för ${COLUMN_LABELS[key]} saknas. Den ska heta något av: ${aliases.join(", ")} (se sheets/catalogue/imports.yaml).`);
    }
    if (this.problems.length > 0) return undefined;
    return this.table.rows.slice(best!.index + 1);
  }

  /** The column as the user sees it, for a message. */
  column(key: string): string {
    const i = this.columns.get(key)!;
    return columnName(this.table, i, this.header[i] ?? "");
  }

  cell(row: TableRow, key: string): TableValue {
    const i = this.columns.get(key);
    return i === undefined ? null : (row.cells[i] ?? null);
  }

  text(row: TableRow, key: string): string {
    const v = this.cell(row, key);
    if (v === null) return "";
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return String(v).trim();
  }

  /** The unit a row names, or a problem; a unit merged into another counts as the one it became. */
  unit(row: TableRow, notes: Map<string, string>): string | undefined {
    const name = this.text(row, "unit");
    if (name === "") {
      this.fail(row.row, this.column("unit"), "Förvaltningen saknas.");
      return undefined;
    }
    const found = this.unitOf(name);
    if ("problem" in found) {
      this.fail(row.row, this.column("unit"), found.problem);
      return undefined;
    }
    if (found.note) notes.set(found.note, found.note);
    return found.unit;
  }

  /** A date in a cell: an Excel date or serial, or text as 2025-03-14 (a time after it is ignored). */
  date(row: TableRow, key: string, required = true): Date | null | undefined {
    const v = this.cell(row, key);
    if (v instanceof Date) return v;
    if (typeof v === "number" && v > 20_000 && v < 80_000) return serialToDate(Math.floor(v));
    const t = this.text(row, key);
    if (t === "") {
      if (required) this.fail(row.row, this.column(key), `${capital(COLUMN_LABELS[key]!)} saknas.`);
      return null;
    }
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
    if (!d || d.getUTCMonth() !== Number(m![2]) - 1 || d.getUTCDate() !== Number(m![3])) {
      this.fail(row.row, this.column(key), `”${t}” är inget datum; skriv det som 2025-03-14.`);
      return undefined;
    }
    return d;
  }

  /** K, M or T from what the export writes (Kvinnor, Man, Totalt, …); blank is T where blank is allowed. */
  sex(row: TableRow, blankIs?: string): string | undefined {
    const t = matchName(this.text(row, "sex"));
    if (t === "" && blankIs) return blankIs;
    const sex = SEX_WORDS.get(t);
    if (!sex) this.fail(row.row, this.column("sex"), `”${this.text(row, "sex")}” är inget kön; skriv K, M eller T (Kvinnor, Män, Totalt).`);
    return sex;
  }

  /** A number as a Swedish export writes it: "74,5", "74,5 %", "1 234". */
  number(row: TableRow, key: string): number | null | undefined {
    const v = this.cell(row, key);
    if (typeof v === "number") return v;
    const t = this.text(row, key);
    if (t === "" || t === ".." || t === "–" || t === "-") return null;
    const parsed = parseSwedishNumber(t);
    if (parsed === undefined || parsed === "ambiguous") {
      this.fail(row.row, this.column(key), parsed === "ambiguous" ? `”${t}” kan läsas på två sätt; skriv decimaler med komma och inga punkter mellan tusental.` : `”${t}” är inget tal.`);
      return undefined;
    }
    return parsed.value;
  }

  yesNo(row: TableRow, key: string): boolean | null | undefined {
    const v = this.cell(row, key);
    if (typeof v === "boolean") return v;
    const t = matchName(this.text(row, key));
    if (t === "") return null;
    if (YES.has(t)) return true;
    if (NO.has(t)) return false;
    this.fail(row.row, this.column(key), `”${this.text(row, key)}” är varken ja eller nej.`);
    return undefined;
  }
}

const COLUMN_LABELS: Record<string, string> = {
  unit: "förvaltning",
  question: "fråga",
  sex: "kön",
  result: "resultat",
  respondents: "antal svarande",
  id: "incidentens id",
  date: "datum",
  kind: "händelsetyp",
  activityArea: "verksamhet",
  start: "startdatum",
  completed: "genomförd (ja/nej)",
  completedDate: "datum för genomförd introduktion",
  role: "roll",
};

const capital = (s: string) => s.charAt(0).toLocaleUpperCase("sv-SE") + s.slice(1);

function columnsOf(source: ImportSourceId): { required: readonly string[]; optional: readonly string[] } {
  return {
    enkat: { required: ["unit", "question", "sex", "result", "respondents"], optional: [] },
    incidenter: { required: ["id", "date", "unit", "kind"], optional: ["activityArea"] },
    introduktion: { required: ["unit", "start"], optional: ["completed", "completedDate", "sex"] },
    ledarprogram: { required: ["unit", "date"], optional: ["role", "sex"] },
  }[source];
}

const SEX_WORDS = new Map([
  ["k", "K"],
  ["kvinna", "K"],
  ["kvinnor", "K"],
  ["m", "M"],
  ["man", "M"],
  ["män", "M"],
  ["t", TOTAL],
  ["totalt", TOTAL],
  ["total", TOTAL],
  ["alla", TOTAL],
  ["samtliga", TOTAL],
]);
const YES = new Set(["ja", "j", "yes", "1", "sant", "true", "x", "genomförd", "genomfört", "slutförd", "klar"]);
const NO = new Set(["nej", "n", "no", "0", "falskt", "false", "ej genomförd", "ej genomfört", "inte genomförd", "ej slutförd", "ej klar", "pågår", "påbörjad"]);

/** Row numbers as ranges: [2, 3, 4, 9] → "2–4, 9". */
export function rowRanges(rows: readonly number[]): string {
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
  const given = new Set(values.map((v) => `${v.unit}|${v.indicator}|${v.breakdown}`));
  for (const indicator of indicators) {
    for (const unit of r.yc.units) {
      for (const part of breakdownParts(r.yc.catalogue, indicator.breakdown)) {
        if (!given.has(`${unit.id}|${indicator.id}|${part.key}`)) values.push({ unit: unit.id, indicator: indicator.id, breakdown: part.key, status: "missing", rows: "" });
      }
    }
  }
  out.values = values;
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
  const values: ImportedValue[] = [];
  for (const unit of r.yc.units) {
    for (const part of breakdownParts(r.yc.catalogue, indicator.breakdown)) {
      // Without a column for the activity area, only the totals are known.
      if (!part.isTotal && !withArea) {
        values.push({ unit: unit.id, indicator: indicator.id, breakdown: part.key, status: "missing", rows: "" });
        continue;
      }
      values.push({ unit: unit.id, indicator: indicator.id, breakdown: part.key, status: "ok", value: tally.count(unit.id, part.key), rows: rowRanges(tally.rowsOf(unit.id, part.key)) });
    }
  }
  out.values = values;
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
  const values: ImportedValue[] = [];
  for (const unit of r.yc.units) {
    for (const part of breakdownParts(r.yc.catalogue, indicator.breakdown)) {
      const denominator = started.count(unit.id, part.key);
      // No new employees (or no sex in the file): no share to give.
      if (denominator === 0 || (!part.isTotal && !withSex)) {
        values.push({ unit: unit.id, indicator: indicator.id, breakdown: part.key, status: "missing", rows: "" });
        continue;
      }
      values.push({ unit: unit.id, indicator: indicator.id, breakdown: part.key, status: "ok", numerator: done.count(unit.id, part.key), denominator, rows: rowRanges(started.rowsOf(unit.id, part.key)) });
    }
  }
  out.values = values;
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
  const values: ImportedValue[] = [];
  for (const unit of r.yc.units) {
    for (const part of breakdownParts(r.yc.catalogue, indicator.breakdown)) {
      if (!part.isTotal && !withSex) {
        values.push({ unit: unit.id, indicator: indicator.id, breakdown: part.key, status: "missing", rows: "" });
        continue;
      }
      values.push({ unit: unit.id, indicator: indicator.id, breakdown: part.key, status: "ok", value: tally.count(unit.id, part.key), rows: rowRanges(tally.rowsOf(unit.id, part.key)) });
    }
  }
  out.values = values;
  out.rowsUsed = used;
  out.notes.push(...notes.values(), ...outsideYearNote(outside, r.yc.year, "datum"));
  if (!withSex) out.notes.push("Filen har ingen kolumn för kön: bara förvaltningarnas totalt importerades.");
}
