/**
 * The year's shared Google spreadsheet, from the same template definition and layout as the
 * .xlsx: instructions, a tab per unit and the central tab, hidden tabs for the template's
 * identity and lists, and a "Valideringsstatus" tab for write-back. Input cells have data
 * validation; everything else is protected, and each unit's input cells are editable only by
 * that unit's editors and the project leader. Made in one spreadsheets.create call.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { focusAreaLabel, focusAreaShortLabel, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { History } from "../history/history.js";
import { formatLongDate } from "../shared/format-sv.js";
import { ACTIVITY_STATUSES, type InputField, SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";
import {
  ACTIVITY_COLUMN_KEYS,
  headerText,
  INDICATOR_COLUMN_KEYS,
  SELF_ASSESSMENT_COLUMN_KEYS,
  type TemplateDefinition,
} from "./../template/definition.js";
import { inputRule, measureText, type ReporterTab, reporterTabs } from "../template/layout.js";
import type { Indicator } from "../catalogue/schema.js";
import { META_KEYS } from "../template/template-meta.js";
import { STATUS_HEADERS } from "./write-back.js";

type Cell = sheets_v4.Schema$CellData;
type Row = sheets_v4.Schema$RowData;

export interface SheetTemplateInput {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  /** Emails allowed to edit each unit's input cells, by unit id (and "central"). */
  editors: Record<string, string[]>;
  /** The project leader(s), who may edit everything. */
  projectLeaders: string[];
}

const INPUT = { backgroundColor: { red: 1, green: 0.95, blue: 0.8 } };
const HEADER = { backgroundColor: { red: 0.85, green: 0.88, blue: 0.95 }, textFormat: { bold: true } };

const text = (value: string, format?: sheets_v4.Schema$CellFormat, note?: string): Cell => ({
  userEnteredValue: { stringValue: value },
  ...(format ? { userEnteredFormat: format } : {}),
  ...(note ? { note } : {}),
});
const number = (value: number, pattern?: string): Cell => ({
  userEnteredValue: { numberValue: value },
  ...(pattern ? { userEnteredFormat: { numberFormat: { type: "NUMBER", pattern } } } : {}),
});
const empty = (): Cell => ({});
const row = (...cells: Cell[]): Row => ({ values: cells });

export function buildSpreadsheet(input: SheetTemplateInput): sheets_v4.Schema$Spreadsheet {
  const { yc, definition } = input;
  const tabs = reporterTabs(yc, definition.sheets.central);
  let nextId = 1;
  const sheets: sheets_v4.Schema$Sheet[] = [];
  const listsTitle = definition.sheets.lists;

  sheets.push(sheet(nextId++, definition.sheets.instructions, instructionRows(input, tabs)));
  const lists = listRows(yc);
  sheets.push({ ...sheet(nextId++, listsTitle, lists.rows), properties: { sheetId: nextId - 1, title: listsTitle, hidden: true } });
  for (const tab of tabs) sheets.push(reporterSheet(nextId++, tab, input, lists.ranges));
  sheets.push({
    ...sheet(nextId++, definition.sheets.status, [row(...STATUS_HEADERS.map((h) => text(h, HEADER)))]),
  });
  const metaRows = [row(text("Mall för uppföljningen. Ändra inte den här fliken."))];
  const meta = { plan: yc.plan.id, year: yc.year, templateVersion: definition.version, catalogueVersion: yc.catalogue.version, scope: "alla" };
  for (const [key, label] of Object.entries(META_KEYS)) {
    const v = meta[key as keyof typeof meta];
    metaRows.push(row(text(label), typeof v === "number" ? number(v) : text(v)));
  }
  sheets.push({ ...sheet(nextId++, definition.sheets.meta, metaRows), properties: { sheetId: nextId - 1, title: definition.sheets.meta, hidden: true } });

  // Two layers of protection per tab: the whole tab, editable by the project leaders only,
  // with the input cells left out; and the input cells, editable by the tab's own editors
  // and the project leaders. So a unit's reporters can fill their own yellow cells and
  // nothing else, and no other unit's cells.
  for (const s of sheets) {
    const title = s.properties!.title!;
    const tab = tabs.find((t) => t.sheetName === title);
    const inputs = tab ? inputRanges(s) : [];
    const leaders = { users: [...input.projectLeaders] };
    s.protectedRanges = [
      {
        range: { sheetId: s.properties!.sheetId! },
        description: `${title}: låst utom de gula cellerna`,
        editors: leaders,
        unprotectedRanges: inputs,
      },
      ...inputs.map((range) => ({
        range,
        description: `${title}: inmatning`,
        editors: { users: [...(input.editors[tab!.reporter] ?? []), ...input.projectLeaders] },
      })),
    ];
  }
  return {
    properties: { title: `Uppföljning ${yc.year} – ${yc.plan.shortTitle}`, locale: "sv_SE", timeZone: "Europe/Stockholm" },
    sheets,
  };
}

