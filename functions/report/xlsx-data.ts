/**
 * The Excel report's Data tab, for pivot tables: every published figure (report/figures.ts) as
 * the tables show it, with its status, coverage and marks; a reporter's comment only beside a
 * value that is shown.
 */
import type ExcelJS from "exceljs";
import { focusAreaOf } from "../catalogue/catalogue-for-year.js";
import { isShare } from "../catalogue/figure.js";
import type { Indicator } from "../catalogue/schema.js";
import type { Observation } from "../model/records.js";
import { sortSv } from "../shared/format-sv.js";
import { FIGURE_STATUS_TEXT, type PublishedFigure } from "./figures.js";
import { FIGURE_KINDS, MARKS, missingReasonText } from "./legend.js";
import type { ReportModel } from "./report-model.js";
import { COUNT_FORMAT, HEADER_FILL, sheet } from "./xlsx-style.js";

export const DATA_TAB = "Data";

/** The Data tab, for pivot tables: every published figure, as the tables show it (report/figures.ts). */
export function addData(wb: ExcelJS.Workbook, { model, observations }: { model: ReportModel; observations: Observation[] }) {
  const ws = sheet(wb, DATA_TAB, true);
  const columns = [
    ["År", 8],
    ["Enhets-id", 22],
    ["Enhet", 24],
    ["Indikator-id", 28],
    ["Indikator", 40],
    ["Fokusområde", 22],
    ["Kön", 6],
    ["Uppdelning", 20],
    ["Värde", 10],
    ["Visas som", 12],
    ["Mått", 10],
    ["Status", 16],
    ["Täljare", 10],
    ["Nämnare", 10],
    ["Antal svarande", 10],
    ["Sammanvägning", 30],
    ["Täckning", 40],
    ["Märkning", 24],
    ["Kommentar", 40],
  ] as const;
  const head = ws.addRow(columns.map(([h]) => h));
  head.font = { bold: true };
  head.eachCell((c) => {
    c.fill = HEADER_FILL;
  });
  columns.forEach(([, w], i) => {
    ws.getColumn(i + 1).width = w;
  });
  ws.views = [{ state: "frozen", ySplit: 1 }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  ws.pageSetup.printTitlesRow = "1:1";

  const { catalogue } = model.yc;
  const indicators = new Map(catalogue.indicators.map((i) => [i.id, i]));
  const comments = new Map(observations.filter((o) => o.comment).map((o) => [`${o.year}|${o.unit}|${o.indicator}|${o.breakdown}`, o.comment!]));
  for (const f of model.figures) {
    const indicator = indicators.get(f.indicator)!;
    const percent = isShare(indicator);
    // A reporter's comment may quote the value: only with a value that is shown.
    const comment = f.value !== null ? (comments.get(`${f.year}|${f.unit}|${f.indicator}|${f.breakdown}`) ?? "") : "";
    const row = ws.addRow([
      f.year,
      f.unit,
      model.unitName(f.unit),
      f.indicator,
      indicator.shortTitle,
      focusAreaOf(catalogue, indicator).shortTitle,
      f.sex,
      f.breakdown,
      f.value ?? f.text,
      f.text,
      indicator.measure === "status" ? "status" : percent ? "procent" : "antal",
      FIGURE_STATUS_TEXT[f.status],
      f.numerator ?? null,
      f.denominator ?? null,
      f.respondents ?? null,
      f.aggregation ? FIGURE_KINDS[f.aggregation] : "",
      coverageText(f, indicator, model),
      f.marks.map((m) => `${MARKS[m].symbol} ${MARKS[m].short}`).join(", "),
      comment,
    ]);
    if (typeof f.value === "number") row.getCell(9).numFmt = percent ? "0.0" : COUNT_FORMAT;
    else row.getCell(9).alignment = { horizontal: "right" };
  }
}

/** "14 av 15 enheter; saknas: Skarpnäck (lämnade in med fel)", or why a unit's value is missing. */
export function coverageText(f: PublishedFigure, indicator: Indicator, model: Pick<ReportModel, "unitName">): string {
  const central = indicator.reportedBy === "central";
  if (f.reason) return missingReasonText(f.reason, central);
  if (!f.units) return "";
  const of = `${f.units.included} av ${f.units.expected} enheter`;
  const lacking = (f.missingUnits ?? []).map((m) => `${model.unitName(m.unit)} (${missingReasonText(m.reason, central)})`);
  const unconfirmed = (f.unconfirmedUnits ?? []).map((u) => model.unitName(u));
  const drafts = (f.draftUnits ?? []).map((u) => model.unitName(u));
  return [
    of,
    lacking.length > 0 ? `saknas: ${sortSv(lacking).join(", ")}` : "",
    unconfirmed.length > 0 ? `obekräftat: ${sortSv(unconfirmed).join(", ")}` : "",
    drafts.length > 0 ? `utkast: ${sortSv(drafts).join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}
