/**
 * The template definition (sheets/template/template.yaml): tab names, column headers and the
 * Swedish instruction texts. The .xlsx writer, the Google Sheets writer and the reader of
 * filled workbooks all use it, so a header is written in one place only.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { HpError } from "../shared/errors.js";
import { defaultTemplateFile, projectRoot } from "../shared/paths.js";
import { MEASURES } from "../shared/vocabulary.js";
import { z } from "../shared/zod.js";

const Column = z.strictObject({ header: z.string().min(1), width: z.number().positive() });
const columns = <K extends string>(keys: readonly [K, ...K[]]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, Column])) as Record<K, typeof Column>);

export const INDICATOR_COLUMN_KEYS = [
  "id",
  "focusArea",
  "indicator",
  "unit",
  "breakdown",
  "measure",
  "previous",
  "value",
  "numerator",
  "denominator",
  "share",
  "respondents",
  // Kontroll beside the values it is about, where the reporter looks; the comment after it.
  "check",
  "comment",
] as const;
export const SELF_ASSESSMENT_COLUMN_KEYS = ["focusArea", "desiredState", "previous", "score", "check", "comment"] as const;
export const ACTIVITY_COLUMN_KEYS = ["focusArea", "activity", "followUp", "previousStatus", "status", "check"] as const;

const SymbolSchema = z.strictObject({
  symbol: z.string().min(1),
  meaning: z.string().min(1),
  /** What reporters type instead and is read as the same symbol ("..." for "..", "-" for "–"). */
  alternatives: z.array(z.string().min(1)).default([]),
});

export const TemplateDefinitionSchema = z.strictObject({
  version: z.int().positive(),
  sheets: z.strictObject({
    instructions: z.string().min(1).max(31),
    central: z.string().min(1).max(31),
    text: z.string().min(1).max(31),
    meta: z.string().min(1).max(31),
    lists: z.string().min(1).max(31),
    status: z.string().min(1).max(31),
    results: z.string().min(1).max(31),
  }),
  columns: z.strictObject({
    indicators: columns(INDICATOR_COLUMN_KEYS),
    selfAssessment: columns(SELF_ASSESSMENT_COLUMN_KEYS),
    activities: columns(ACTIVITY_COLUMN_KEYS),
  }),
  labels: z.strictObject({
    unitId: z.string(),
    deadline: z.string(),
    ready: z.string().min(1),
    readyBy: z.string().min(1),
    readyDate: z.string().min(1),
    indicatorsSection: z.string(),
    selfAssessmentSection: z.string(),
    selfAssessmentHelp: z.string(),
    activitiesSection: z.string(),
    activitiesHelp: z.string(),
    activityRows: z.int().min(1).max(200),
    cityActivitiesSection: z.string().min(1),
    cityActivitiesHelp: z.string().min(1),
  }),
  symbols: z.strictObject({ notAvailable: SymbolSchema, notApplicable: SymbolSchema }),
  /**
   * The instructions tab's lines. A line with `when` is there only when a tab of the file has
   * that kind of input: a measure, a breakdown by sex, or the local work part.
   */
  instructions: z
    .array(z.union([z.string().min(1), z.strictObject({ text: z.string().min(1), when: z.array(z.enum([...MEASURES, "sex", "localWork"])).min(1) })]))
    .min(1),
});
/** What a tab can have that an instruction line may be about. */
export type InstructionTopic = (typeof MEASURES)[number] | "sex" | "localWork";
export type TemplateDefinition = z.infer<typeof TemplateDefinitionSchema>;
export type IndicatorColumnKey = (typeof INDICATOR_COLUMN_KEYS)[number];
export type SelfAssessmentColumnKey = (typeof SELF_ASSESSMENT_COLUMN_KEYS)[number];
export type ActivityColumnKey = (typeof ACTIVITY_COLUMN_KEYS)[number];

let cached: TemplateDefinition | undefined;

/** Loads the template definition once per process. */
export function templateDefinition(file = defaultTemplateFile()): TemplateDefinition {
  if (cached && file === defaultTemplateFile()) return cached;
  const shown = relative(projectRoot(), file);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new HpError("catalogue", `Mallens definition ${shown} kan inte läsas: ${(error as Error).message}`);
  }
  const result = TemplateDefinitionSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new HpError("catalogue", `Mallens definition ${shown} har fel:\n${issues}`);
  }
  if (file === defaultTemplateFile()) cached = result.data;
  return result.data;
}

/** The template's column (1 for A) of a key, in a table's column order. */
export function columnOf<K extends string>(keys: readonly K[], key: K): number {
  return keys.indexOf(key) + 1;
}

/** A header with {year} and {previousYear} filled in. */
export function headerText(header: string, year: number): string {
  return header.replaceAll("{previousYear}", String(year - 1)).replaceAll("{year}", String(year));
}

/** Headers and labels repeat on every tab: each is normalised once. */
const headerKeys = new Map<string, string>();

/** Header text as compared when reading: case, spacing and the year in parentheses do not matter. */
export function headerKey(text: string): string {
  let key = headerKeys.get(text);
  if (key === undefined) {
    // Swedish has no case rules of its own (å, ä, ö lower the same everywhere): toLowerCase is
    // toLocaleLowerCase("sv-SE"), without asking ICU for every cell of every tab.
    key = text
      .replace(/\(\s*(\d{4}|\{(previousYear|year)\})\s*\)/g, "")
      .replace(/\{(previousYear|year)\}/g, "")
      .replace(/[\s\u00a0\u202f]+/g, " ")
      .trim()
      .toLowerCase();
    if (headerKeys.size > 10_000) headerKeys.clear();
    headerKeys.set(text, key);
  }
  return key;
}

/** Normalises a name or label for comparison: case, spaces and kinds of dash do not matter. */
export function nameKey(text: string): string {
  return headerKey(text).replace(/[‐‑‒–—-]/g, "-");
}
