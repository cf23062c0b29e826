import type { ValidationResult } from "../model/records.js";
import { type Finding, finding } from "../model/findings.js";
import { readSubmission } from "../submission/read-submission.js";
import type { LoadedWorkbook, SubmissionSource } from "../submission/source.js";
import { type ValidationOptions, validateSubmissions } from "./validate-submissions.js";

/** A validation of a whole source: how many workbooks it held, and each input's hash. */
export type SourceValidation = ValidationResult & {
  workbooks: number;
  inputs: { file: string; sha256: string }[];
  /** The workbooks that say they hold made-up example data. */
  exampleFiles: string[];
  /** The workbooks as loaded, when asked for (to annotate copies of them). */
  loaded?: LoadedWorkbook[];
};

/** Reads every workbook of a source and validates them together; unreadable files become findings. */
export async function validateSource(
  source: SubmissionSource,
  options: ValidationOptions,
  {
    keep = false,
    onRead,
  }: {
    keep?: boolean;
    /** Told as each workbook has been read: its file and the tabs' reporters (a page shows them as they come). */
    onRead?: (file: string, reporters: string[]) => void;
  } = {},
): Promise<SourceValidation> {
  // One workbook at a time where the source can: each is read into its tabs' readings and its
  // cells let go (unless kept for annotated copies), so memory follows one workbook, not all.
  const loaded: LoadedWorkbook[] = [];
  const readings: ReturnType<typeof readSubmission>[] = [];
  const inputs: { file: string; sha256: string }[] = [];
  const exampleFiles: string[] = [];
  let workbooks = 0;
  for await (const w of source.each?.() ?? (await source.load())) {
    if (keep) loaded.push(w);
    if (w.sha256) inputs.push({ file: w.file, sha256: w.sha256 });
    // Files that exist count, read or not; a path that does not exist is not a workbook.
    if ("grid" in w || w.problem.code !== "FILE_NOT_FOUND") workbooks++;
    if (!("grid" in w)) {
      readings.push({ file: w.file, meta: undefined, tabs: [], findings: [w.problem] });
      onRead?.(w.file, []);
      continue;
    }
    const reading = readSubmission(w.grid, options.yc, options.definition);
    if (w.grid.macros) reading.findings.unshift(macroFinding(w.file));
    if (w.grid.example) exampleFiles.push(w.file);
    readings.push(reading);
    onRead?.(w.file, reading.tabs.map((t) => t.reporter));
  }
  return { ...validateSubmissions(readings, options), workbooks, inputs, exampleFiles, ...(keep ? { loaded } : {}) };
}

/** A workbook with macros: read for its values only; the checked copy is an .xlsx without them. */
function macroFinding(file: string): Finding {
  return finding(
    "FILE_MACROS",
    { file },
    "Arbetsboken innehåller makron (VBA, som i en .xlsm-fil). Makrona körs aldrig och läses inte: bara cellernas värden används. Den kontrollerade kopian är en vanlig .xlsx-fil, utan makrona.",
    "Spara mallen som Excel-arbetsbok (.xlsx) utan makron och skicka den igen.",
  );
}
