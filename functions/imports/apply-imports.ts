/**
 * The year's imports in the year's figures: an imported source's indicators take their values
 * from its set, for every unit, in place of what was typed (the central tab, or the units' own
 * tabs for the incidents). They are admitted by the import itself – the project leader imported
 * a checked export as a whole – and do not wait for the central tab to be handed in.
 */
import type { Fact } from "../aggregate/facts.js";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { formatNumber, formatStockholmDay } from "../shared/format-sv.js";
import { type ImportedCell, importedKey } from "../template/layout-model.js";
import type { ImportSet, ImportStore } from "./import-store.js";

export interface YearImports {
  /** The indicators whose values come from an import, and from which set. */
  bySource: ReadonlyMap<string, ImportSet>;
  facts: Fact[];
}

export function yearImports(sets: readonly ImportSet[], year: number): YearImports {
  const bySource = new Map<string, ImportSet>();
  const facts: Fact[] = [];
  for (const set of sets.filter((s) => s.year === year)) {
    for (const v of set.values) {
      bySource.set(v.indicator, set);
      facts.push({
        year,
        unit: v.unit,
        indicator: v.indicator,
        breakdown: v.breakdown,
        status: v.status,
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        respondents: v.respondents,
        origin: { kind: "import", source: set.source, file: set.file.name, sha256: set.file.sha256, rows: v.rows, importedAt: set.importedAt, by: set.by },
      });
    }
  }
  return { bySource, facts };
}

/** The year's facts with the imported indicators' values replaced by the imports'. */
export function withImports(facts: readonly Fact[], imports: YearImports, year: number): Fact[] {
  if (imports.facts.length === 0) return [...facts];
  return [...facts.filter((f) => f.year !== year || !imports.bySource.has(f.indicator)), ...imports.facts];
}

/** The inputs a snapshot records for the imports: the export's name under its source, and its hash. */
export function importInputs(imports: YearImports): { file: string; sha256: string }[] {
  const sets = new Set(imports.bySource.values());
  return [...sets].map((s) => ({ file: `import ${s.source}: ${s.file.name}`, sha256: s.file.sha256 }));
}

/** The indicators whose values for the year come from an import: what is typed for them is not read. */
export async function importedIndicators(store: ImportStore | undefined, year: number): Promise<Set<string>> {
  return new Set(yearImports((await store?.ofYear(year)) ?? [], year).bySource.keys());
}

/** The year's imported values as the template shows them: locked, each saying which import gave it. */
export function templateImports(sets: readonly ImportSet[], yc: YearCatalogue): Map<string, ImportedCell> {
  const cells = new Map<string, ImportedCell>();
  for (const set of sets.filter((s) => s.year === yc.year)) {
    const name = yc.catalogue.imports[set.source]?.name ?? set.source;
    const note = `Importerat från ${name}: ${set.file.name}, ${formatStockholmDay(new Date(set.importedAt))} av ${set.by}. Ändras med en ny import (hp import), inte här.`;
    for (const v of set.values) {
      const fields = { value: v.value, numerator: v.numerator, denominator: v.denominator, respondents: v.respondents };
      cells.set(importedKey(v.unit, v.indicator, v.breakdown), {
        status: v.status,
        fields: Object.fromEntries(Object.entries(fields).filter(([, n]) => n !== undefined)),
        shown: importedValueText(v),
        note,
      });
    }
  }
  return cells;
}

/** An imported value as a person reads it (the template, the spreadsheet, the dry run's diff): "74 (52 svarande)", "12 av 15", "3", "..". */
export function importedValueText(v: { status: string; value?: number | undefined; numerator?: number | undefined; denominator?: number | undefined; respondents?: number | undefined } | undefined): string {
  if (v?.status !== "ok") return "..";
  if (v.numerator !== undefined && v.denominator !== undefined) return `${formatNumber(v.numerator)} av ${formatNumber(v.denominator)}`;
  const value = typeof v.value === "number" ? formatNumber(v.value) : "..";
  return v.respondents !== undefined ? `${value} (${formatNumber(v.respondents)} svarande)` : value;
}
