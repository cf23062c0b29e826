/**
 * What a template is made of, as plain data: sheets, rows and cells with their fonts, colours
 * and input rules. template-layout.ts builds it; the .xlsx writer and the Google Sheets writer
 * draw it; the row helpers and the parts of the layout share these types from here.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { History } from "../history/history.js";
import type { LocalWork } from "../model/records.js";
import type { InputField } from "../shared/vocabulary.js";
import type { TemplateDefinition } from "./definition.js";

/**
 * Colours, as RGB hex: input cells, header cells, muted text, the tabs that stand out, and the
 * marks on a cell to fix (an error, a warning; the fill Excel's own "Dåligt" and "Neutralt"
 * cell styles use, readable with black text).
 */
export const COLOURS = {
  input: "FFF2CC",
  error: "FFC7CE",
  /** Orange: told apart at a glance from the pale yellow of the input cells and the red of errors. */
  warning: "F8CBAD",
  header: "D9E1F2",
  muted: "595959",
  instructionsTab: "1F4E79",
  centralTab: "7F7F7F",
} as const;

/** Mark colours earlier versions wrote, so that a check today still takes their marks away. */
export const EARLIER_MARK_COLOURS = ["FFEB9C"] as const;

export type FontRole = "title" | "heading" | "bold" | "muted";

/**
 * What a reporter may type in an input cell. `formula` is true for the allowed values (written
 * without a leading "="), `whole` is a whole number in a range, `list` a value from a range
 * of the lists tab (an A1 range with its sheet, without "="), `text` is free text.
 */
export type InputRule =
  | { kind: "formula"; formula: string; title: string; error: string; prompt: string }
  | { kind: "whole"; min: number; max: number; title: string; error: string }
  | { kind: "list"; range: string; error: string }
  | { kind: "text" }
  /** "Klar att lämna in": a Ja/Nej drop-down in the .xlsx, a checkbox in Google Sheets. */
  | { kind: "ready"; error: string }
  /** A date (the day a tab was marked ready). */
  | { kind: "date"; error: string };

/** What the ready drop-down offers in the .xlsx; the reader also takes a ticked checkbox. */
export const READY_CHOICES = ["Ja", "Nej"] as const;

export interface LayoutCell {
  value?: string | number | undefined;
  font?: FontRole | undefined;
  /** A column header: filled, bold, with a line under it. */
  header?: boolean | undefined;
  /** Long text: wrapped and aligned to the top. */
  wrap?: boolean | undefined;
  numFmt?: string | undefined;
  note?: string | undefined;
  /** An input cell: unlocked, in the input colour, with this rule. */
  input?: InputRule | undefined;
  /** Our own formula (without "="), in a locked cell: a figure worked out from the inputs. */
  formula?: string | undefined;
}

export interface LayoutRow {
  cells: LayoutCell[];
  /** In points; the spreadsheet's default when absent. */
  height?: number | undefined;
}

export type SheetRole = "instructions" | "lists" | "reporter" | "status" | "text" | "meta";

export interface LayoutSheet {
  title: string;
  role: SheetRole;
  /** The unit id or "central", for a reporter tab. */
  reporter?: string | undefined;
  /** `veryHidden` cannot be unhidden from the menus (.xlsx); Google Sheets has only hidden. */
  visibility: "visible" | "hidden" | "veryHidden";
  tabColour?: string | undefined;
  /** Column widths in characters, from column A. */
  widths: number[];
  /** Rows that stay in view when scrolling. */
  frozenRows: number;
  rows: LayoutRow[];
}

export interface TemplateLayout {
  title: string;
  sheets: LayoutSheet[];
}

export interface TemplateLayoutInput {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  /** Only this unit's tab (a unit id, or "central"); all tabs when absent. */
  only?: string | undefined;
  /** The status tab the Google write-back fills (Google Sheets only). */
  statusTab?: boolean | undefined;
  /** Last year's local work, from its snapshot: shown beside this year's and carried over. */
  lastYear?: LocalWork | undefined;
  /** The year's imported values, by `unit|indicator|breakdown`: shown locked, with their import. */
  imported?: ReadonlyMap<string, ImportedCell> | undefined;
}

/** An imported value as the template shows it: the figures, locked, and which import gave them. */
export interface ImportedCell {
  status: "ok" | "missing";
  fields: Partial<Record<InputField, number>>;
  /** The figure as a person reads it: "74 (52 svarande)", "12 av 15", "3", "..". */
  shown: string;
  /** "Importerat från Medarbetarenkäten: medarbetarenkat-2025.csv, 2026-01-20 av Eva." */
  note: string;
}

export const importedKey = (unit: string, indicator: string, breakdown: string) => `${unit}|${indicator}|${breakdown}`;