function sheet(id: number, title: string, rows: Row[]): sheets_v4.Schema$Sheet {
  return { properties: { sheetId: id, title }, data: [{ startRow: 0, startColumn: 0, rowData: rows }] };
}

/** The input cells of a tab (those in the input colour), merged into as few rectangles as possible. */
function inputRanges(s: sheets_v4.Schema$Sheet): sheets_v4.Schema$GridRange[] {
  const sheetId = s.properties!.sheetId!;
  // Runs of input cells in each row …
  const runs: { row: number; start: number; end: number }[] = [];
  (s.data?.[0]?.rowData ?? []).forEach((r, rowIndex) => {
    let start = -1;
    const values = r.values ?? [];
    for (let col = 0; col <= values.length; col++) {
      const isInput = values[col]?.userEnteredFormat?.backgroundColor === INPUT.backgroundColor;
      if (isInput && start < 0) start = col;
      if (!isInput && start >= 0) {
        runs.push({ row: rowIndex, start, end: col });
        start = -1;
      }
    }
  });
  // … joined with the same run in the rows below.
  const ranges: sheets_v4.Schema$GridRange[] = [];
  const open = new Map<string, sheets_v4.Schema$GridRange>();
  for (const run of runs) {
    const key = `${run.start}-${run.end}`;
    const previous = open.get(key);
    if (previous && previous.endRowIndex === run.row) {
      previous.endRowIndex = run.row + 1;
    } else {
      const range = { sheetId, startRowIndex: run.row, endRowIndex: run.row + 1, startColumnIndex: run.start, endColumnIndex: run.end };
      ranges.push(range);
      open.set(key, range);
    }
  }
  return ranges;
}

function instructionRows({ yc, definition }: SheetTemplateInput, tabs: ReporterTab[]): Row[] {
  const lines: Row[] = [
    row(text(`Uppföljning ${yc.year}: ${yc.plan.title}`, { textFormat: { bold: true, fontSize: 14 } })),
    row(text(`${definition.labels.deadline}: ${formatLongDate(yc.deadline)}`, { textFormat: { bold: true } })),
    row(empty()),
    row(text("Så fyller ni i", { textFormat: { bold: true } })),
    ...definition.instructions.map((i) => row(text(`• ${i}`))),
    row(empty()),
    row(text("Teckenförklaring", { textFormat: { bold: true } })),
    ...Object.values(definition.symbols).map((s) => row(text(`${s.symbol}   ${s.meaning}`))),
    row(empty()),
    row(text("Självskattning av önskat läge", { textFormat: { bold: true } })),
    ...SELF_ASSESSMENT_SCALE.map((s) => row(text(`${s.score} = ${s.label}`))),
    row(empty()),
    row(text("Flikar", { textFormat: { bold: true } })),
    ...tabs.map((t) => row(text(t.sheetName))),
  ];
  return lines;
}

function listRows(yc: YearCatalogue) {
  const columns: string[][] = [yc.plan.focusAreas.map(focusAreaLabel), [...ACTIVITY_STATUSES]];
  const statusColumns = new Map<string, number>();
  for (const ind of yc.indicators) {
    if (ind.statuses) {
      statusColumns.set(ind.id, columns.length);
      columns.push(ind.statuses);
    }
  }
  const height = Math.max(...columns.map((c) => c.length));
  const rows = Array.from({ length: height }, (_, r) => row(...columns.map((c) => (c[r] ? text(c[r]) : empty()))));
  const letter = (i: number) => String.fromCharCode(65 + i);
  const range = (i: number) => `='Listor'!$${letter(i)}$1:$${letter(i)}$${columns[i]!.length}`;
  return {
    rows,
    ranges: { focusAreas: range(0), activityStatuses: range(1), statuses: new Map([...statusColumns].map(([id, i]) => [id, range(i)])) },
  };
}

function listRule(range: string): sheets_v4.Schema$DataValidationRule {
  return { condition: { type: "ONE_OF_RANGE", values: [{ userEnteredValue: range }] }, strict: true, showCustomUi: true };
}

