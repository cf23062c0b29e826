/**
 * The Excel report for board secretaries (exceljs): a summary, a sheet per focus area with
 * unit × year tables, the reporting rate, the local work, a long data sheet for pivot tables
 * and the legend. Numbers are numeric cells with Swedish-looking formats; text that people
 * wrote is only ever written as text; the same input and clock give the same bytes.
 */
import type { Observation } from "../model/records.js";
import type ExcelJS from "exceljs";
import { focusAreaShortLabel } from "../catalogue/catalogue-for-year.js";
import { workbookBytes } from "../shared/deterministic-zip.js";
import { quotePrefixFormulaLikeText } from "../workbook/quote-prefix.js";
import { admissionRuleSentence, reportingSentence } from "../aggregate/admission.js";
import { formatLongDate, formatStockholmDay } from "../shared/format-sv.js";
import { SELF_ASSESSMENT_SCALE } from "../shared/vocabulary.js";

import { isShare } from "../catalogue/figure.js";
import { legendNotes, wrongWayFlag } from "./report-text.js";
import { EXAMPLE_KEYWORD } from "../workbook/read-xlsx.js";
import { DEFINITION_HEADINGS, indicatorDefinitions } from "./definitions.js";
import { reportNotice } from "./report-text.js";
import { FIGURE_KINDS, legend, PREVIEW_NOTICE } from "./legend.js";
import { localWorkNotCountedNote, ownReportingShown, type ReportModel } from "./report-model.js";
import { addData, DATA_TAB } from "./xlsx-data.js";
import { addSources } from "./xlsx-sources.js";
import { CITY_FILL, header, putCell, sheet, title, WRONG_WAY_FONT } from "./xlsx-style.js";

export interface ExcelReportInput {
  model: ReportModel;
  observations: Observation[];
  /** The document date. */
  now: Date;
}

export async function writeReportXlsx(input: ExcelReportInput): Promise<Uint8Array> {
  const { default: Excel } = await import("exceljs");
  const { model, now } = input;
  const wb = new Excel.Workbook();
  wb.creator = "Stockholms stad";
  wb.title = `Uppföljning ${model.year} – ${model.yc.plan.title}`;
  wb.created = now;
  wb.modified = now;
  wb.calcProperties.fullCalcOnLoad = false;

  addSummary(wb, model, now);
  for (const section of model.sections) addFocusArea(wb, model, section);
  addReporting(wb, model);
  addLocalWork(wb, model);
  addCityActivities(wb, model);
  addData(wb, input);
  addSources(wb, model);
  addLegend(wb, model);
  addDefinitions(wb, model);
  if (model.exampleData || model.preview) markNotice(wb, model);
  return workbookBytes(wb, now, quotePrefixFormulaLikeText);
}

function addSummary(wb: ExcelJS.Workbook, model: ReportModel, now: Date) {
  const ws = sheet(wb, "Sammanfattning", true);
  title(ws, `Uppföljning ${model.year}: ${model.yc.plan.title}`, `Stockholms stad · ${formatLongDate(now.toISOString().slice(0, 10))}`);
  const head = header(ws, [
    "Fokusområde",
    "Indikator",
    "Sammanvägning",
    `Stadens värde ${model.year - 1}`,
    `Stadens värde ${model.year}`,
    "Förändring (jämförbara enheter)",
    "Trend",
    "Jämförelsen gäller",
  ]);
  ws.views = [{ state: "frozen", ySplit: head.number }];
  ws.pageSetup.printTitlesRow = `${head.number}:${head.number}`;
  for (const s of model.summary) {
    const row = ws.addRow([focusAreaShortLabel(s.focusArea), s.indicator.shortTitle, s.kind]);
    const percent = isShare(s.indicator);
    putCell(row.getCell(4), s.previous, percent);
    putCell(row.getCell(5), s.current, percent);
    row.getCell(6).value = [s.change, s.likeForLike].filter(Boolean).join(". ");
    row.getCell(6).alignment = { wrapText: true, vertical: "top" };
    row.getCell(7).value = s.wrongWay ? (s.comparison?.kind === "trend" ? "Trenden går åt fel håll" : "Förändringen går åt fel håll") : "";
    if (s.wrongWay) row.getCell(7).font = WRONG_WAY_FONT;
    row.getCell(8).value = s.basis;
    row.getCell(8).alignment = { wrapText: true, vertical: "top" };
  }
  if (model.reporting) {
    const r = model.reporting;
    ws.addRow([]);
    ws.addRow([`Rapportering ${r.year}: ${reportingSentence(r)} ${admissionRuleSentence(r.rule)}`]);
  }
  [26, 46, 40, 10, 10, 26, 26, 60].forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
}

