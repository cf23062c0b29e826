import { readSubmission } from "../submission/read-submission.js";
import type { SubmissionSource } from "../submission/source.js";
import { type ValidationOptions, type ValidationResult, validateSubmissions } from "./validate-submissions.js";

/** Reads every workbook of a source and validates them together; unreadable files become findings. */
export async function validateSource(source: SubmissionSource, options: ValidationOptions): Promise<ValidationResult> {
  const loaded = await source.load();
  const readings = loaded.map((w) =>
    "grid" in w
      ? readSubmission(w.grid, options.yc, options.definition)
      : { file: w.file, meta: undefined, tabs: [], findings: [w.problem] },
  );
  return validateSubmissions(readings, options);
}
