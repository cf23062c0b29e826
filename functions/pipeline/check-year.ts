/**
 * The check on its own (the nightly validation, `hp validate`, "Kontrollera nu"): read every
 * workbook of the source, validate, and put the findings back where the reporters work when
 * the source can. Also the counts a run reports.
 */
import { reportingRate } from "../aggregate/reporting-rate.js";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { History } from "../history/history.js";
import { countErrors, countWarnings } from "../model/findings.js";
import type { ValidationResult } from "../model/records.js";
import type { SubmissionSource } from "../submission/source.js";
import type { TemplateDefinition } from "../template/definition.js";
import { type SourceValidation, validateSource } from "../validate/validate-source.js";

export interface CheckYearInput {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  source: SubmissionSource;
  maxChange: number;
  now: Date;
}

export async function checkYear(input: CheckYearInput): Promise<SourceValidation> {
  const result = await validateSource(input.source, input);
  await input.source.annotate?.(result, input);
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
  const { received, expected } = reportingRate(yc, result.submissions);
  return { year: yc.year, errors: countErrors(result.findings), warnings: countWarnings(result.findings), received, expected };
}
