/**
 * Reads the catalogue files under sheets/catalogue, validates each against its schema and
 * checks the references between them. A broken catalogue stops with the file, the path
 * inside it and why.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { HpError } from "../shared/errors.js";
import { defaultCatalogueDir, projectRoot } from "../shared/paths.js";
import type { z } from "../shared/zod.js";
import {
  type Catalogue,
  IMPORT_SOURCES,
  ImportsFileSchema,
  IndicatorsFileSchema,
  PlansFileSchema,
  UnitsFileSchema,
  YearsFileSchema,
} from "./schema.js";

const FILES = {
  plans: "plans.yaml",
  units: "units.yaml",
  indicators: "indicators.yaml",
  years: "years.yaml",
  imports: "imports.yaml",
} as const;

/** The catalogue's files by name. */
export type CatalogueSources = Record<(typeof FILES)[keyof typeof FILES], string>;
export const CATALOGUE_FILES = Object.values(FILES);

/** Reads the catalogue files of a folder, as they are; HpError("catalogue") when one is missing. */
export async function readCatalogueSources(dir = defaultCatalogueDir()): Promise<CatalogueSources> {
  const read = await Promise.allSettled(CATALOGUE_FILES.map((name) => readFile(join(dir, name), "utf8")));
  // The first file that cannot be read, in the catalogue's order: the same message every time.
  const missing = read.findIndex((r) => r.status === "rejected");
  if (missing >= 0) throw new HpError("catalogue", `Katalogfilen ${displayPath(join(dir, CATALOGUE_FILES[missing]!))} saknas eller kan inte läsas.`);
  return Object.fromEntries(CATALOGUE_FILES.map((name, i) => [name, (read[i] as PromiseFulfilledResult<string>).value])) as CatalogueSources;
}

/** Loads and validates the catalogue; throws HpError("catalogue") naming file, path and reason. */
export async function loadCatalogue(dir = defaultCatalogueDir()): Promise<Catalogue> {
  return parseCatalogue(await readCatalogueSources(dir), displayPath(dir), (name) => displayPath(join(dir, name)));
}

/**
 * Validates catalogue files, wherever they were read from (a folder, the bucket); `where` names
 * the catalogue and `shown` each file in messages.
 */
