/**
 * One import of a system's export for a year (hp import, and the project leader's page): read
 * the file, check every row, and – when nothing is wrong and it is not a dry run – make it the
 * source's set for the year as a whole. What would change is told against what is there now:
 * the source's earlier import, else what is typed in the tabs now, else the year's figures as
 * last stored.
 * The caller holds the year's lock for a write.
 */
import { createHash, randomUUID } from "node:crypto";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { breakdownParts } from "../catalogue/catalogue-for-year.js";
import type { ImportSourceId } from "../catalogue/schema.js";
import type { HistoryStore } from "../history/store.js";
import type { ImportSet, ImportStore } from "../imports/import-store.js";
import { type ImportProblem, type ImportedValue, parseImport, sourceIndicators } from "../imports/parse-import.js";
import { readTable, TableProblem } from "../imports/read-table.js";
import { importedValueText } from "../imports/apply-imports.js";
import { factsFromObservations } from "../aggregate/facts.js";
import { validateSource } from "../validate/validate-source.js";
import type { CheckYearInput } from "./check-year.js";

export interface ImportYearInput {
  yc: YearCatalogue;
  imports: ImportStore;
  /** The year's stored figures, to tell what changes when the source has no earlier import. */
  store?: HistoryStore | undefined;
  now: Date;
  by: string;
  /**
   * What is typed for the year now, read afresh from the tabs: what a source's first import is
   * compared with. Absent, or when the tabs cannot be read, the year's stored figures are used.
   */
  typed?: (() => Promise<readonly ValueLike[]>) | undefined;
}

/** The values typed in a source's tabs now, as the import's dry run compares them. */
export async function typedValues(input: Pick<CheckYearInput, "source" | "yc" | "definition" | "history" | "maxChange">): Promise<ValueLike[]> {
  const validation = await validateSource(input.source, input);
  return factsFromObservations(validation.observations).map(valueLike);
}

/** A typed or stored value as the diff compares it: a number or nothing, and ok or missing. */
function valueLike<T extends Omit<ValueLike, "value" | "status"> & { value?: number | string | undefined; status: string }>(r: T): ValueLike {
  return { ...r, value: typeof r.value === "number" ? r.value : undefined, status: r.status === "ok" ? "ok" : "missing" };
}

export interface ImportChange {
  unit: string;
  indicator: string;
  /** "Kvinnor 71 → 74, Totalt 72 → 73". */
  parts: string[];
}

export interface ImportOutcome {
  source: ImportSourceId;
  file: string;
  format?: string;
  problems: ImportProblem[];
  notes: string[];
  rowsRead: number;
  rowsUsed: number;
  /** What the figures are compared with: "importen 2026-02-03 av Eva (enkat.csv)" or "årets sparade värden". */
  against: string;
  changes: ImportChange[];
  unchanged: number;
  /** The set written (not on a dry run, nor when the file has problems). */
  written?: ImportSet;
}

export async function importYear(input: ImportYearInput, source: ImportSourceId, bytes: Buffer, shown: string, { dryRun }: { dryRun: boolean }): Promise<ImportOutcome> {
  const { yc } = input;
  const outcome: ImportOutcome = { source, file: shown, problems: [], notes: [], rowsRead: 0, rowsUsed: 0, against: "", changes: [], unchanged: 0 };
  let table: Awaited<ReturnType<typeof readTable>>;
  try {
    table = await readTable(bytes, shown);
  } catch (error) {
    if (!(error instanceof TableProblem)) throw error;
    outcome.problems.push({ row: null, column: null, message: error.message });
    return outcome;
  }
  const parsed = parseImport(yc, source, table);
  Object.assign(outcome, { format: table.format, notes: parsed.notes, rowsRead: parsed.rowsRead, rowsUsed: parsed.rowsUsed });
  outcome.problems.push(...parsed.problems);
  if (outcome.problems.length > 0) return outcome;

  const earlier = (await input.imports.ofYear(yc.year)).find((s) => s.source === source);
  const before = new Map<string, ValueLike>();
  if (earlier) {
    outcome.against = `importen ${earlier.importedAt.slice(0, 10)} av ${earlier.by} (${earlier.file.name})`;
    for (const v of earlier.values) before.set(key(v), v);
  } else {
    const ids = new Set(sourceIndicators(yc, source).map((i) => i.id));
    const typed = (await input.typed?.().catch(() => undefined))?.filter((v) => ids.has(v.indicator));
    if (typed && typed.length > 0) {
      outcome.against = "det som står inskrivet i flikarna nu";
      for (const v of typed) before.set(key(v), v);
    } else {
      const stored = await input.store?.read(yc.year);
      outcome.against = stored ? "årets sparade värden (det som skrevs in och kördes senast)" : "ett år utan sparade värden";
      for (const r of stored?.records ?? []) if (ids.has(r.indicator)) before.set(key(r), valueLike(r));
    }
  }
  const { changes, unchanged } = diff(yc, parsed.values, before);
  outcome.changes = changes;
  outcome.unchanged = unchanged;
  if (dryRun) return outcome;

  const set: ImportSet = {
    source,
    year: yc.year,
    importedAt: input.now.toISOString(),
    by: input.by,
    runId: randomUUID(),
    file: { name: shown.split(/[\\/]/).at(-1)!, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), format: table.format },
    rowsRead: parsed.rowsRead,
    rowsUsed: parsed.rowsUsed,
    values: parsed.values,
  };
  await input.imports.write(set);
  outcome.written = set;
  return outcome;
}

export type ValueLike = Pick<ImportedValue, "unit" | "indicator" | "breakdown" | "status" | "value" | "numerator" | "denominator" | "respondents">;
const key = (v: { unit: string; indicator: string; breakdown: string }) => `${v.unit}|${v.indicator}|${v.breakdown}`;

function diff(yc: YearCatalogue, after: readonly ImportedValue[], before: ReadonlyMap<string, ValueLike>): { changes: ImportChange[]; unchanged: number } {
  const changes: ImportChange[] = [];
  let unchanged = 0;
  const byUnit = new Map<string, ImportedValue[]>();
  for (const v of after) byUnit.set(`${v.unit}|${v.indicator}`, [...(byUnit.get(`${v.unit}|${v.indicator}`) ?? []), v]);
  const indicators = new Map(yc.indicators.map((i) => [i.id, i]));
  for (const unit of yc.units) {
    for (const indicator of yc.indicators) {
      const values = byUnit.get(`${unit.id}|${indicator.id}`);
      if (!values) continue;
      const parts: string[] = [];
      for (const part of breakdownParts(yc.catalogue, indicators.get(indicator.id)!.breakdown)) {
        const v = values.find((x) => x.breakdown === part.key);
        if (!v) continue;
        const [was, now] = [importedValueText(before.get(key(v))), importedValueText(v)];
        if (was === now) unchanged++;
        else parts.push(`${part.label} ${was} → ${now}`);
      }
      if (parts.length > 0) changes.push({ unit: unit.id, indicator: indicator.id, parts });
    }
  }
  return { changes, unchanged };
}
