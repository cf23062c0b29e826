
import type { InputField } from "../shared/vocabulary.js";
import type { Finding } from "../model/findings.js";
import type { TemplateMeta } from "../template/template-meta.js";
import type { GridCell } from "../workbook/grid.js";

export interface CellRef {
  address: string;
  cell: GridCell | undefined;
}

export interface IndicatorRowReading {
  row: number;
  id: string;
  idAddress: string;
  unitText: string | undefined;
  /** Where the unit and the breakdown are, for findings about them (the Id cell when the column is gone). */
  unitAddress: string;
  breakdownText: string | undefined;
  breakdownAddress: string;
  fields: Partial<Record<InputField, CellRef>>;
  comment: string | undefined;
}

export interface SelfAssessmentReading {
  row: number;
  focusAreaText: string;
  score: CellRef;
  comment: string | undefined;
}

export interface ActivityReading {
  row: number;
  focusArea: CellRef;
  activity: string;
  followUp: string | undefined;
  /** The follow-up cell (the activity's cell when the column is gone). */
  followUpAddress: string;
  status: CellRef;
  /** Last year's status, where the template carried the activity over from last year. */
  previousStatus: string | undefined;
}

/** The ready row: the mark (Ja, a ticked box), who marked it and on which day. */
export interface ReadyReading {
  mark: CellRef;
  by: string | undefined;
  byAddress: string | undefined;
  date: CellRef | undefined;
}

export interface TabReading {
  file: string;
  sheet: string;
  /** Unit id, or "central". */
  reporter: string;
  indicatorRows: IndicatorRowReading[];
  /** Input columns the tab has; a deleted column is missing here. */
  fieldColumns: Set<InputField>;
  /** "Klar att lämna in" as the tab says it; undefined when the tab has no such row. */
  ready: ReadyReading | undefined;
  /** When the workbook holding the tab was saved, as far as it says. */
  saved: Date | undefined;
  /**
   * Where the source keeps when it first saw each tab marked ready (Google Sheets): that time,
   * or the time of this read when the mark is new. Undefined for files, whose marker says the day.
   */
  readySeen: Date | undefined;
  /** Locked as approved in the source; undefined where the source keeps no approvals. */
  approved: boolean | undefined;
  /** The tab's own address, where the source has one. */
  link?: string | undefined;
  /** Null when the tab has no such section (the central tab, or a deleted section). */
  selfAssessments: SelfAssessmentReading[] | null;
  activities: ActivityReading[] | null;
}

export interface WorkbookReading {
  file: string;
  meta: TemplateMeta | undefined;
  tabs: TabReading[];
  findings: Finding[];
}

export { nameKey } from "../template/definition.js";
