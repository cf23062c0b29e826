/**
 * What an import did, or would do, in Swedish: one text for `hp import` and the project
 * leader's page. Problems with their row and column as the spreadsheet program shows them; then
 * the rows read, the notes, and what changes against what is there now.
 */
import type { ImportProblem } from "../imports/parse-import.js";
import type { ImportOutcome } from "./import-year.js";

/** "enkat.csv, rad 14, kolumn C (Förvaltning): …" */
export function problemLine(file: string, p: ImportProblem): string {
  const where = [file, p.row !== null ? `rad ${p.row}` : "", p.column ?? ""].filter(Boolean).join(", ");
  return `${where}: ${p.message}`;
}

export interface ImportText {
  /** The first line: the source, the file and how it went. */
  heading: string;
  /** The problems, or the notes and the changes. */
  lines: string[];
  /** The last word: nothing imported (and why), saved, or nothing saved on a dry run. */
  result: string;
  ok: boolean;
}

export function importText(
  o: ImportOutcome,
  names: { source: string; units: readonly { id: string; name: string }[]; indicators: readonly { id: string; shortTitle: string }[] },
  { dryRun, dryRunNote, where }: { dryRun: boolean; dryRunNote: string; where: string },
): ImportText {
  if (o.problems.length > 0) {
    return {
      heading: `${names.source} ${o.file}${o.format ? ` (${o.format})` : ""}: ${o.problems.length} fel.`,
      lines: o.problems.map((p) => problemLine(o.file, p)),
      result: `Inget importerades: rätta ${o.problems.length === 1 ? "felet" : "felen"} i ${o.file} och försök igen.`,
      ok: false,
    };
  }
  const unitName = new Map(names.units.map((u) => [u.id, u.name]));
  const title = new Map(names.indicators.map((i) => [i.id, i.shortTitle]));
  const changed = o.changes.length === 0 ? "inget" : `${o.changes.length} ${o.changes.length === 1 ? "enhet och indikator" : "enheter och indikatorer"}`;
  return {
    heading: `${names.source} ${o.file} (${o.format}): ${o.rowsRead} ${o.rowsRead === 1 ? "rad" : "rader"} lästa, ${o.rowsUsed} räknade.`,
    lines: [
      ...o.notes,
      `Jämfört med ${o.against}: ${dryRun ? "skulle ändras" : "ändrat"} ${changed}; ${o.unchanged} ${o.unchanged === 1 ? "värde är" : "värden är"} lika.`,
      ...o.changes.map((c) => `${unitName.get(c.unit) ?? c.unit} · ${title.get(c.indicator) ?? c.indicator}: ${c.parts.join(", ")}`),
    ],
    result: dryRun ? dryRunNote : `Importen är sparad med historiken i ${where} och används från nästa körning (hp aggregate, hp run och funktionerna).`,
    ok: true,
  };
}
