/**
 * How findings read where reporters work – the Kontroll cell of a row, the note on the cell
 * to fix, and where each section's Kontroll column is – shared by the annotated .xlsx copy and
 * the Google Sheets write-back, so both say the same thing.
 */
import { countErrors, countWarnings, type Finding } from "../model/findings.js";
import { headerKey, type TemplateDefinition } from "../template/definition.js";
import { cellText, type SheetGrid } from "../workbook/grid.js";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 fel, 1 varning" */
export function countsText(findings: readonly Finding[]): string {
  const errors = countErrors(findings);
  const warnings = countWarnings(findings);
  return [errors ? `${errors} fel` : "", warnings ? count(warnings, "varning", "varningar") : ""].filter(Boolean).join(", ");
}

/** The Kontroll cell of a row: the counts and the first message. */
export function rowCheckText(findings: readonly Finding[]): string {
  return `${countsText(findings)}: ${findings[0]!.message}`;
}

/** A finding as a note on its cell: what is wrong and what to do. */
export function findingNote(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.severity === "error" ? "Fel" : "Varning"}: ${f.message}${f.hint ? `\n→ ${f.hint}` : ""}`).join("\n\n");
}

/** A row's findings as a note on its Kontroll cell, each with the cell it is about. */
export function rowNote(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.severity === "error" ? "Fel" : "Varning"} i ${f.cell}: ${f.message}${f.hint ? `\n→ ${f.hint}` : ""}`).join("\n\n");
}

export { rowOf } from "../workbook/grid.js";

/** Each section's header row and its Kontroll column, top to bottom. */
export function checkSections(sheet: SheetGrid, definition: TemplateDefinition): { header: number; col: number }[] {
  const checkHeader = headerKey(definition.columns.indicators.check.header);
  const sections: { header: number; col: number }[] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    for (let c = 1; c <= sheet.columnCount; c++) {
      const text = cellText(sheet.cell(r, c));
      if (text && headerKey(text) === checkHeader) sections.push({ header: r, col: c });
    }
  }
  return sections;
}

/** The Kontroll cell (row, column) for a row's findings, if the row is in a section. */
export function checkCellFor(sections: readonly { header: number; col: number }[], row: number): { row: number; col: number } | undefined {
  const section = [...sections].reverse().find((s) => s.header < row);
  return section && !Number.isNaN(row) ? { row, col: section.col } : undefined;
}
