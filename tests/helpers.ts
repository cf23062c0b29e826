import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { inject } from "vitest";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { main } from "../functions/cli/main.js";
import { readHistoryCsv } from "../functions/history/history.js";
import { defaultHistoryFile, projectRoot } from "../functions/shared/paths.js";
import { XlsxFileSource } from "../functions/submission/source.js";
import { templateDefinition } from "../functions/template/definition.js";
import { validateSource } from "../functions/validate/validate-source.js";

export const ROOT = projectRoot();
export const EXAMPLES = join(ROOT, "sheets", "exempel");
export const example = (name: string) => join(EXAMPLES, `2025-${name}.xlsx`);

export async function context(year = 2025) {
  const catalogue = await loadCatalogue();
  const history = await readHistoryCsv(defaultHistoryFile());
  return { catalogue, history, definition: templateDefinition(), yc: catalogueForYear(catalogue, year) };
}

/** A fresh folder inside the run's temporary folder (tests/global-setup.ts removes it at the end). */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(inject("tempRoot") ?? tmpdir(), "t-"));
}

/** Validates files or folders (absolute paths) as `hp validate` does. */
export async function validate(paths: string[], year = 2025) {
  const { history, definition, yc, catalogue } = await context(year);
  return validateSource(new XlsxFileSource(paths, ROOT), {
    yc,
    definition,
    history,
    maxChange: catalogue.yearOverYearWarningShare,
  });
}

/** Runs the hp CLI in-process and returns its exit status and what it printed. */
export async function hp(...args: string[]) {
  return hpWithEnv({}, ...args);
}

export async function hpWithEnv(env: NodeJS.ProcessEnv, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Copies a workbook through exceljs, changing it on the way. */
export async function editWorkbook(src: string, dest: string, edit: (wb: ExcelJS.Workbook) => void | Promise<void>) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(src);
  await edit(wb);
  await wb.xlsx.writeFile(dest);
  return dest;
}

/** The row of an indicator on a tab, found by Id, Enhet and Uppdelning as a reporter would. */
export function findRow(ws: ExcelJS.Worksheet, id: string, breakdown: string, unit?: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    const v = row.values as unknown[];
    if (v.includes(id) && v.includes(breakdown) && (unit === undefined || v.includes(unit))) found ??= row;
  });
  if (!found) throw new Error(`row ${id}/${breakdown} not found on ${ws.name}`);
  return found;
}

/** The column of a header on a tab's indicator header row. */
export function column(ws: ExcelJS.Worksheet, header: string): number {
  let col = 0;
  ws.eachRow((row) => {
    const v = row.values as unknown[];
    if (!col && v.includes("Id") && v.includes("Uppdelning")) col = v.indexOf(header);
  });
  if (!col) throw new Error(`column ${header} not found on ${ws.name}`);
  return col;
}
