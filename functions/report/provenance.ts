/**
 * What a run's figures were made from, as a whole: the run, the workbooks and exports it read
 * with their SHA-256, and where each earlier year's values were read. Each figure's own trace
 * (figures.ts) points into this; the Excel report's Källor tab, aggregates.json and `hp explain`
 * say it.
 */
import type { HistoryOrigin } from "../model/origin.js";

/** An import the run used: the export's name, size and hash and how it was read, never its rows. */
export interface ImportUsed {
  source: string;
  file: { name: string; size: number; sha256: string; format: string };
  importedAt: string;
  by: string;
  rowsRead: number;
  rowsUsed: number;
}

/**
 * The run is told by its time, not its random id: the same input and clock give the same
 * bytes, so a re-run can be checked against the files it replaces.
 */
export interface Provenance {
  /** When the run made the figures (the document date). */
  createdAt: string;
  /** The workbooks read, with their SHA-256 (the imports are in `imports`). */
  inputs: { file: string; sha256: string }[];
  imports: ImportUsed[];
  /** Where each earlier year's values were read. */
  history: ReadonlyMap<number, HistoryOrigin>;
}
