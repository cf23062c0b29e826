/**
 * A board paper as an ordered list of parts: headings, text, tables, charts, the decision and
 * the signatures. The HTML template (for the PDF) and the Word writer both lay out the same
 * list, so the two files hold the same content in the same order.
 */
import type { Signature } from "../catalogue/schema.js";
import { paragraphs, type TextBlock } from "../report/officials-text.js";
import type { Chart } from "./charts.js";

export interface TableView {
  caption?: string;
  head: string[];
  rows: { name: string; city: boolean; cells: string[] }[];
  /** Every column after the first is text (left-aligned, wrapping), not figures. */
  textColumns?: boolean;
}

/** Exactly one key is set: the template tests each in turn. */
export type Part =
  | { heading: { tag: "h2" | "h3" | "h4"; text: string; id?: string; newPage?: boolean } }
  | { text: { blocks: TextBlock[]; draft: boolean } }
  | { note: { text: string; flag?: string } }
  | { table: TableView }
  /** An indicator's table with its notes, and its charts beside it where the page allows. */
  | { withCharts: { table: TableView; notes: string[]; figures: Chart[] } }
  | { decision: TextBlock[] }
  | { signatures: { people: Signature[]; missing: string | null } }
  | { list: { ordered: boolean; items: string[] } }
  /** Parts kept on one page when they fit: an indicator with its table and charts. */
  | { group: Part[] };

export const DRAFT_MARK = "Förslag till text, ej granskad";

export const heading = (tag: "h2" | "h3" | "h4", text: string, extra: { id?: string; newPage?: boolean } = {}): Part => ({ heading: { tag, text, ...extra } });
export const plainText = (...texts: string[]): Part => ({ text: { blocks: paragraphs(...texts), draft: false } });

/** Every chart in the parts, in reading order: the Word file needs a picture of each. */
export function chartsOf(parts: readonly Part[]): Chart[] {
  return parts.flatMap((p) => ("withCharts" in p ? p.withCharts.figures : "group" in p ? chartsOf(p.group) : []));
}
