/**
 * The readable report of findings: grouped by unit, one line per finding with its cell,
 * then a summary line. Swedish, plain text, fit for a terminal or an e-mail.
 */
import { groupBy } from "../shared/group-by.js";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { CENTRAL, reporterName } from "../template/layout.js";
import { countErrors, countWarnings, type Finding, sortFindings } from "../model/findings.js";

const SEVERITY_LABEL = { error: "fel", warning: "varning" } as const;

export function formatFindings(findings: readonly Finding[], yc: YearCatalogue, centralName: string, files: number): string {
  const name = (unit: string | null) => (unit === null ? "Filer" : reporterName(yc, { sheets: { central: centralName } }, unit));
  const order = (unit: string | null) =>
    unit === null ? -1 : unit === CENTRAL ? yc.units.length : yc.units.findIndex((u) => u.id === unit);

  const lines: string[] = [];
  // Grouped by who must act: findings on the central tab go to the central reporter.
  const responsible = (f: Finding) => (f.sheet === centralName ? CENTRAL : f.unit);
  const groups = [...groupBy(findings, responsible).entries()].sort(([a], [b]) => order(a) - order(b));
  for (const [unit, list] of groups) {
    lines.push(`${name(unit)}`);
    for (const f of sortFindings(list)) {
      const where = [f.file, f.sheet ? `fliken ${f.sheet}` : null, f.cell ? `cell ${f.cell}` : null]
        .filter(Boolean)
        .join(", ");
      lines.push(`  ${SEVERITY_LABEL[f.severity].padEnd(7)} ${where}`);
      lines.push(`          ${f.message}${f.indicator ? ` [${f.indicator}]` : ""}`);
      if (f.hint) lines.push(`          → ${f.hint}`);
      lines.push(`          (${f.code})`);
    }
    lines.push("");
  }
  lines.push(summaryLine(findings, files));
  return lines.join("\n");
}

export function summaryLine(findings: readonly Finding[], files: number): string {
  const errors = countErrors(findings);
  const warnings = countWarnings(findings);
  const fileText = files === 1 ? "1 fil" : `${files} filer`;
  if (errors === 0 && warnings === 0) return `Inga fel eller varningar i ${fileText}.`;
  return `${errors} fel och ${warnings} ${warnings === 1 ? "varning" : "varningar"} i ${fileText}.`;
}
