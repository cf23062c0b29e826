/**
 * Renders the template layout as an .xlsx workbook (exceljs). Input cells are unlocked, in the
 * input colour and validated; every tab is protected, so everything else is locked.
 */
import type ExcelJS from "exceljs";
import { workbookBytes } from "../shared/deterministic-zip.js";
import { quotePrefixFormulaLikeText } from "../workbook/quote-prefix.js";
import {
  COLOURS,
  type FontRole,
  type InputRule,
  type LayoutCell,
  type LayoutSheet,
  READY_CHOICES,
  templateLayout,
  type TemplateLayoutInput,
} from "./template-layout.js";

export interface TemplateInput extends TemplateLayoutInput {
  /** The document date recorded in the workbook, for reproducible files. */
  now: Date;
}

const argb = (hex: string) => ({ argb: `FF${hex}` });
const FILL = (hex: string): ExcelJS.Fill => ({ type: "pattern", pattern: "solid", fgColor: argb(hex) });
const FONTS: Record<FontRole, Partial<ExcelJS.Font>> = {
  title: { bold: true, size: 14 },
  heading: { bold: true, size: 12 },
  bold: { bold: true },
  muted: { color: argb(COLOURS.muted), size: 9 },
};
const HAIR = { style: "hair" } as const;
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  insertRows: true,
  insertColumns: true,
  sort: true,
  autoFilter: true,
};

/** Builds the template workbook in memory. */
export async function buildTemplateWorkbook(input: TemplateInput): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import("exceljs");
  const layout = templateLayout(input);
  const wb = new Excel.Workbook();
  wb.creator = "Stockholms stad – uppföljning av handlingsplanen";
  wb.title = layout.title;
  wb.created = input.now;
  wb.modified = input.now;
  for (const sheet of layout.sheets) addSheet(wb, sheet);
  // The share formulas carry no cached result: the program works them out when it opens the file.
  wb.calcProperties.fullCalcOnLoad = true;
  return wb;
}

export async function writeTemplateXlsx(input: TemplateInput): Promise<Uint8Array> {
  const wb = await buildTemplateWorkbook(input);
  return workbookBytes(wb, input.now, quotePrefixFormulaLikeText);
}

function addSheet(wb: ExcelJS.Workbook, sheet: LayoutSheet): void {
  const ws = wb.addWorksheet(sheet.title, {
    state: sheet.visibility,
    properties: sheet.tabColour ? { tabColor: argb(sheet.tabColour) } : {},
  });
  sheet.widths.forEach((width, i) => {
    ws.getColumn(i + 1).width = width;
  });
  if (sheet.frozenRows > 0) ws.views = [{ state: "frozen", ySplit: sheet.frozenRows, xSplit: 0 }];
  // Printed on A4 landscape, as wide as the page, as many pages down as the content needs,
  // with the rows that stay in view (the title and the column headers) repeated on each page.
  ws.pageSetup = {
    paperSize: 9,
    orientation: sheet.role === "reporter" ? "landscape" : "portrait",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    ...(sheet.frozenRows > 0 ? { printTitlesRow: `${sheet.frozenRows}:${sheet.frozenRows}` } : {}),
  };
  sheet.rows.forEach((row, r) => {
    const xlRow = ws.getRow(r + 1);
    if (row.height) xlRow.height = row.height;
    row.cells.forEach((cell, c) => {
      renderCell(xlRow.getCell(c + 1), cell);
    });
  });
  ws.protect("", PROTECTION);
}

function renderCell(xl: ExcelJS.Cell, cell: LayoutCell): void {
  if (cell.value !== undefined) xl.value = cell.value;
  if (cell.formula !== undefined) xl.value = { formula: cell.formula };
  if (cell.font) xl.font = FONTS[cell.font];
  if (cell.numFmt) xl.numFmt = cell.numFmt;
  if (cell.note) xl.note = cell.note;
  if (cell.wrap) xl.alignment = { wrapText: true, vertical: "top" };
  if (cell.header) {
    xl.font = { bold: true };
    xl.alignment = { wrapText: true, vertical: "middle" };
    xl.fill = FILL(COLOURS.header);
    xl.border = { bottom: { style: "thin" } };
  }
  if (cell.input) {
    xl.protection = { locked: false };
    xl.fill = FILL(COLOURS.input);
    xl.border = { top: HAIR, bottom: HAIR, left: HAIR, right: HAIR };
    const validation = dataValidation(cell.input);
    if (validation) xl.dataValidation = validation;
  }
}

function dataValidation(rule: InputRule): ExcelJS.DataValidation | undefined {
  const stop = { allowBlank: true, showErrorMessage: true, errorStyle: "stop" } as const;
  switch (rule.kind) {
    case "text":
      return undefined;
    case "ready":
      return { ...stop, type: "list", formulae: [`"${READY_CHOICES.join(",")}"`], errorTitle: "Välj i listan", error: rule.error };
    case "date":
      return {
        ...stop,
        type: "date",
        operator: "greaterThan",
        formulae: [new Date(Date.UTC(2000, 0, 1))],
        errorTitle: "Ogiltigt datum",
        error: rule.error,
      };
    case "list":
      return { ...stop, type: "list", formulae: [rule.range], errorTitle: "Välj i listan", error: rule.error };
    case "whole":
      return { ...stop, type: "whole", operator: "between", formulae: [rule.min, rule.max], errorTitle: rule.title, error: rule.error };
    case "formula":
      return {
        ...stop,
        type: "custom",
        formulae: [rule.formula],
        errorTitle: "Ogiltigt värde",
        error: rule.error,
        showInputMessage: true,
        promptTitle: rule.title,
        prompt: rule.prompt,
      };
  }
}
