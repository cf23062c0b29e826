/**
 * The Excel report's shared look: A4 tabs that print to the page's width, titles, header rows,
 * and a figure into a cell (a number with its format and marks, or its symbol as text).
 */
import type ExcelJS from "exceljs";
import { MARKS } from "./legend.js";
import { type Cell, roundShown } from "./report-model.js";

export const COUNT_FORMAT = "#,##0";
export const PERCENT_FORMAT = '0.0" %"';
export const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E1F2" } };
export const CITY_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };
export const WRONG_WAY_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: "FFC00000" } };

export function sheet(wb: ExcelJS.Workbook, name: string, landscape = false): ExcelJS.Worksheet {
  return wb.addWorksheet(name.slice(0, 31), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: landscape ? "landscape" : "portrait",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.6, right: 0.6, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: "&LUppföljning av handlingsplanen&RSida &P (&N)" },
  });
}

export function title(ws: ExcelJS.Worksheet, text: string, sub?: string) {
  ws.addRow([text]).getCell(1).font = { bold: true, size: 14 };
  if (sub) ws.addRow([sub]).getCell(1).font = { italic: true, color: { argb: "FF595959" } };
  ws.addRow([]);
}

export function header(ws: ExcelJS.Worksheet, values: string[]): ExcelJS.Row {
  const row = ws.addRow(values);
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: "bottom" };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.border = { bottom: { style: "thin" } };
  });
  return row;
}

/** A figure into a cell: a number with its format and marks (still a number), or the symbol as text. */
export function putCell(target: ExcelJS.Cell, cell: Cell, percent: boolean) {
  if (cell.value === null) {
    target.value = cell.text;
    target.alignment = { horizontal: "right" };
  } else {
    target.value = roundShown(cell.value, percent);
    const marks = cell.marks.map((m) => MARKS[m].symbol).join("");
    target.numFmt = (percent ? PERCENT_FORMAT : COUNT_FORMAT) + (marks ? `"${marks}"` : "");
  }
}