function addFocusArea(wb: ExcelJS.Workbook, model: ReportModel, section: ReportModel["sections"][number]) {
  const fa = section.focusArea;
  const ws = sheet(wb, focusAreaShortLabel(fa), true);
  title(ws, fa.number > 0 ? `Fokusområde ${fa.number}: ${fa.title}` : fa.title, fa.desiredState);
  ws.getColumn(1).width = 30;
  ws.views = [{ state: "frozen", xSplit: 1 }];
  for (const table of section.tables) {
    ws.addRow([table.indicator.title]).getCell(1).font = { bold: true, size: 12 };
    ws.addRow([`Källa: ${table.indicator.source}`]).getCell(1).font = { italic: true };
    if (table.items) {
      header(ws, ["Aktivitet", `Status ${model.year}`]);
      for (const item of table.items) ws.addRow([item.label, item.status]);
      ws.addRow([]);
      continue;
    }
    const sexColumns = table.rows.some((r) => r.women);
    const head = header(ws, [
      "Enhet",
      ...table.years.map(String),
      ...(sexColumns ? [`Kvinnor ${model.year}`, `Män ${model.year}`] : []),
      "Stadens värde",
    ]);
    for (const r of table.rows) {
      const row = ws.addRow([r.name]);
      r.cells.forEach((c, i) => {
        putCell(row.getCell(i + 2), c, table.percent);
      });
      let col = table.years.length + 2;
      if (sexColumns) {
        if (r.women) putCell(row.getCell(col), r.women, table.percent);
        if (r.men) putCell(row.getCell(col + 1), r.men, table.percent);
        col += 2;
      }
      if (r.isCity) {
        row.getCell(col).value = r.kind ?? "";
        row.eachCell((c) => {
          c.fill = CITY_FILL;
        });
        row.font = { bold: true };
      }
    }
    const flag = wrongWayFlag(table);
    if (flag) ws.addRow([`Staden: ${flag.charAt(0).toLocaleLowerCase("sv-SE")}${flag.slice(1)}`]).getCell(1).font = WRONG_WAY_FONT;
    for (const note of table.notes) ws.addRow([note]).getCell(1).font = { italic: true, size: 9 };
    if (table.mergerNote) ws.addRow([table.mergerNote]).getCell(1).font = { italic: true, size: 9 };
    ws.addRow([]);
    for (let c = 2; c <= head.cellCount; c++) ws.getColumn(c).width = Math.max(ws.getColumn(c).width ?? 0, 11);
  }
}

function addReporting(wb: ExcelJS.Workbook, model: ReportModel) {
  const ws = sheet(wb, "Rapportering");
  const r = model.reporting;
  title(ws, `Rapportering ${model.year}`, r ? `Sista dag för inlämning: ${formatLongDate(r.deadline)}` : undefined);
  if (!r) return;
  const head = header(ws, ["Enhet", "Läge", "Räknas i stadens värden", "Fel", "Markerad klar", "I tid", "Godkänd"]);
  ws.views = [{ state: "frozen", ySplit: head.number }];
  ws.pageSetup.printTitlesRow = `${head.number}:${head.number}`;
  const yesNo = (b: boolean) => (b ? "Ja" : "Nej");
  for (const u of r.units) {
    const marked = u.submittedAt ? formatStockholmDay(new Date(u.submittedAt)) : "";
    ws.addRow([model.unitName(u.reporter), u.state, yesNo(u.admitted), u.errors, marked, yesNo(u.onTime), yesNo(u.approved)]);
  }
  // The count of units expected is said once, in words, so that no number runs into it.
  const total = ws.addRow(["Totalt", `${r.started} av ${r.expected} påbörjade`, r.admitted, "", "", r.onTime, r.approved]);
  total.font = { bold: true };
  ws.addRow([]);
  ws.addRow([admissionRuleSentence(r.rule)]).getCell(1).font = { italic: true };
  [30, 20, 14, 8, 16, 10, 10].forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
}

function addLocalWork(wb: ExcelJS.Workbook, model: ReportModel) {
  const ws = sheet(wb, "Lokalt arbete", true);
  title(ws, `Lokalt arbete ${model.year}`, `Självskattning: ${SELF_ASSESSMENT_SCALE.map((s) => `${s.score} = ${s.label.toLocaleLowerCase("sv-SE")}`).join(", ")}.`);
  const areas = model.yc.plan.focusAreas;
  header(ws, ["Enhet", ...areas.map(focusAreaShortLabel)]);
  const scores = new Map(model.selfAssessments.map((s) => [`${s.unit}|${s.focusArea}`, s.score]));
  for (const unit of model.yc.units) {
    const row = ws.addRow([unit.name]);
    areas.forEach((a, i) => {
      const score = ownReportingShown(model, unit.id) ? scores.get(`${unit.id}|${a.id}`) : undefined;
      row.getCell(i + 2).value = score ?? model.definition.symbols.notAvailable.symbol;
    });
  }
  const note = localWorkNotCountedNote(model);
  if (note) ws.addRow([note]);
  ws.addRow([]);
  header(ws, ["Enhet", "Fokusområde", "Aktivitet", "Uppföljning", "Status"]);
  for (const a of model.activities) {
    const area = areas.find((f) => f.id === a.focusArea);
    // Reporters' own words: written as plain strings, never as formulas.
    const row = ws.addRow([model.unitName(a.unit), area ? focusAreaShortLabel(area) : a.focusArea, a.activity, a.followUp ?? "", a.status ?? ""]);
    row.alignment = { wrapText: true, vertical: "top" };
  }
  [26, 26, 50, 44, 14].forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
}

