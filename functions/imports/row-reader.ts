/**
 * The reading of an export's rows: the header row found by the catalogue's aliases (among the
 * first rows: an export may have a title above it), and each cell read as what it should be –
 * a unit, a date, a sex, a number, yes or no – or a problem with its row and column.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { IMPORT_COLUMNS, type ImportSourceId } from "../catalogue/schema.js";
import { parseSwedishNumber } from "../normalise/parse-cell.js";
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

/** The most problems listed for one file; the rest are counted. */
const MAX_PROBLEMS = 200;

/** The columns of the header row, found by the catalogue's aliases, and the reading of each cell. */
export class RowReader {
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
    const { required, optional } = IMPORT_COLUMNS[this.source];
    let best: { row: TableRow; index: number; header: string[]; found: Map<string, number>; score: number; problems: ImportProblem[] } | undefined;
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
      if (!best || score > best.score) best = { row, index, header, found, score, problems };
      if (score === required.length) break;
    }
    const chosen = best!;
    this.header = chosen.header;
    this.columns = chosen.found;
    for (const p of chosen.problems) this.fail(p.row, p.column, p.message);
    for (const key of required) {
      if (this.columns.has(key)) continue;
      const aliases = (settings.columns as Record<string, string[]>)[key]!;
      this.fail(chosen.row.row, null, `Kolumnen för ${COLUMN_LABELS[key]} saknas. Den ska heta något av: ${aliases.join(", ")} (se sheets/catalogue/imports.yaml).`);
    }
    if (this.problems.length > 0) return undefined;
    return this.table.rows.slice(chosen.index + 1);
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

