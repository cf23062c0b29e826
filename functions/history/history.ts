/**
 * Earlier years' values in long format, one row per indicator, unit, year and breakdown part.
 * The template shows last year's value from it and validation compares against it.
 *
 * File format (sheets/historik/historik.csv, documented in sheets/historik/README.md):
 * `year,unit,indicator,breakdown,value,numerator,denominator,respondents,status`, comma
 * separated, decimal point, UTF-8.
 */
import { readFile, stat } from "node:fs/promises";
import { parse as parseCsv } from "csv-parse/sync";
import { figureOf } from "../catalogue/figure.js";
import type { Indicator } from "../catalogue/schema.js";
import type { HistoryOrigin } from "../model/origin.js";
import { STORED_STATUSES, type StoredStatus, type ValueFields, type ValueKey } from "../model/records.js";
import { HpError } from "../shared/errors.js";
import { z } from "../shared/zod.js";

export const HISTORY_COLUMNS = [
  "year",
  "unit",
  "indicator",
  "breakdown",
  "value",
  "numerator",
  "denominator",
  "respondents",
  "status",
] as const;

const optionalNumber = z.string().transform((s, ctx) => {
  const t = s.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: `"${t}" är inte ett tal (skriv decimaler med punkt)` });
    return z.NEVER;
  }
  return n;
});

export const HistoryRecordSchema = z.strictObject({
  year: z.coerce.number().int().min(1900).max(2100),
  unit: z.string().min(1),
  indicator: z.string().min(1),
  breakdown: z.string().min(1),
  /** A number, or a status text for status-list indicators. */
  value: z.string().transform((s) => {
    const t = s.trim();
    if (t === "") return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : t;
  }),
  numerator: optionalNumber,
  denominator: optionalNumber,
  respondents: optionalNumber,
  status: z.enum(STORED_STATUSES),
});
/** A stored value; `unconfirmed` is kept from the year's run (a large change nobody explained). */
export type HistoryRecord = z.infer<typeof HistoryRecordSchema> & { unconfirmed?: boolean };
/**
 * A stored value is the model's value record with a stored status. Type-only: the build fails
 * if the schema's record and the model's drift apart.
 */
type StoredValueOf<T extends ValueKey & ValueFields & { status: StoredStatus }> = T;
export type StoredValue = StoredValueOf<HistoryRecord>;

/**
 * Gives every record the one copy of each unit, indicator, breakdown and status text. Parsed
 * from CSV or JSON, each row has its own copies of the same few hundred names; ten years of a
 * large city is close to a million rows, and the copies more than double their memory.
 */
function internKeys(records: readonly HistoryRecord[]): void {
  const known = new Map<string, string>();
  const one = (text: string) => {
    const seen = known.get(text);
    if (seen !== undefined) return seen;
    known.set(text, text);
    return text;
  };
  for (const r of records as HistoryRecord[]) {
    r.unit = one(r.unit);
    r.indicator = one(r.indicator);
    r.breakdown = one(r.breakdown);
    r.status = one(r.status) as HistoryRecord["status"];
  }
}

/** Earlier years, indexed for look-up by year, unit, indicator and breakdown part. */
export class History {
  /** Built per year on first look-up: a run asks about one or two years, not all of them. */
  private readonly byYear = new Map<number, Map<string, HistoryRecord>>();

  /**
   * `example`: made-up history (the bundled file is), so reports built on it say so.
   * `origins`: where each year's values were read (the file, or a run's snapshot), for the trace.
   */
  constructor(
    readonly records: readonly HistoryRecord[],
    readonly example = false,
    readonly origins: ReadonlyMap<number, HistoryOrigin> = new Map(),
  ) {
    internKeys(records);
  }

  static empty(): History {
    return new History([]);
  }

  get(year: number, unit: string, indicator: string, breakdown: string): HistoryRecord | undefined {
    let index = this.byYear.get(year);
    if (!index) {
      index = new Map();
      for (const r of this.records) if (r.year === year) index.set(`${r.unit}|${r.indicator}|${r.breakdown}`, r);
      this.byYear.set(year, index);
    }
    return index.get(`${unit}|${indicator}|${breakdown}`);
  }

  /** The figure a person reads for a record: the count, the percentage, or the status text. */
  static figure(record: HistoryRecord, indicator: Indicator): number | string | undefined {
    return record.status === "ok" ? figureOf(record, indicator) : undefined;
  }
}

/**
 * The history files parsed in this process, by path, with the size and time they had: the demo
 * and a warm function instance open several years or commands on the same file. History is
 * read-only, so the parsed one is shared for as long as the file is unchanged.
 */
const parsed = new Map<string, { stamp: string; history: History }>();

/** Reads the history CSV (once per process while unchanged). A broken row stops with the file, the line and why. */
export async function readHistoryCsv(path: string, shownAs = path): Promise<History> {
  let text: string;
  let stamp: string;
  try {
    const info = await stat(path);
    stamp = `${info.size}|${info.mtimeMs}|${shownAs}`;
    const known = parsed.get(path);
    if (known?.stamp === stamp) return known.history;
    text = await readFile(path, "utf8");
  } catch {
    throw new HpError("history", `Historikfilen ${shownAs} saknas eller kan inte läsas.`);
  }
  const history = parseHistoryCsv(text, shownAs);
  parsed.set(path, { stamp, history });
  return history;
}

export function parseHistoryCsv(source: string, shownAs: string): History {
  // A first line starting with # is a comment; "# Exempeldata" marks made-up history.
  const comment = /^\uFEFF?#([^\n]*)\n/.exec(source);
  const text = comment ? source.slice(comment[0].length) : source;
  const lineOffset = comment ? 1 : 0;
  const example = /exempeldata/i.test(comment?.[1] ?? "");
  let header: string[] | undefined;
  let records: HistoryRecord[];
  let problem: string | undefined;
  try {
    header = (parseCsv(text, { bom: true, to_line: 1 }) as string[][])[0];
    if (!header || header.join(",") !== HISTORY_COLUMNS.join(",")) {
      throw new HpError("history", `Historikfilen ${shownAs} ska börja med rubrikraden ${HISTORY_COLUMNS.join(",")}.`);
    }
    // Each line becomes a record as it is parsed, so the raw rows never pile up in memory.
    records = parseCsv<HistoryRecord, Record<string, string>>(text, {
      bom: true,
      from_line: 2,
      columns: [...HISTORY_COLUMNS],
      skip_empty_lines: true,
      on_record: (raw, context) => {
        if (problem) return null;
        const parsed = HistoryRecordSchema.safeParse(raw);
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        problem = `rad ${context.lines + lineOffset}, kolumn ${String(issue?.path[0] ?? "?")}: ${issue?.message}`;
        return null;
      },
    });
  } catch (error) {
    if (error instanceof HpError) throw error;
    throw new HpError("history", `Historikfilen ${shownAs} är inte giltig CSV: ${(error as Error).message}`);
  }
  if (problem) throw new HpError("history", `Historikfilen ${shownAs} ${problem}`);
  const file: HistoryOrigin = { kind: "history-file", file: shownAs };
  return new History(records, example, new Map([...new Set(records.map((r) => r.year))].map((y) => [y, file])));
}