/** The plan's city-wide activities with the central tab's status and follow-up for the year. */
function addCityActivities(wb: ExcelJS.Workbook, model: ReportModel) {
  const ws = sheet(wb, "Stadsövergripande aktiviteter", true);
  title(ws, `Stadsövergripande aktiviteter ${model.year}`, "Planens aktiviteter för hela staden, med status och uppföljning från den centrala rapporteringen.");
  header(ws, ["Fokusområde", "Aktivitet", `Status ${model.year}`, "Uppföljning"]);
  for (const a of model.cityActivities) {
    const row = ws.addRow([focusAreaShortLabel(a.focusArea), a.activity, a.status ?? "Ingen status", a.followUp ?? ""]);
    row.alignment = { wrapText: true, vertical: "top" };
  }
  [26, 60, 14, 60].forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
}

/** The indicators' definitions, a column each for what Kolada's nyckeltalsinformation gives. */
function addDefinitions(wb: ExcelJS.Workbook, model: ReportModel) {
  const ws = sheet(wb, "Indikatordefinitioner", true);
  title(ws, "Indikatordefinitioner", `Indikatorerna ${model.year}: vad som mäts, källa, hur stadens värde räknas, önskad riktning, minsta grupp som visas och år.`);
  header(ws, [...DEFINITION_HEADINGS]);
  for (const d of indicatorDefinitions(model.yc)) {
    const row = ws.addRow([d.id, d.focusArea, d.title, d.measured, d.source, d.method, d.direction, d.smallestGroup, d.years]);
    row.alignment = { wrapText: true, vertical: "top" };
  }
  [24, 22, 50, 36, 30, 30, 30, 24, 10].forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  ws.views = [{ state: "frozen", ySplit: 4 }];
}

/**
 * Made-up example data, a preview: every tab says so in its printed header, and on its first
 * rows (the subtitle in row 2) as you scroll.
 */
function markNotice(wb: ExcelJS.Workbook, model: ReportModel) {
  if (model.exampleData) wb.keywords = EXAMPLE_KEYWORD;
  const mark = [model.preview ? "FÖRHANDSVISNING – utkast med, inte underlag" : "", model.exampleData ? "EXEMPELDATA – påhittade uppgifter, inte underlag" : ""].filter(Boolean).join(" · ");
  for (const ws of wb.worksheets) ws.headerFooter.oddHeader = `&C&"-,Bold"&KC00000${mark}`;
  // The first tab's subtitle (row 2) starts with the whole notice.
  const cell = wb.worksheets[0]?.getCell("A2");
  if (cell) {
    cell.value = `${reportNotice(model)} ${String(cell.value ?? "")}`.trim();
    cell.font = { bold: true, color: { argb: "FFC00000" } };
  }
  if (!model.preview) return;
  // A preview: every tab's title says so (the Data tab, a table from row 1, marks each draft row).
  for (const ws of wb.worksheets) {
    if (ws.name === DATA_TAB) continue;
    const title = ws.getCell("A1");
    title.value = `${PREVIEW_NOTICE}: ${String(title.value ?? "")}`;
  }
}

function addLegend(wb: ExcelJS.Workbook, model: ReportModel) {
  const ws = sheet(wb, "Teckenförklaring");
  title(ws, "Teckenförklaring");
  header(ws, ["Tecken", "Betydelse"]);
  for (const entry of legend(model.definition, model.preview)) ws.addRow([entry.symbol, entry.meaning]);
  ws.addRow([]);
  header(ws, ["Stadens värde", "Hur det räknas"]);
  for (const [, text] of Object.entries(FIGURE_KINDS)) ws.addRow(["", text]);
  ws.addRow([]);
  for (const note of legendNotes(model).slice(Object.keys(FIGURE_KINDS).length)) {
    ws.addRow(["Regler", note]).alignment = { wrapText: true, vertical: "top" };
  }
  ws.addRow(["Små grupper", `En uppgift visas inte när gruppen är mindre än indikatorns gräns (till exempel ${model.yc.indicators.find((i) => i.minGroupSize)?.minGroupSize ?? 5} svarande), och inte heller när den skulle kunna räknas fram ur totalen och övriga uppgifter.`]).alignment = { wrapText: true, vertical: "top" };
  ws.getColumn(1).width = 16;
  ws.getColumn(2).width = 90;
}
