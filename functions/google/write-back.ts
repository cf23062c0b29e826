/**
 * Findings back where the districts work, in one spreadsheets.batchUpdate: the "Kontroll"
 * cell of each row with a finding gets a short text and a note with the messages and hints,
 * stale ones are cleared, and the "Valideringsstatus" tab gets a row per unit. Input cells are
 * never touched. Every request sets cells to fixed values, so the whole batch is safe to
 * repeat, and a batchUpdate is applied all or nothing.
 */
import type { Submission } from "../model/records.js";
import type { sheets_v4 } from "@googleapis/sheets";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { groupBy } from "../shared/group-by.js";
import type { TemplateDefinition } from "../template/definition.js";
import { checkCellFor, checkSections, rowCheckText, rowNote, rowOf } from "../validate/finding-text.js";
import { expectedReporters, reporterName } from "../template/layout.js";
import { STATUS_HEADERS } from "../template/template-layout.js";
import type { Finding } from "../model/findings.js";

import { cellText, type SheetGrid, type WorkbookGrid } from "../workbook/grid.js";
import type { GoogleClients } from "./clients.js";
import { callOptions } from "./retry.js";

/** Reads when each tab was first seen filled in, from the status tab. */
export function readFirstSubmitted(sheet: SheetGrid): Map<string, Date> {
  const first = new Map<string, Date>();
  for (let r = 2; r <= sheet.rowCount; r++) {
    const tab = cellText(sheet.cell(r, STATUS_HEADERS.indexOf("Flik") + 1));
    const when = cellText(sheet.cell(r, STATUS_HEADERS.indexOf("Först ifylld") + 1));
    const date = when ? new Date(when) : undefined;
    if (tab && date && !Number.isNaN(date.getTime())) first.set(tab, date);
  }
  return first;
}

export interface WriteBackInput {
  spreadsheet: sheets_v4.Schema$Spreadsheet;
  grid: WorkbookGrid;
  findings: readonly Finding[];
  submissions: readonly Submission[];
  yc: YearCatalogue;
  definition: TemplateDefinition;
  now: Date;
}

export function buildWriteBack(input: WriteBackInput): sheets_v4.Schema$Request[] {
  const { spreadsheet, grid, definition, yc, now } = input;
  const sheetIds = new Map((spreadsheet.sheets ?? []).map((s) => [s.properties?.title ?? "", s.properties?.sheetId ?? 0]));
  const requests: sheets_v4.Schema$Request[] = [];
  const reporterSheets = new Set(expectedReporters(yc).map((r) => reporterName(yc, definition, r)));
  const bySheet = groupBy(
    input.findings.filter((f) => f.file === grid.file && f.sheet && f.cell),
    (f) => f.sheet!,
  );

  for (const sheet of grid.sheets.filter((s) => reporterSheets.has(s.name))) {
    const sheetId = sheetIds.get(sheet.name);
    if (sheetId === undefined) continue;
    // Each section has a "Kontroll" column under its own header row.
    const sections = checkSections(sheet, definition);
    sections.forEach((section, i) => {
      const end = sections[i + 1]?.header ?? Math.max(sheet.rowCount + 1, section.header + 2);
      const rows = end - section.header - 1;
      if (rows <= 0) return;
      requests.push({
        updateCells: {
          range: { sheetId, startRowIndex: section.header, endRowIndex: end - 1, startColumnIndex: section.col - 1, endColumnIndex: section.col },
          rows: Array.from({ length: rows }, () => ({ values: [{}] })),
          fields: "userEnteredValue,note",
        },
      });
    });
    const findings = bySheet.get(sheet.name) ?? [];
    for (const [row, list] of groupBy(findings, (f) => rowOf(f.cell!))) {
      const check = checkCellFor(sections, row);
      if (!check) continue;
      requests.push({
        updateCells: {
          range: { sheetId, startRowIndex: row - 1, endRowIndex: row, startColumnIndex: check.col - 1, endColumnIndex: check.col },
          rows: [{ values: [{ userEnteredValue: { stringValue: rowCheckText(list) }, note: rowNote(list) }] }],
          fields: "userEnteredValue,note",
        },
      });
    }
  }

  const statusId = sheetIds.get(definition.sheets.status);
  if (statusId !== undefined) {
    const firstSeen = grid.tabSubmitted ?? new Map<string, Date>();
    const reporters = expectedReporters(yc).map((id) => ({ id, name: reporterName(yc, definition, id) }));
    const rows = reporters.map((r) => {
      const own = input.submissions.filter((s) => s.reporter === r.id && s.file === grid.file);
      const received = own.length > 0;
      const errors = input.findings.filter((f) => f.file === grid.file && f.sheet === r.name && f.severity === "error").length;
      const warnings = input.findings.filter((f) => f.file === grid.file && f.sheet === r.name && f.severity === "warning").length;
      const first = firstSeen.get(r.name) ?? (received ? now : undefined);
      const cells: sheets_v4.Schema$CellData[] = [
        { userEnteredValue: { stringValue: r.name } },
        { userEnteredValue: { stringValue: r.name } },
        { userEnteredValue: { stringValue: received ? "Ja" : "Nej" } },
        { userEnteredValue: { numberValue: errors } },
        { userEnteredValue: { numberValue: warnings } },
        { userEnteredValue: { stringValue: now.toISOString() } },
        first ? { userEnteredValue: { stringValue: first.toISOString() } } : {},
      ];
      return { values: cells };
    });
    requests.push({
      updateCells: {
        range: { sheetId: statusId, startRowIndex: 1, endRowIndex: 1 + rows.length, startColumnIndex: 0, endColumnIndex: STATUS_HEADERS.length },
        rows,
        fields: "userEnteredValue",
      },
    });
  }
  return requests;
}

/** Sends the write-back as one batchUpdate; safe to repeat, so it is retried on transient errors. */
export async function writeBack(clients: GoogleClients, spreadsheetId: string, requests: sheets_v4.Schema$Request[]): Promise<void> {
  if (requests.length === 0) return;
  await clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, callOptions(clients.retry, true));
}
