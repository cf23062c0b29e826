/**
 * The check on its own (the nightly validation, `hp validate`, "Kontrollera nu"): read every
 * workbook of the source, validate, and put the findings back where the reporters work when
 * the source can. Also the counts a run reports.
 */
import { admission } from "../aggregate/admission.js";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { History } from "../history/history.js";
import { countErrors, countWarnings } from "../model/findings.js";
import type { Submission, ValidationResult } from "../model/records.js";
import type { SubmissionSource } from "../submission/source.js";
import type { TemplateDefinition } from "../template/definition.js";
import { reporterName } from "../template/layout.js";
import { type SourceValidation, validateSource } from "../validate/validate-source.js";
import { templateImports, yearImports } from "../imports/apply-imports.js";
import type { ImportStore } from "../imports/import-store.js";

export interface CheckYearInput {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  source: SubmissionSource;
  maxChange: number;
  now: Date;
  /** A line as each workbook has been read ("Läst 2025-bromma.xlsx: Bromma"), before the results. */
  progress?: (line: string) => void;
  /** The imports from the systems that hold the figures (hp import): their indicators are not read from the tabs. */
  imports?: ImportStore;
}

export async function checkYear(input: CheckYearInput): Promise<SourceValidation> {
  const { progress } = input;
  const sets = (await input.imports?.ofYear(input.yc.year)) ?? [];
  const imported = new Set(yearImports(sets, input.yc.year).bySource.keys());
  const result = await validateSource(input.source, { ...input, imported }, {
    ...(progress
      ? { onRead: (file: string, reporters: string[]) => progress(`Läst ${file.split(/[\\/]/).at(-1)}${reporters.length > 0 ? `: ${reporters.map((r) => reporterName(input.yc, input.definition, r)).join(", ")}` : " (kunde inte läsas)"}`) }
      : {}),
  });
  await input.source.annotate?.(result, { ...input, imported: templateImports(sets, input.yc) });
  return result;
}

export interface ValidateSummary {
  year: number;
  errors: number;
  warnings: number;
  received: number;
  expected: number;
}

/** Counts of a validation: errors, warnings, and units received of those expected. */
export function validationSummary(yc: YearCatalogue, result: Pick<ValidationResult, "findings" | "submissions">): ValidateSummary {
  const { received, expected } = admission(yc, result.submissions);
  return { year: yc.year, errors: countErrors(result.findings), warnings: countWarnings(result.findings), received, expected };
}

/** The submissions in the catalogue's order of units, central reporting last: the order runs tell them in. */
export function inCatalogueOrder(yc: YearCatalogue, submissions: readonly Submission[]): Submission[] {
  const order = (reporter: string) => {
    const i = yc.units.findIndex((u) => u.id === reporter);
    return i < 0 ? yc.units.length : i;
  };
  return [...submissions].sort((a, b) => order(a.reporter) - order(b.reporter));
}

/** "Bromma: 0 fel, 1 varning": a submission's result, as a run's progress tells it. */
export function submissionResult(yc: YearCatalogue, definition: TemplateDefinition, s: Submission): string {
  return `${reporterName(yc, definition, s.reporter)}: ${s.errors} fel, ${s.warnings} ${s.warnings === 1 ? "varning" : "varningar"}`;
}
