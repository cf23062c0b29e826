/**
 * Where a value came from: the trace behind every published figure. A value of the year was
 * typed in a workbook's or spreadsheet's cells, kept from an approval, or imported from a
 * system's export; an earlier year's value came from the history file or a stored run. The
 * stages that make values attach these; the report and `hp explain` say them in Swedish.
 *
 * An import's origin names the export's rows, never what they held (they are about people).
 */

/** A value of the year as it entered: typed, kept from an approval, or imported. */
export type ValueOrigin =
  | {
      kind: "typed";
      /** The workbook or spreadsheet as the reporter knows it, and the tab. */
      file: string;
      sheet: string;
      /** The input cells of the value, in A1 form ("F14", or numerator and denominator "F14", "G14"). */
      cells: string[];
    }
  | {
      /** The unit was approved in an earlier run: the values as approved, kept in the year's snapshot. */
      kind: "approved";
      at: string;
      by: string;
    }
  | {
      kind: "import";
      /** The source's id (enkat, incidenter, introduktion, ledarprogram). */
      source: string;
      file: string;
      sha256: string;
      /** The export's rows behind the value, as ranges ("2–14, 20"). */
      rows: string;
      importedAt: string;
      by: string;
    };

/** Where an earlier year's values were read: the history file, or a run's stored snapshot. */
export type HistoryOrigin = { kind: "history-file"; file: string } | { kind: "history-run"; runId?: string; createdAt: string };
