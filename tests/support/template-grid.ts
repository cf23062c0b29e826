/**
 * A filled template as an in-memory grid, for validation tests without files: the template
 * layout (the same one the .xlsx and Google writers render) as a WorkbookGrid, every input
 * cell filled with a plausible, valid value, and helpers to change one cell as a reporter would.
 */
import type { YearCatalogue } from "../../functions/catalogue/catalogue-for-year.js";
import type { History } from "../../functions/history/history.js";
import type { SubmissionSource } from "../../functions/submission/source.js";
import {
  ACTIVITY_COLUMN_KEYS,
  columnOf,
  INDICATOR_COLUMN_KEYS,
  SELF_ASSESSMENT_COLUMN_KEYS,
  type TemplateDefinition,
} from "../../functions/template/definition.js";
import { type LayoutSheet, templateLayout } from "../../functions/template/template-layout.js";
import { a1, type CellValue, cellText, type GridCell, MapSheetGrid, type WorkbookGrid } from "../../functions/workbook/grid.js";

export class TemplateGrid {
  readonly grid: WorkbookGrid;

  constructor(
    readonly yc: YearCatalogue,
    readonly definition: TemplateDefinition,
    history: History,
    only?: string,
    file = "mall.xlsx",
  ) {
    const layout = templateLayout({ yc, definition, history, only });
    this.grid = { file, sheets: layout.sheets.map(toGrid), modified: new Date("2026-02-01T10:00:00Z") };
    for (const sheet of layout.sheets.filter((s) => s.role === "reporter")) this.fill(sheet);
  }

  sheet(name: string): MapSheetGrid {
    const sheet = this.grid.sheets.find((s) => s.name === name);
    if (!sheet) throw new Error(`no tab ${name}`);
    return sheet as MapSheetGrid;
  }

  /** The row of an indicator on a tab, by Id and Uppdelning (and Enhet on the central tab). */
  row(tab: string, id: string, breakdown = "Totalt", unit?: string): number {
    const sheet = this.sheet(tab);
    const col = TemplateGrid.column;
    for (let r = 1; r <= sheet.rowCount; r++) {
      if (cellText(sheet.cell(r, col("id"))) !== id || cellText(sheet.cell(r, col("breakdown"))) !== breakdown) continue;
      if (unit === undefined || cellText(sheet.cell(r, col("unit"))) === unit) return r;
    }
    throw new Error(`no row ${id}/${breakdown} on ${tab}`);
  }

  /** The first row whose column A reads `text`. */
  rowStarting(tab: string, text: string): number {
    const sheet = this.sheet(tab);
    for (let r = 1; r <= sheet.rowCount; r++) if (cellText(sheet.cell(r, 1))?.startsWith(text)) return r;
    throw new Error(`no row starting "${text}" on ${tab}`);
  }

  /** The column of an indicator-table field. */
  static column(key: (typeof INDICATOR_COLUMN_KEYS)[number]): number {
    return columnOf(INDICATOR_COLUMN_KEYS, key);
  }

  /** The column of a self-assessment field. */
  static selfAssessmentColumn(key: (typeof SELF_ASSESSMENT_COLUMN_KEYS)[number]): number {
    return columnOf(SELF_ASSESSMENT_COLUMN_KEYS, key);
  }

  /** The column of an activity field. */
  static activityColumn(key: (typeof ACTIVITY_COLUMN_KEYS)[number]): number {
    return columnOf(ACTIVITY_COLUMN_KEYS, key);
  }

  /** Sets a cell as a person would type it; returns its A1 address. */
  set(tab: string, row: number, col: number, value: CellValue, extra: Omit<GridCell, "value"> = {}): string {
    this.sheet(tab).set(row, col, { value, ...extra });
    return a1(row, col);
  }

  /** The first activity row of a unit's tab (just under the activities' header). */
  activityRow(tab: string): number {
    const header = this.definition.columns.activities.activity.header;
    const sheet = this.sheet(tab);
    const col = TemplateGrid.activityColumn("activity");
    for (let r = 1; r <= sheet.rowCount; r++) if (cellText(sheet.cell(r, col)) === header) return r + 1;
    throw new Error(`no activities on ${tab}`);
  }

