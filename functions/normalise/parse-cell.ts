/**
 * Reads a cell the way a Swedish reporter writes it: "12,5", "1 234", "74 %", 0.74 in a cell
 * formatted as percent, a formula's cached result, stray spaces. Blank, "..", "–" and 0 stay
 * apart, and nothing unreadable becomes 0.
 */
import type { GridCell } from "../workbook/grid.js";

export type CellReading =
  | { kind: "blank" }
  | {
      kind: "number";
      value: number;
      /** A number in a cell formatted as percent: 0.74 shown as 74 %. */
      percentFormatted: boolean;
      /** Typed as text with a percent sign: "74 %". */
      percentSign: boolean;
    }
  | { kind: "not-available" }
  | { kind: "not-applicable" }
  | { kind: "invalid"; shown: string; reason: "text" | "date" | "boolean" | "ambiguous" }
  | { kind: "formula-error"; error: string }
  | { kind: "formula-without-result" };

/** Spaces people and programs put in numbers: space, no-break, narrow no-break, thin. */
const SPACES = /[\s\u00a0\u202f\u2009\u2007]+/g;

/** What reporters type for "not available" and "nothing to report": the template's symbols and their look-alikes. */
export interface CellSymbols {
  notAvailable: ReadonlySet<string>;
  notApplicable: ReadonlySet<string>;
}

/** The symbols of a template definition, as the reader recognises them. */
export function cellSymbols(symbols: {
  notAvailable: { symbol: string; alternatives: string[] };
  notApplicable: { symbol: string; alternatives: string[] };
}): CellSymbols {
  return {
    notAvailable: new Set([symbols.notAvailable.symbol, ...symbols.notAvailable.alternatives]),
    notApplicable: new Set([symbols.notApplicable.symbol, ...symbols.notApplicable.alternatives]),
  };
}

export function readNumberCell(cell: GridCell | undefined, symbols: CellSymbols): CellReading {
  const v = cell?.value ?? null;
  if (v === null) return { kind: "blank" };
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return { kind: "invalid", shown: String(v), reason: "text" };
    return { kind: "number", value: v, percentFormatted: isPercentFormat(cell?.numFmt), percentSign: false };
  }
  if (typeof v === "boolean") return { kind: "invalid", shown: v ? "SANT" : "FALSKT", reason: "boolean" };
  if (v instanceof Date) return { kind: "invalid", shown: v.toISOString().slice(0, 10), reason: "date" };
  if (typeof v === "object") {
    return "error" in v ? { kind: "formula-error", error: v.error } : { kind: "formula-without-result" };
  }
  const text = v.trim();
  if (text === "") return { kind: "blank" };
  if (symbols.notAvailable.has(text)) return { kind: "not-available" };
  if (symbols.notApplicable.has(text)) return { kind: "not-applicable" };
  if (/^#[A-ZÅÄÖ/0-9]+[!?]?$/i.test(text) && text.length <= 12) return { kind: "formula-error", error: text };
  const parsed = parseSwedishNumber(text);
  if (parsed === "ambiguous") return { kind: "invalid", shown: text, reason: "ambiguous" };
  if (parsed === undefined) return { kind: "invalid", shown: text, reason: "text" };
  return { kind: "number", value: parsed.value, percentFormatted: false, percentSign: parsed.percent };
}

/**
 * Parses a number written the Swedish way. Decimal comma; space of any kind between
 * thousands; a trailing percent sign; the minus sign or a hyphen. A point is read as a
 * decimal point unless it could be a thousands separator ("1.234"), which is ambiguous.
 */
export function parseSwedishNumber(text: string): { value: number; percent: boolean } | "ambiguous" | undefined {
  let s = text.replace(SPACES, "").replace(/^[−–]/, "-");
  let percent = false;
  if (s.endsWith("%")) {
    percent = true;
    s = s.slice(0, -1);
  }
  if (/^-?\d+,\d+$/.test(s)) s = s.replace(",", ".");
  else if (/^-?\d{1,3}\.\d{3}$/.test(s)) return "ambiguous";
  else if (!/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? { value, percent } : undefined;
}

/** Whether a number format shows the value times 100 with a percent sign ("0%", "0.0 %"). */
export function isPercentFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  // A percent sign inside quotes or escaped is literal text, not scaling.
  const unquoted = numFmt.replace(/"[^"]*"/g, "").replace(/\\./g, "");
  return unquoted.includes("%");
}
