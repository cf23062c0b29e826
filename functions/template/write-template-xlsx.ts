/**
 * Writes the district template as an .xlsx workbook (exceljs): instructions, one tab per
 * unit (or one unit), the central tab, and hidden tabs with the template's identity and the
 * drop-down lists. Input cells are unlocked, yellow and validated; everything else is locked.
 */
import type ExcelJS from "exceljs";
import { focusAreaLabel, focusAreaShortLabel, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { Indicator } from "../catalogue/schema.js";
import { History } from "../history/history.js";
import { normaliseZip } from "../shared/deterministic-zip.js";
import { formatLongDate } from "../shared/format-sv.js";
import { ACTIVITY_STATUSES, type InputField, SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";
import {
  ACTIVITY_COLUMN_KEYS,
  headerText,
  INDICATOR_COLUMN_KEYS,
  SELF_ASSESSMENT_COLUMN_KEYS,
  type TemplateDefinition,
} from "./definition.js";
import { type IndicatorRow, inputRule, measureText, type ReporterTab, reporterTabs } from "./layout.js";
import { META_KEYS, type TemplateMeta } from "./template-meta.js";

export interface TemplateInput {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  /** Only this unit's tab (a unit id, or "central"); all tabs when absent. */
  only?: string;
  /** The document date recorded in the workbook, for reproducible files. */
  now: Date;
}

const INPUT_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E1F2" } };
const MUTED_FONT: Partial<ExcelJS.Font> = { color: { argb: "FF595959" }, size: 9 };
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
  const { yc, definition, now } = input;
  const wb = new Excel.Workbook();
  wb.creator = "Stockholms stad – uppföljning av handlingsplanen";
  wb.title = `Uppföljning ${yc.year} – ${yc.plan.shortTitle}`;
  wb.created = now;
  wb.modified = now;

  const tabs = reporterTabs(yc, definition.sheets.central, input.only);
  addInstructions(wb, input, tabs);
  const lists = addLists(wb, input);
  for (const tab of tabs) await addReporterTab(wb, input, tab, lists);
  addMeta(wb, input);
  return wb;
}

export async function writeTemplateXlsx(input: TemplateInput): Promise<Uint8Array> {
  const wb = await buildTemplateWorkbook(input);
  return normaliseZip(new Uint8Array(await wb.xlsx.writeBuffer()), input.now);
}

function addInstructions(wb: ExcelJS.Workbook, { yc, definition }: TemplateInput, tabs: ReporterTab[]) {
  const ws = wb.addWorksheet(definition.sheets.instructions, { properties: { tabColor: { argb: "FF1F4E79" } } });
  ws.getColumn(1).width = 110;
  const line = (text: string, font?: Partial<ExcelJS.Font>) => {
    const row = ws.addRow([text]);
    row.getCell(1).alignment = { wrapText: true, vertical: "top" };
    if (font) row.getCell(1).font = font;
  };
  line(`Uppföljning ${yc.year}: ${yc.plan.title}`, { bold: true, size: 14 });
  line(`${definition.labels.deadline}: ${formatLongDate(yc.deadline)}`, { bold: true });
  line("");
  line("Så fyller ni i", { bold: true, size: 12 });
  for (const text of definition.instructions) line(`• ${text}`);
  line("");
  line("Teckenförklaring", { bold: true, size: 12 });
  for (const s of Object.values(definition.symbols)) line(`${s.symbol}   ${s.meaning}`);
  line("");
  line("Självskattning av önskat läge", { bold: true, size: 12 });
  for (const s of SELF_ASSESSMENT_SCALE) line(`${s.score} = ${s.label}`);
  line("");
  line("Fokusområden", { bold: true, size: 12 });
  for (const f of yc.plan.focusAreas) line(focusAreaLabel(f));
  line("");
  line("Flikar i den här filen", { bold: true, size: 12 });
  for (const tab of tabs) line(tab.sheetName);
  ws.protect("", PROTECTION);
}

interface Lists {
  focusAreas: string;
  activityStatuses: string;
  statuses: Map<string, string>;
}

/** Drop-down values live on a hidden tab, since an inline list is limited to 255 characters. */
function addLists(wb: ExcelJS.Workbook, { yc, definition }: TemplateInput): Lists {
  const ws = wb.addWorksheet(definition.sheets.lists, { state: "hidden" });
  const sheet = quoteSheet(definition.sheets.lists);
  const column = (col: number, values: string[]) => {
    values.forEach((v, i) => {
      ws.getCell(i + 1, col).value = v;
    });
    const letter = ws.getColumn(col).letter;
    return `${sheet}!$${letter}$1:$${letter}$${values.length}`;
  };
  const lists: Lists = {
    focusAreas: column(1, yc.plan.focusAreas.map(focusAreaLabel)),
    activityStatuses: column(2, [...ACTIVITY_STATUSES]),
    statuses: new Map(),
  };
  let col = 3;
  for (const ind of yc.indicators) {
    if (ind.statuses) lists.statuses.set(ind.id, column(col++, ind.statuses));
  }
  ws.protect("", PROTECTION);
  return lists;
}

function addMeta(wb: ExcelJS.Workbook, { yc, definition, only }: TemplateInput) {
  const ws = wb.addWorksheet(definition.sheets.meta, { state: "veryHidden" });
  const meta: TemplateMeta = {
    plan: yc.plan.id,
    year: yc.year,
    templateVersion: definition.version,
    catalogueVersion: yc.catalogue.version,
    scope: only ?? "alla",
  };
  ws.addRow(["Mall för uppföljning av handlingsplanen. Ändra inte den här fliken."]);
  for (const [key, label] of Object.entries(META_KEYS)) {
    ws.addRow([label, meta[key as keyof TemplateMeta]]);
  }
  ws.protect("", PROTECTION);
}

async function addReporterTab(wb: ExcelJS.Workbook, input: TemplateInput, tab: ReporterTab, lists: Lists) {
  const { yc, definition } = input;
  const ws = wb.addWorksheet(tab.sheetName, {
    properties: tab.unit ? {} : { tabColor: { argb: "FF7F7F7F" } },
  });
  const cols = definition.columns.indicators;
  INDICATOR_COLUMN_KEYS.forEach((key, i) => {
    ws.getColumn(i + 1).width = cols[key].width;
  });

  const title = tab.unit ? `${tab.unit.name} – uppföljning ${yc.year}` : `${tab.sheetName} ${yc.year}`;
  ws.addRow([title]).getCell(1).font = { bold: true, size: 14 };
  const idRow = ws.addRow([definition.labels.unitId, tab.reporter]);
  idRow.font = MUTED_FONT;
  ws.addRow([definition.labels.deadline, formatLongDate(yc.deadline)]).font = MUTED_FONT;
  ws.addRow([]);

  ws.addRow([definition.labels.indicatorsSection]).getCell(1).font = { bold: true, size: 12 };
  const header = ws.addRow(INDICATOR_COLUMN_KEYS.map((k) => headerText(cols[k].header, yc.year)));
  styleHeader(header);
  ws.views = [{ state: "frozen", ySplit: header.number, xSplit: 0 }];

  const fieldColumn = (field: InputField) => INDICATOR_COLUMN_KEYS.indexOf(field) + 1;
  for (const row of tab.rows) {
    const previous = previousFigure(input.history, yc.year, row);
    const excelRow = ws.addRow(
      INDICATOR_COLUMN_KEYS.map((key) => {
        switch (key) {
          case "id":
            return row.indicator.id;
          case "focusArea":
            return focusAreaShortLabel(row.focusArea);
          case "indicator":
            return row.indicator.shortTitle;
          case "unit":
            return row.unitName;
          case "breakdown":
            return row.part.label;
          case "measure":
            return measureText(row.indicator);
          case "previous":
            return previous ?? null;
          default:
            return null;
        }
      }),
    );
    excelRow.getCell(INDICATOR_COLUMN_KEYS.indexOf("indicator") + 1).note = row.indicator.title;
    excelRow.getCell(INDICATOR_COLUMN_KEYS.indexOf("previous") + 1).numFmt = displayFormat(row.indicator);
    if (row.part.isTotal) excelRow.font = { bold: true };
    for (const field of row.fields) {
      const cell = excelRow.getCell(fieldColumn(field));
      markInput(cell);
      cell.dataValidation = fieldValidation(row.indicator, field, cell.address, lists, definition);
    }
    markInput(excelRow.getCell(INDICATOR_COLUMN_KEYS.indexOf("comment") + 1), true);
  }

  if (tab.localWork) addLocalWork(ws, input, lists);
  ws.protect("", PROTECTION);
}

function addLocalWork(ws: ExcelJS.Worksheet, { yc, definition }: TemplateInput, lists: Lists) {
  const { labels } = definition;
  const sa = definition.columns.selfAssessment;
  ws.addRow([]);
  ws.addRow([labels.selfAssessmentSection]).getCell(1).font = { bold: true, size: 12 };
  const help = ws.addRow([labels.selfAssessmentHelp]);
  help.font = MUTED_FONT;
  styleHeader(ws.addRow(SELF_ASSESSMENT_COLUMN_KEYS.map((k) => headerText(sa[k].header, yc.year))));
  for (const area of yc.plan.focusAreas) {
    const row = ws.addRow(
      SELF_ASSESSMENT_COLUMN_KEYS.map((k) =>
        k === "focusArea" ? focusAreaLabel(area) : k === "desiredState" ? area.desiredState : null,
      ),
    );
    row.alignment = { wrapText: true, vertical: "top" };
    // Spreadsheet programs do not grow rows for wrapped text on their own when printing.
    row.height = 78;
    const score = row.getCell(SELF_ASSESSMENT_COLUMN_KEYS.indexOf("score") + 1);
    markInput(score);
    score.dataValidation = {
      type: "whole",
      operator: "between",
      allowBlank: true,
      formulae: [1, 5],
      showErrorMessage: true,
      errorStyle: "stop",
      errorTitle: "Skatta 1–5",
      error: "Skriv en hel siffra från 1 (långt ifrån önskat läge) till 5 (önskat läge är uppnått).",
    };
    markInput(row.getCell(SELF_ASSESSMENT_COLUMN_KEYS.indexOf("comment") + 1), true);
  }

  const ac = definition.columns.activities;
  ws.addRow([]);
  ws.addRow([labels.activitiesSection]).getCell(1).font = { bold: true, size: 12 };
  ws.addRow([labels.activitiesHelp]).font = MUTED_FONT;
  styleHeader(ws.addRow(ACTIVITY_COLUMN_KEYS.map((k) => headerText(ac[k].header, yc.year))));
  for (let i = 0; i < labels.activityRows; i++) {
    const row = ws.addRow([]);
    row.height = 32;
    const col = (k: (typeof ACTIVITY_COLUMN_KEYS)[number]) => row.getCell(ACTIVITY_COLUMN_KEYS.indexOf(k) + 1);
    for (const key of ["focusArea", "activity", "followUp", "status"] as const) markInput(col(key), true);
    col("focusArea").dataValidation = listValidation(lists.focusAreas, "Välj ett av planens fokusområden.");
    col("status").dataValidation = listValidation(lists.activityStatuses, "Välj status i listan.");
  }
}

function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: "middle" };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = { bottom: { style: "thin" } };
  });
}

