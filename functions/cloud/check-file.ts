/**
 * checkFile: the project leader (or their page) sends one filled workbook and gets its
 * findings back, with the annotated copy – the same copy `hp validate --annotate` writes: the
 * cells to fix marked and commented, Kontroll filled, Kontrollresultat first. Nothing is
 * stored and no lock is taken: the file is read in memory, checked against the year's
 * catalogue and history, and forgotten.
 */
import { basename } from "node:path";
import { countErrors, countWarnings, findingJson } from "../model/findings.js";
import { MemorySource } from "../submission/source.js";
import { annotateLoaded } from "../validate/annotate-xlsx.js";
import { importedIndicators } from "../imports/apply-imports.js";
import { validateSource } from "../validate/validate-source.js";
import { limitsFor } from "../workbook/inspect-file.js";
import type { Config } from "../wiring/config.js";
import { openYear } from "../wiring/open-year.js";
import { yearToRun } from "../wiring/deployment.js";

import { XLSX_TYPE } from "./limits.js";

/** The name the file is told by: its last part, printable, ending in .xlsx (or .xlsm, as it came). */
export function uploadName(given: string | undefined): string {
  const name = basename((given ?? "").replace(/\\/g, "/"))
    .replace(/[\p{C}]/gu, "")
    .trim()
    .slice(0, 120);
  if (!name) return "inlamning.xlsx";
  return /\.xls[xm]$/i.test(name) ? name : `${name}.xlsx`;
}

export interface CheckedFile {
  year: number;
  file: string;
  errors: number;
  warnings: number;
  /** The units whose tabs the file has, in the order read. */
  reporters: string[];
  findings: ReturnType<typeof findingJson>[];
  /** The annotated copy, base64; absent when the file could not be read as a workbook. */
  annotated?: { name: string; contentType: string; base64: string };
}

export async function checkFile(config: Config, upload: { year?: number | undefined; name: string; bytes: Uint8Array }): Promise<CheckedFile> {
  // Without a year: the one the scheduled runs work on, else the latest in the catalogue.
  const y = await openYear(config, upload.year ?? (await yearToRun(config)));
  const options = { yc: y.yc, definition: y.definition, history: y.history, maxChange: y.maxChange, imported: await importedIndicators(y.imports, y.yc.year) };
  const result = await validateSource(new MemorySource([{ file: upload.name, bytes: upload.bytes }], limitsFor(y.yc.catalogue.workbookLimits)), options, { keep: true });
  const [copy] = await annotateLoaded(result.loaded ?? [], result.findings, y.definition, y.now);
  return {
    year: y.yc.year,
    file: upload.name,
    errors: countErrors(result.findings),
    warnings: countWarnings(result.findings),
    reporters: [...new Set(result.submissions.map((s) => s.reporter))],
    findings: result.findings.map(findingJson),
    ...(copy
      ? { annotated: { name: `${upload.name.replace(/\.xls[xm]$/i, "")}-kontrollerad.xlsx`, contentType: XLSX_TYPE, base64: Buffer.from(copy.bytes).toString("base64") } }
      : {}),
  };
}
