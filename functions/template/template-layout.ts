/**
 * The district template as a neutral description: sheets, rows and cells, each cell with its
 * text or number, its look (a font role, a header, wrapping, a number format), a note, and –
 * for the cells a reporter fills – the rule of what may be typed. It is built once from the
 * catalogue, the template definition and history; the .xlsx writer (exceljs) and the Google
 * Sheets writer only render it, so the two templates cannot drift apart.
 */
import { focusAreaLabel, focusAreaShortLabel } from "../catalogue/catalogue-for-year.js";
import type { Indicator } from "../catalogue/schema.js";
import { History } from "../history/history.js";
import { formatLongDate, formatNumber, formatPercent } from "../shared/format-sv.js";
import { ACTIVITY_STATUSES, INPUT_FIELD_NAMES, type InputField, SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";
import {
  ACTIVITY_COLUMN_KEYS,
  columnOf,
  headerText,
  INDICATOR_COLUMN_KEYS,
  type InstructionTopic,
  SELF_ASSESSMENT_COLUMN_KEYS,
  type TemplateDefinition,
} from "./definition.js";
import { a1 } from "../workbook/grid.js";
import { wrappedHeight } from "../workbook/row-height.js";
import { CENTRAL, inputRule, measureText, type ReporterTab, reporterTabs } from "./layout.js";
import { cityActivityRows, localWorkRows } from "./local-work-layout.js";
import { blank, headerRow } from "./rows.js";
import { statusSheet, textSheet } from "./status-layout.js";
import { META_KEYS, type TemplateMeta } from "./template-meta.js";
import { COLOURS, READY_CHOICES, type FontRole, type InputRule, type LayoutCell, type LayoutRow, type LayoutSheet, type TemplateLayout, type TemplateLayoutInput, importedKey } from "./layout-model.js";

export { COLOURS, READY_CHOICES } from "./layout-model.js";
export type { FontRole, InputRule, LayoutCell, LayoutRow, SheetRole, LayoutSheet, TemplateLayout, TemplateLayoutInput } from "./layout-model.js";


const line = (value: string, font?: FontRole): LayoutRow => ({ cells: [{ value, font, wrap: true }] });

/** The whole template, in tab order: instructions, lists, the reporters' tabs, status, identity. */
export function templateLayout(input: TemplateLayoutInput): TemplateLayout {
  const { yc, definition } = input;
  const tabs = reporterTabs(yc, definition.sheets.central, input.only);
  const lists = listsSheet(input);
  const sheets = [instructionsSheet(input, tabs), lists.sheet, ...tabs.map((t) => reporterSheet(input, t, lists.ranges))];
  if (input.statusTab) sheets.push(statusSheet(yc, definition), textSheet(yc, definition));
  sheets.push(metaSheet(input));
  for (const sheet of sheets) fitRowHeights(sheet);
  return { title: `Uppföljning ${yc.year} – ${yc.plan.shortTitle}`, sheets };
}

/** The instructions for the inputs this file's tabs have: no percent help in a file without a percentage. */
function instructionLines(definition: TemplateLayoutInput["definition"], tabs: ReporterTab[]): string[] {
  const has = new Set<InstructionTopic>();
  for (const tab of tabs) {
    if (tab.localWork) has.add("localWork");
    for (const row of tab.rows) {
      has.add(row.indicator.measure);
      if (row.indicator.breakdown === "sex") has.add("sex");
    }
  }
  return definition.instructions.flatMap((i) => (typeof i === "string" ? [i] : i.when.some((w) => has.has(w)) ? [i.text] : []));
}

function instructionsSheet({ yc, definition }: TemplateLayoutInput, tabs: ReporterTab[]): LayoutSheet {
  const rows: LayoutRow[] = [
    line(`Uppföljning ${yc.year}: ${yc.plan.title}`, "title"),
    line(`${definition.labels.deadline}: ${formatLongDate(yc.deadline)}`, "bold"),
    blank(),
    line("Så fyller ni i", "heading"),
    ...instructionLines(definition, tabs).map((text) => line(`• ${text}`)),
    blank(),
    line("Teckenförklaring", "heading"),
    ...Object.values(definition.symbols).map((s) => line(`${s.symbol}   ${s.meaning}`)),
    blank(),
    line("Självskattning av önskat läge", "heading"),
    ...SELF_ASSESSMENT_SCALE.map((s) => line(`${s.score} = ${s.label}`)),
    blank(),
    line("Fokusområden", "heading"),
    ...yc.plan.focusAreas.map((f) => line(focusAreaLabel(f))),
    blank(),
    line("Flikar i den här filen", "heading"),
    ...tabs.map((t) => line(t.sheetName)),
  ];
  return {
    title: definition.sheets.instructions,
    role: "instructions",
    visibility: "visible",
    tabColour: COLOURS.instructionsTab,
    widths: [110],
    frozenRows: 0,
    rows,
  };
}

interface ListRanges {
  focusAreas: string;
  activityStatuses: string;
  statuses: Map<string, string>;
}

/** Drop-down values live on a hidden tab, since an inline list is limited to 255 characters. */
function listsSheet({ yc, definition }: TemplateLayoutInput): { sheet: LayoutSheet; ranges: ListRanges } {
  const columns: string[][] = [yc.plan.focusAreas.map(focusAreaLabel), [...ACTIVITY_STATUSES]];
  const statusColumns = new Map<string, number>();
  for (const indicator of yc.indicators) {
    if (!indicator.statuses) continue;
    statusColumns.set(indicator.id, columns.length);
    columns.push(indicator.statuses);
  }
  const sheet = quoteSheet(definition.sheets.lists);
  const range = (col: number) => {
    const letter = a1(1, col + 1).replace(/\d+$/, "");
    return `${sheet}!$${letter}$1:$${letter}$${columns[col]!.length}`;
  };
  const height = Math.max(...columns.map((c) => c.length));
  const rows = Array.from({ length: height }, (_, r) => ({ cells: columns.map((c) => ({ value: c[r] })) }));
  return {
    sheet: { title: definition.sheets.lists, role: "lists", visibility: "hidden", widths: [], frozenRows: 0, rows },
    ranges: {
      focusAreas: range(0),
      activityStatuses: range(1),
      statuses: new Map([...statusColumns].map(([id, col]) => [id, range(col)])),
    },
  };
}

function metaSheet({ yc, definition, only }: TemplateLayoutInput): LayoutSheet {
  const meta: TemplateMeta = {
    plan: yc.plan.id,
    year: yc.year,
    templateVersion: definition.version,
    catalogueVersion: yc.catalogue.version,
    scope: only ?? "alla",
  };
  const rows: LayoutRow[] = [{ cells: [{ value: "Mall för uppföljning av handlingsplanen. Ändra inte den här fliken." }] }];
  for (const [key, label] of Object.entries(META_KEYS)) {
    rows.push({ cells: [{ value: label }, { value: meta[key as keyof TemplateMeta] }] });
  }
  return { title: definition.sheets.meta, role: "meta", visibility: "veryHidden", widths: [], frozenRows: 0, rows };
}

function reporterSheet(input: TemplateLayoutInput, tab: ReporterTab, lists: ListRanges): LayoutSheet {
  const { yc, definition, history } = input;
  const cols = definition.columns.indicators;
  const rows: LayoutRow[] = [
    { cells: [{ value: tab.unit ? `${tab.unit.name} – uppföljning ${yc.year}` : `${tab.sheetName} ${yc.year}`, font: "title" }] },
    { cells: [{ value: definition.labels.unitId, font: "muted" }, { value: tab.reporter, font: "muted" }] },
    { cells: [{ value: definition.labels.deadline, font: "muted" }, { value: formatLongDate(yc.deadline), font: "muted" }] },
    readyRow(definition),
    { cells: [{ value: definition.labels.indicatorsSection, font: "heading" }] },
    headerRow(INDICATOR_COLUMN_KEYS.map((k) => headerText(cols[k].header, yc.year))),
  ];
  const frozenRows = rows.length;

  for (const row of tab.rows) {
    const record = history.get(yc.year - 1, row.unitId, row.indicator.id, row.part.key);
    const previous = record ? History.figure(record, row.indicator) : undefined;
    const rowNumber = rows.length + 1;
    const font: FontRole | undefined = row.part.isTotal ? "bold" : undefined;
    const cells = INDICATOR_COLUMN_KEYS.map((key): LayoutCell => {
      switch (key) {
        case "id":
          return { value: row.indicator.id, font };
        case "focusArea":
          return { value: focusAreaShortLabel(row.focusArea), font };
        case "indicator":
          return { value: row.indicator.shortTitle, font, note: row.indicator.title };
        case "unit":
          return { value: row.unitName, font };
        case "breakdown":
          return { value: row.part.label, font };
        case "measure":
          return { value: measureText(row.indicator), font, wrap: true };
        case "previous":
          // A share with what it was made of, as the reporter types it this year: "30 % (12 av 40)".
          return row.indicator.measure === "ratio" && typeof previous === "number" && record
            ? { value: `${formatPercent(previous)} (${formatNumber(record.numerator ?? 0, 0)} av ${formatNumber(record.denominator ?? 0, 0)})`, font, wrap: true }
            : { value: previous, font, numFmt: displayFormat(row.indicator) };
        case "share":
          return row.fields.includes("numerator") && row.fields.includes("denominator")
            ? { font, numFmt: displayFormat(row.indicator), formula: shareFormula(rowNumber) }
            : { font };
        case "comment":
          return { font, wrap: true, input: { kind: "text" } };
        default:
          return { font };
      }
    });
    const imported = input.imported?.get(importedKey(row.unitId, row.indicator.id, row.part.key));
    for (const field of row.fields) {
      const col = columnOf(INDICATOR_COLUMN_KEYS, field);
      // An imported value is shown, locked: it is changed by a new import, not here.
      cells[col - 1] = imported
        ? { font, value: imported.status === "ok" ? imported.fields[field] : definition.symbols.notAvailable.symbol, note: imported.note }
        : { font, input: fieldRule(row.indicator, field, a1(rowNumber, col), lists, definition) };
    }
    if (imported) cells[columnOf(INDICATOR_COLUMN_KEYS, "comment") - 1] = { value: imported.note, font: "muted", wrap: true };
    rows.push({ cells });
  }
  if (tab.unit && tab.localWork) rows.push(...localWorkRows(input, tab.unit.id, lists));
  if (tab.reporter === CENTRAL) rows.push(...cityActivityRows(input, lists));

  return {
    title: tab.sheetName,
    role: "reporter",
    reporter: tab.reporter,
    visibility: "visible",
    tabColour: tab.unit ? undefined : COLOURS.centralTab,
    widths: tabWidths(definition, tab.localWork, tab.reporter === CENTRAL),
    frozenRows,
    rows,
  };
}

/**
 * A tab's column widths: each column as wide as the widest of the sections that use it, so that
 * no part of the tab cuts its text (the local work's "Önskat läge" sits in the indicators'
 * Fokusområde column, and is far longer).
 */
function tabWidths(definition: TemplateDefinition, localWork: boolean, cityActivities: boolean): number[] {
  const { indicators, selfAssessment, activities } = definition.columns;
  const sections: number[][] = [
    INDICATOR_COLUMN_KEYS.map((k) => indicators[k].width),
    ...(localWork ? [SELF_ASSESSMENT_COLUMN_KEYS.map((k) => selfAssessment[k].width)] : []),
    ...(localWork || cityActivities ? [ACTIVITY_COLUMN_KEYS.map((k) => activities[k].width)] : []),
  ];
  return sections[0]!.map((_, col) => Math.max(...sections.map((s) => s[col] ?? 0)));
}

/** Where the unit says the tab is done: Klar att lämna in (Ja/Nej), by whom and on which day. */
function readyRow({ labels }: TemplateDefinition): LayoutRow {
  return {
    cells: [
      { value: labels.ready, font: "bold" },
      { input: { kind: "ready", error: `Välj ${READY_CHOICES.join(" eller ")}.` } },
      { value: labels.readyBy, font: "muted" },
      { input: { kind: "text" } },
      { value: labels.readyDate, font: "muted" },
      { numFmt: "yyyy-mm-dd", input: { kind: "date", error: "Skriv ett datum, till exempel 2026-02-10." } },
    ],
    height: 20,
  };
}

/** Rows with wrapped text made tall enough for all of it, in their columns' widths (9 where none is set). */
function fitRowHeights(sheet: LayoutSheet): void {
  for (const row of sheet.rows) {
    const height = wrappedHeight(
      row.cells.flatMap((cell, col) =>
        (cell.wrap || cell.header) && typeof cell.value === "string" ? [{ text: cell.value, width: sheet.widths[col] ?? 9 }] : [],
      ),
    );
    if (height) row.height = Math.max(row.height ?? 0, height);
  }
}

/**
 * This year's share, worked out from the row's numerator and denominator once both are numbers
 * (and the denominator is not 0); blank until then. Addresses only: no reporter text.
 */
function shareFormula(row: number): string {
  const n = a1(row, columnOf(INDICATOR_COLUMN_KEYS, "numerator"));
  const d = a1(row, columnOf(INDICATOR_COLUMN_KEYS, "denominator"));
  return `IF(AND(ISNUMBER(${n}),ISNUMBER(${d})),IF(${d}>0,${n}/${d}*100,""),"")`;
}

/**
 * A number rule that still lets the reporter type ".." (not available) or "–" (nothing to
 * report), which a plain whole-number rule would refuse; or the status list.
 */
function fieldRule(indicator: Indicator, field: InputField, address: string, lists: ListRanges, definition: TemplateDefinition): InputRule {
  if (indicator.measure === "status") {
    return { kind: "list", range: lists.statuses.get(indicator.id) ?? "", error: "Välj status i listan." };
  }
  const { notAvailable: na, notApplicable: nr } = definition.symbols;
  const rule = inputRule(indicator, field, address, definition.symbols);
  return {
    kind: "formula",
    formula: rule.formula,
    title: INPUT_FIELD_NAMES[field],
    error: `Skriv ${rule.what}. Skriv ${na.symbol} om uppgiften saknas och ${nr.symbol} om det inte finns något att redovisa.`,
    prompt: measureText(indicator).slice(0, 250),
  };
}

function displayFormat(indicator: Indicator): string {
  return indicator.measure === "count" ? "#,##0" : indicator.measure === "status" ? "@" : '0.0" %"';
}

function quoteSheet(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

/** Every input cell of a sheet, as 0-based row and column with its rule. */
export function inputCells(sheet: LayoutSheet): { row: number; col: number; rule: InputRule }[] {
  return sheet.rows.flatMap((r, row) => r.cells.flatMap((c, col) => (c.input ? [{ row, col, rule: c.input }] : [])));
}

/** A whole number from min to max in the cell, as a formula (for programs without a whole-number rule). */
export function wholeNumberFormula(address: string, min: number, max: number): string {
  return `AND(ISNUMBER(${address}),${address}>=${min},${address}<=${max},${address}=INT(${address}))`;
}