function markInput(cell: ExcelJS.Cell, text = false) {
  cell.protection = { locked: false };
  cell.fill = INPUT_FILL;
  cell.border = { top: { style: "hair" }, bottom: { style: "hair" }, left: { style: "hair" }, right: { style: "hair" } };
  if (text) cell.alignment = { wrapText: true, vertical: "top" };
}

function listValidation(range: string, error: string): ExcelJS.DataValidation {
  return {
    type: "list",
    allowBlank: true,
    formulae: [range],
    showErrorMessage: true,
    errorStyle: "stop",
    errorTitle: "Välj i listan",
    error,
  };
}

/**
 * A number rule that still lets the reporter type ".." (not available) or "–" (nothing to
 * report), which a plain whole-number rule would refuse.
 */
function fieldValidation(
  indicator: Indicator,
  field: InputField,
  address: string,
  lists: Lists,
  definition: TemplateDefinition,
): ExcelJS.DataValidation {
  if (indicator.measure === "status") {
    return listValidation(lists.statuses.get(indicator.id) ?? "", "Välj status i listan.");
  }
  const { notAvailable: na, notApplicable: nr } = definition.symbols;
  const rule = inputRule(indicator, field, address, { notAvailable: na.symbol, notApplicable: nr.symbol });
  return {
    type: "custom",
    allowBlank: true,
    formulae: [rule.formula],
    showErrorMessage: true,
    errorStyle: "stop",
    errorTitle: "Ogiltigt värde",
    error: `Skriv ${rule.what}. Skriv ${na.symbol} om uppgiften saknas och ${nr.symbol} om det inte finns något att redovisa.`,
    showInputMessage: true,
    promptTitle: fieldTitle(field),
    prompt: measureText(indicator).slice(0, 250),
  };
}

function fieldTitle(field: InputField): string {
  return { value: "Värde", numerator: "Täljare", denominator: "Nämnare", respondents: "Antal svarande" }[field];
}

function displayFormat(indicator: Indicator): string {
  return indicator.measure === "count" ? "#,##0" : indicator.measure === "status" ? "@" : '0.0" %"';
}

function previousFigure(history: History, year: number, row: IndicatorRow): number | string | undefined {
  const record = history.get(year - 1, row.unitId, row.indicator.id, row.part.key);
  return record ? History.figure(record, row.indicator) : undefined;
}

function quoteSheet(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}