function reporterSheet(
  id: number,
  tab: ReporterTab,
  { yc, definition, history }: SheetTemplateInput,
  lists: ReturnType<typeof listRows>["ranges"],
): sheets_v4.Schema$Sheet {
  const cols = definition.columns.indicators;
  const rows: Row[] = [
    row(text(tab.unit ? `${tab.unit.name} – uppföljning ${yc.year}` : `${tab.sheetName} ${yc.year}`, { textFormat: { bold: true, fontSize: 14 } })),
    row(text(definition.labels.unitId), text(tab.reporter)),
    row(text(definition.labels.deadline), text(formatLongDate(yc.deadline))),
    row(empty()),
    row(text(definition.labels.indicatorsSection, { textFormat: { bold: true } })),
    row(...INDICATOR_COLUMN_KEYS.map((k) => text(headerText(cols[k].header, yc.year), HEADER))),
  ];
  const { notAvailable: na, notApplicable: nr } = definition.symbols;
  for (const r of tab.rows) {
    const record = history.get(yc.year - 1, r.unitId, r.indicator.id, r.part.key);
    const previous = record ? History.figure(record, r.indicator) : undefined;
    const rowNumber = rows.length + 1;
    const cells = INDICATOR_COLUMN_KEYS.map((key): Cell => {
      switch (key) {
        case "id":
          return text(r.indicator.id);
        case "focusArea":
          return text(focusAreaShortLabel(r.focusArea));
        case "indicator":
          return text(r.indicator.shortTitle, undefined, r.indicator.title);
        case "unit":
          return text(r.unitName);
        case "breakdown":
          return text(r.part.label);
        case "measure":
          return text(measureText(r.indicator));
        case "previous":
          return previous === undefined ? empty() : typeof previous === "number" ? number(previous, r.indicator.measure === "count" ? "#,##0" : '0.0" %"') : text(previous);
        case "comment":
          return { userEnteredFormat: INPUT };
        default:
          return empty();
      }
    });
    for (const field of r.fields) {
      const col = INDICATOR_COLUMN_KEYS.indexOf(field);
      const a1 = `${String.fromCharCode(65 + col)}${rowNumber}`;
      const symbols = { notAvailable: na.symbol, notApplicable: nr.symbol };
      cells[col] = { userEnteredFormat: INPUT, dataValidation: fieldRule(r.indicator, field, a1, lists.statuses, symbols) };
    }
    rows.push(row(...cells));
  }
  if (tab.localWork) {
    const sa = definition.columns.selfAssessment;
    rows.push(row(empty()), row(text(definition.labels.selfAssessmentSection, { textFormat: { bold: true } })), row(text(definition.labels.selfAssessmentHelp)));
    rows.push(row(...SELF_ASSESSMENT_COLUMN_KEYS.map((k) => text(headerText(sa[k].header, yc.year), HEADER))));
    for (const area of yc.plan.focusAreas) {
      rows.push(
        row(
          text(focusAreaLabel(area)),
          text(area.desiredState),
          { userEnteredFormat: INPUT, dataValidation: { condition: { type: "NUMBER_BETWEEN", values: [{ userEnteredValue: "1" }, { userEnteredValue: "5" }] }, strict: true } },
          { userEnteredFormat: INPUT },
        ),
      );
    }
    const ac = definition.columns.activities;
    rows.push(row(empty()), row(text(definition.labels.activitiesSection, { textFormat: { bold: true } })), row(text(definition.labels.activitiesHelp)));
    rows.push(row(...ACTIVITY_COLUMN_KEYS.map((k) => text(headerText(ac[k].header, yc.year), HEADER))));
    for (let i = 0; i < definition.labels.activityRows; i++) {
      rows.push(
        row(
          { userEnteredFormat: INPUT, dataValidation: listRule(lists.focusAreas) },
          { userEnteredFormat: INPUT },
          { userEnteredFormat: INPUT },
          { userEnteredFormat: INPUT, dataValidation: listRule(lists.activityStatuses) },
        ),
      );
    }
  }
  return {
    properties: { sheetId: id, title: tab.sheetName, gridProperties: { frozenRowCount: 6 } },
    data: [{ startRow: 0, startColumn: 0, rowData: rows }],
  };
}

/** The same rule as the .xlsx template (layout.ts inputRule), or the status list. */
function fieldRule(
  indicator: Indicator,
  field: InputField,
  a1: string,
  statusLists: Map<string, string>,
  symbols: { notAvailable: string; notApplicable: string },
): sheets_v4.Schema$DataValidationRule {
  if (indicator.measure === "status") return listRule(statusLists.get(indicator.id) ?? "");
  const rule = inputRule(indicator, field, a1, symbols);
  return {
    condition: { type: "CUSTOM_FORMULA", values: [{ userEnteredValue: `=${rule.formula}` }] },
    strict: true,
    inputMessage: `Skriv ${rule.what}, eller ${symbols.notAvailable} om uppgiften saknas och ${symbols.notApplicable} om det inte finns något att redovisa.`,
  };
}