export function parseCatalogue(sources: CatalogueSources, where: string, shown: (name: string) => string): Catalogue {
  const hash = createHash("sha256");
  const read = <S extends z.ZodType>(name: keyof CatalogueSources, schema: S): z.infer<S> => {
    const source = sources[name];
    hash.update(name).update("\0").update(source).update("\0");
    let data: unknown;
    try {
      data = parseYaml(source, { merge: true });
    } catch (error) {
      const where =
        error instanceof YAMLParseError && error.linePos
          ? ` (rad ${error.linePos[0].line}, kolumn ${error.linePos[0].col})`
          : "";
      const why = error instanceof Error ? (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "") : String(error);
      throw new HpError("catalogue", `Katalogfilen ${shown(name)} är inte giltig YAML${where}: ${why}`);
    }
    const result = schema.safeParse(data);
    if (!result.success) {
      const lines = result.error.issues.slice(0, 10).map((issue) => {
        return `  ${formatPath(issue.path, data)}: ${issue.message}`;
      });
      const more = result.error.issues.length > 10 ? `\n  … och ${result.error.issues.length - 10} fel till` : "";
      throw new HpError("catalogue", `Katalogfilen ${shown(name)} har fel:\n${lines.join("\n")}${more}`);
    }
    return result.data;
  };

  const plans = read(FILES.plans, PlansFileSchema);
  const units = read(FILES.units, UnitsFileSchema);
  const indicators = read(FILES.indicators, IndicatorsFileSchema);
  const years = read(FILES.years, YearsFileSchema);
  const imports = read(FILES.imports, ImportsFileSchema);

  const catalogue: Catalogue = {
    plans: plans.plans,
    units: units.units,
    activityAreas: units.activityAreas,
    roles: units.roles,
    indicators: indicators.indicators,
    reportingYears: years.reportingYears,
    reportingWindow: years.reportingWindow,
    workbookLimits: years.workbookLimits,
    reminders: years.reminders,
    admission: years.admission,
    yearOverYearWarningShare: years.yearOverYearWarningShare,
    coverage: years.coverage,
    comparison: years.comparison,
    report: years.report,
    imports: imports.sources,
    version: hash.digest("hex").slice(0, 12),
  };
  const problems = crossReferenceProblems(catalogue);
  if (problems.length > 0) {
    throw new HpError(
      "catalogue",
      `Katalogen i ${where} hänger inte ihop:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
  return catalogue;
}

/** Checks what no single file's schema can: unique ids and references between files. */
export function crossReferenceProblems(c: Catalogue): string[] {
  const problems: string[] = [];
  const unique = (file: string, list: string, ids: string[]) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) problems.push(`${file}: ${list}[${i}].id: id:t "${id}" finns redan`);
      seen.add(id);
    });
  };
  unique(FILES.plans, "plans", c.plans.map((p) => p.id));
  unique(FILES.plans, "focusAreas", c.plans.flatMap((p) => p.focusAreas.map((f) => f.id)));
  unique(FILES.units, "units", c.units.map((u) => u.id));
  unique(FILES.units, "activityAreas", c.activityAreas.map((a) => a.id));
  unique(FILES.units, "roles", c.roles.map((r) => r.id));
  unique(FILES.indicators, "indicators", c.indicators.map((i) => i.id));
  unique(FILES.years, "reportingYears", c.reportingYears.map((y) => String(y.year)));

  const units = new Map(c.units.map((u) => [u.id, u]));
  c.units.forEach((unit, i) => {
    const merge = unit.mergedInto;
    if (!merge) return;
    const target = units.get(merge.unit);
    const at = `${FILES.units}: units[${i}] (${unit.id}).mergedInto`;
    if (!target) problems.push(`${at}.unit: enheten "${merge.unit}" finns inte`);
    else if (target.years.from > merge.year)
      problems.push(`${at}.year: ${target.id} finns först från ${target.years.from}, inte ${merge.year}`);
    if (unit.years.to !== merge.year - 1)
      problems.push(`${at}.year: enheten ska sluta året före sammanslagningen (years.to = ${merge.year - 1})`);
  });

  const plans = new Map(c.plans.map((p) => [p.id, p]));
  c.indicators.forEach((ind, i) => {
    const at = `${FILES.indicators}: indicators[${i}] (${ind.id})`;
    const plan = plans.get(ind.plan);
    if (!plan) {
      problems.push(`${at}.plan: planen "${ind.plan}" finns inte i ${FILES.plans}`);
      return;
    }
    if (!plan.focusAreas.some((f) => f.id === ind.focusArea))
      problems.push(`${at}.focusArea: fokusområdet "${ind.focusArea}" finns inte i planen ${plan.id}`);
    const itemIds = new Set<string>();
    for (const item of ind.items ?? []) {
      if (itemIds.has(item.id)) problems.push(`${at}.items: id:t "${item.id}" finns redan`);
      itemIds.add(item.id);
    }
  });

  const indicators = new Map(c.indicators.map((i) => [i.id, i]));
  const claimed = new Map<string, string>();
  for (const source of IMPORT_SOURCES) {
    c.imports[source].indicators.forEach((ref, i) => {
      const at = `${FILES.imports}: sources.${source}.indicators[${i}]`;
      const indicator = indicators.get(ref);
      if (!indicator) problems.push(`${at}: indikatorn "${ref}" finns inte i ${FILES.indicators}`);
      else if (source === "enkat" && indicator.measure !== "survey") problems.push(`${at}: ${ref} är ingen enkätfråga (measure: survey)`);
      else if (source === "introduktion" && indicator.measure !== "ratio") problems.push(`${at}: ${ref} är ingen andel (measure: ratio)`);
      else if ((source === "incidenter" || source === "ledarprogram") && indicator.measure !== "count") problems.push(`${at}: ${ref} är inget antal (measure: count)`);
      if (claimed.has(ref)) problems.push(`${at}: ${ref} importeras redan från ${claimed.get(ref)}`);
      claimed.set(ref, source);
    });
  }

  c.reportingYears.forEach((ry, i) => {
    if (!c.plans.some((p) => covers(p.years, ry.year)))
      problems.push(`${FILES.years}: reportingYears[${i}]: ingen plan gäller år ${ry.year}`);
  });
  return problems;
}

export function covers(range: { from: number; to: number | null }, year: number): boolean {
  return range.from <= year && (range.to === null || year <= range.to);
}

function displayPath(path: string): string {
  const rel = relative(projectRoot(), path);
  return rel.startsWith("..") ? path : rel;
}

/** `indicators[3] (fa1-x).aggregation`: the path inside the file, with the entry's id when it has one. */
function formatPath(path: PropertyKey[], data: unknown): string {
  let out = "";
  let node: unknown = data;
  for (const key of path) {
    node = node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === "number") {
      out += `[${key}]`;
      const entryId = node && typeof node === "object" ? (node as { id?: unknown }).id : undefined;
      if (typeof entryId === "string") out += ` (${entryId})`;
    } else {
      out += `${out ? "." : ""}${String(key)}`;
    }
  }
  return out || "(filens rot)";
}