  /** Every input cell with a valid value: parts that add up to their total, one activity. */
  private fill(layout: LayoutSheet): void {
    const sheet = this.sheet(layout.title);
    const col = TemplateGrid.column;
    const indicators = new Map(this.yc.catalogue.indicators.map((i) => [i.id, i]));
    const totals = new Map<string, number>();
    layout.rows.forEach((row, r) => {
      const id = row.cells[col("id") - 1]?.value;
      const indicator = typeof id === "string" ? indicators.get(id) : undefined;
      if (!indicator || row.cells.every((c) => !c.input)) return;
      const at = r + 1;
      const isTotal = row.cells[col("breakdown") - 1]?.value === "Totalt";
      const key = `${id}|${row.cells[col("unit") - 1]?.value}`;
      const parts = totals.get(key) ?? 0;
      switch (indicator.measure) {
        case "count":
          sheet.set(at, col("value"), { value: isTotal ? parts || 10 : 10 });
          break;
        case "ratio":
          sheet.set(at, col("numerator"), { value: isTotal ? (parts || 10) / 2 : 5 });
          sheet.set(at, col("denominator"), { value: isTotal ? parts || 10 : 10 });
          break;
        case "survey":
          sheet.set(at, col("value"), { value: 70 });
          sheet.set(at, col("respondents"), { value: isTotal ? parts || 10 : 10 });
          break;
        case "status":
          sheet.set(at, col("value"), { value: indicator.statuses![0]! });
          break;
      }
      if (!isTotal) totals.set(key, parts + 10);
    });
    if (!layout.reporter) return;
    if (layout.reporter === "central") {
      // Every city-wide activity gets a status and a follow-up.
      const ac = TemplateGrid.activityColumn;
      for (let r = this.activityRow(layout.title); r <= sheet.rowCount; r++) {
        if (!cellText(sheet.cell(r, ac("activity")))) continue;
        sheet.set(r, ac("status"), { value: "Pågår" });
        sheet.set(r, ac("followUp"), { value: "Följs upp i styrgruppen" });
      }
      return;
    }
    // A self-assessment for every focus area, and one activity.
    const scoreHeader = this.definition.columns.selfAssessment.score.header;
    const score = TemplateGrid.selfAssessmentColumn("score");
    let scores = false;
    for (let r = 1; r <= sheet.rowCount; r++) {
      const text = cellText(sheet.cell(r, score));
      if (text?.startsWith(scoreHeader.slice(0, 10))) scores = true;
      else if (scores && /^\d\./.test(cellText(sheet.cell(r, 1)) ?? "")) sheet.set(r, score, { value: 3 });
      else if (scores) scores = false;
    }
    const activity = this.activityRow(layout.title);
    const area = this.yc.plan.focusAreas[0]!;
    const ac = TemplateGrid.activityColumn;
    sheet.set(activity, ac("focusArea"), { value: `${area.number}. ${area.title}` });
    sheet.set(activity, ac("activity"), { value: "Introduktionsprogram för nyanställda" });
    sheet.set(activity, ac("followUp"), { value: "Enkät till nyanställda efter sex månader" });
    sheet.set(activity, ac("status"), { value: "Pågår" });
  }
}

/** Grids as a submission source, read like files (nothing is written to them). */
export function gridSource(...grids: TemplateGrid[]): SubmissionSource {
  return {
    describe: () => grids.map((g) => g.grid.file).join(", "),
    load: async () => grids.map((g) => ({ file: g.grid.file, grid: g.grid, sha256: "0".repeat(64) })),
  };
}

function toGrid(sheet: LayoutSheet): MapSheetGrid {
  const grid = new MapSheetGrid(sheet.title, sheet.visibility);
  sheet.rows.forEach((row, r) => {
    row.cells.forEach((cell, c) => {
      if (cell.value !== undefined) grid.set(r + 1, c + 1, { value: cell.value, numFmt: cell.numFmt });
    });
  });
  return grid;
}
