/**
 * Findings back where the districts work, in one spreadsheets.batchUpdate:
 * - the cell to fix gets the error or warning fill and a note with the message and the hint;
 *   cells marked by an earlier run that are right now get their template look and note back;
 * - the "Kontroll" cell of each row with a finding gets a short text, stale ones are cleared;
 * - the status tab gets a row per unit, the approvals and every finding with a link;
 * - a unit the project leader ticked in Godkänn and that is ready without errors is locked
 *   (a protected range on its tab); a unit unticked again is opened, and both are logged.
 * Input values are never touched. Every request sets fixed values, so the batch is safe to
 * repeat, and a batchUpdate is applied all or nothing.
 */
import { createHash } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { admission, reportingSentence } from "../aggregate/admission.js";
import type { History } from "../history/history.js";
import type { Finding } from "../model/findings.js";
import type { ValidationResult } from "../model/records.js";
import { formatStockholmTime } from "../shared/format-sv.js";
import { groupBy } from "../shared/group-by.js";
import type { TemplateDefinition } from "../template/definition.js";
import { expectedReporters, reporterName } from "../template/layout.js";
import { COLOURS, type LayoutCell, templateLayout } from "../template/template-layout.js";
import { EARLIER_MARK_COLOURS, type ImportedCell, importedKey } from "../template/layout-model.js";
import { checkCellFor, checkSections, findingNote, rowCheckText, rowNote, rowOf } from "../validate/finding-text.js";
import { a1, colOf, type SheetGrid, type WorkbookGrid } from "../workbook/grid.js";
import type { GoogleClients } from "./clients.js";
import { inBatches } from "./batches.js";
import { callOptions } from "./retry.js";
import { rgb, updateCells } from "./write-template-sheets.js";
import { readStatusTab, type StatusMemory, statusRequests, type UnitStatus } from "./status-tab.js";

/** The description of the protected range that locks an approved unit's tab. */
export const LOCK_PREFIX = "Godkänd och låst: ";

export interface WriteBackInput {
  spreadsheet: sheets_v4.Schema$Spreadsheet;
  grid: WorkbookGrid;
  /** The status tab and the approval locks as read (sheets-source.ts), not read again here. */
  memory: StatusMemory;
  locked: Map<string, number[]>;
  result: ValidationResult;
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  now: Date;
  /** The year's imported values: each row of an imported indicator says so in its Kontroll cell. */
  imported?: ReadonlyMap<string, ImportedCell>;
}

type Raw = sheets_v4.Schema$Sheet;

/** The cell as the spreadsheet holds it (with its note and fill), 1-based. */
function rawCell(sheet: Raw | undefined, row: number, col: number): sheets_v4.Schema$CellData | undefined {
  for (const data of sheet?.data ?? []) {
    const r = row - 1 - (data.startRow ?? 0);
    const c = col - 1 - (data.startColumn ?? 0);
    const cell = data.rowData?.[r]?.values?.[c];
    if (cell) return cell;
  }
  return undefined;
}

export function statusMemory(spreadsheet: sheets_v4.Schema$Spreadsheet, grid: WorkbookGrid, statusTitle: string): StatusMemory {
  const raw = spreadsheet.sheets?.find((s) => s.properties?.title === statusTitle);
  return readStatusTab(
    grid.sheets.find((s) => s.name === statusTitle),
    (row, col) => rawCell(raw, row, col)?.note ?? undefined,
  );
}

/** The tabs locked by an approval, by title. */
export function lockedTabs(spreadsheet: sheets_v4.Schema$Spreadsheet): Map<string, number[]> {
  const locked = new Map<string, number[]>();
  for (const sheet of spreadsheet.sheets ?? []) {
    const title = sheet.properties?.title ?? "";
    for (const p of sheet.protectedRanges ?? []) {
      // More than one, if a retried write added the lock twice: an opening removes them all.
      if (p.description?.startsWith(LOCK_PREFIX) && p.protectedRangeId != null) locked.set(title, [...(locked.get(title) ?? []), p.protectedRangeId]);
    }
  }
  return locked;
}

const sameColour = (a: sheets_v4.Schema$Color | undefined, hex: string) => {
  const b = rgb(hex);
  const near = (x: number | null | undefined, y: number | null | undefined) => Math.abs((x ?? 0) - (y ?? 0)) < 0.01;
  return !!a && near(a.red, b.red) && near(a.green, b.green) && near(a.blue, b.blue);
};

export function buildWriteBack(input: WriteBackInput): sheets_v4.Schema$Request[] {
  const { spreadsheet, grid, definition, yc, result } = input;
  const raws = new Map((spreadsheet.sheets ?? []).map((s) => [s.properties?.title ?? "", s]));
  const sheetIds = new Map([...raws].map(([title, s]) => [title, s.properties?.sheetId ?? 0]));
  const layout = new Map(templateLayout({ yc, definition, history: input.history }).sheets.map((s) => [s.title, s]));
  const requests: sheets_v4.Schema$Request[] = [];
  const reporters = expectedReporters(yc).map((id) => ({ id, name: reporterName(yc, definition, id) }));
  const findings = result.findings.filter((f) => f.file === grid.file);
  const bySheet = groupBy(
    findings.filter((f) => f.sheet && f.cell),
    (f) => f.sheet!,
  );
  const one = (sheetId: number, row: number, col: number, cell: sheets_v4.Schema$CellData, fields: string) =>
    requests.push(updateCells(sheetId, row, col, [[cell]], fields));

  for (const sheet of grid.sheets.filter((s) => reporters.some((r) => r.name === s.name))) {
    const sheetId = sheetIds.get(sheet.name);
    if (sheetId === undefined) continue;
    const own = bySheet.get(sheet.name) ?? [];
    clearChecks(sheet, sheetId, definition, requests);
    const sections = checkSections(sheet, definition);
    for (const [row, list] of groupBy(own, (f) => rowOf(f.cell!))) {
      const check = checkCellFor(sections, row);
      if (check) one(sheetId, row, check.col, { userEnteredValue: { stringValue: rowCheckText(list) }, note: rowNote(list) }, "userEnteredValue,note");
    }
    // An imported indicator's row: the imported figure and its import, and that the typed one is not used.
    for (const r of result.importedRows.filter((x) => x.file === grid.file && x.sheet === sheet.name)) {
      const cell = input.imported?.get(importedKey(r.unit, r.indicator, r.breakdown));
      const check = checkCellFor(sections, r.row);
      if (!cell || !check) continue;
      one(sheetId, r.row, check.col, { userEnteredValue: { stringValue: `Importerat: ${cell.shown}. Det som skrivs här används inte.` }, note: cell.note }, "userEnteredValue,note");
    }
    // The cells to fix, and the cells an earlier run marked that are right now.
    const template = layout.get(sheet.name);
    const templateCell = (row: number, col: number): LayoutCell | undefined => template?.rows[row - 1]?.cells[col - 1];
    const marks = groupBy(own, (f) => f.cell!);
    const raw = raws.get(sheet.name);
    for (const [address, list] of marks) {
      const row = rowOf(address);
      const col = colOf(address);
      const error = list.some((f) => f.severity === "error");
      const before = templateCell(row, col)?.note;
      one(
        sheetId,
        row,
        col,
        {
          userEnteredFormat: { backgroundColorStyle: { rgbColor: rgb(error ? COLOURS.error : COLOURS.warning) } },
          note: [before, findingNote(list)].filter(Boolean).join("\n\n"),
        },
        "userEnteredFormat.backgroundColorStyle,note",
      );
    }
    for (const data of raw?.data ?? []) {
      (data.rowData ?? []).forEach((rowData, r) => {
        (rowData.values ?? []).forEach((cell, c) => {
          const colour = cell.userEnteredFormat?.backgroundColorStyle?.rgbColor ?? undefined;
          if (![COLOURS.error, COLOURS.warning, ...EARLIER_MARK_COLOURS].some((c) => sameColour(colour, c))) return;
          const row = (data.startRow ?? 0) + r + 1;
          const col = (data.startColumn ?? 0) + c + 1;
          if (marks.has(a1(row, col))) return;
          const look = templateCell(row, col);
          const fill = look?.input ? COLOURS.input : look?.header ? COLOURS.header : undefined;
          one(
            sheetId,
            row,
            col,
            {
              userEnteredFormat: fill ? { backgroundColorStyle: { rgbColor: rgb(fill) } } : {},
              ...(look?.note ? { note: look.note } : {}),
            },
            "userEnteredFormat.backgroundColorStyle,note",
          );
        });
      });
    }
  }

  const statusId = sheetIds.get(definition.sheets.status);
  if (statusId !== undefined) requests.push(...statusAndApprovals(input, statusId, sheetIds, reporters, findings));
  return requests;
}

/** The Kontroll column of every section emptied (text and note); rows with findings are written after. */
function clearChecks(sheet: SheetGrid, sheetId: number, definition: TemplateDefinition, requests: sheets_v4.Schema$Request[]) {
  const sections = checkSections(sheet, definition);
  sections.forEach((section, i) => {
    const end = sections[i + 1]?.header ?? Math.max(sheet.rowCount + 1, section.header + 2);
    const rows = end - section.header - 1;
    if (rows > 0) requests.push(updateCells(sheetId, section.header + 1, section.col, Array.from({ length: rows }, () => [{}]), "userEnteredValue,note"));
  });
}

function statusAndApprovals(
  input: WriteBackInput,
  statusId: number,
  sheetIds: Map<string, number>,
  reporters: { id: string; name: string }[],
  findings: Finding[],
): sheets_v4.Schema$Request[] {
  const { spreadsheet, grid, definition, yc, now, result, memory, locked } = input;
  const leaders = wholeTabEditors(spreadsheet);
  const requests: sheets_v4.Schema$Request[] = [];
  const events = [...memory.events];
  const untick: number[] = [];
  const approved = new Set<string>();
  const submissions = result.submissions.filter((s) => s.file === grid.file);
  const rate = admission(yc, submissions);
  const link = (title: string, range?: string) => {
    const id = sheetIds.get(title);
    if (id === undefined || !spreadsheet.spreadsheetId) return undefined;
    return `https://docs.google.com/spreadsheets/d/${spreadsheet.spreadsheetId}/edit#gid=${id}${range ? `&range=${range}` : ""}`;
  };
  const units: UnitStatus[] = reporters.map((r) => {
    const mem = memory.units.get(r.name);
    const unit = rate.units.find((u) => u.reporter === r.id)!;
    const sheet = grid.sheets.find((s) => s.name === r.name);
    const hash = sheet ? tabHash(sheet, definition) : undefined;
    // When the run first saw the tab's content as it is; nothing typed yet, no change to tell.
    const changedAt = !unit.started || !hash ? undefined : mem?.hash === hash ? (mem.changedAt ?? now) : now;
    const when = formatStockholmTime(now);
    let approvedAt = mem?.approvedAt;
    let isApproved = locked.has(r.name);
    if (mem?.approveTicked && !isApproved) {
      const refusal = !unit.received
        ? unit.started
          ? "enheten är inte markerad klar utan fel"
          : "enheten har inte lämnat in"
        : !mem.approvedBy
          ? "skriv ditt namn i Godkänd av"
          : undefined;
      if (refusal) {
        untick.push(mem.row);
        events.push([when, r.name, `kunde inte godkännas: ${refusal}`, mem.approvedBy ?? "", ""]);
      } else if (sheetIds.has(r.name)) {
        requests.push({
          addProtectedRange: {
            protectedRange: { range: { sheetId: sheetIds.get(r.name)! }, description: `${LOCK_PREFIX}${r.name}`, editors: { users: leaders } },
          },
        });
        events.push([when, r.name, "godkänd och låst", mem.approvedBy!, ""]);
        isApproved = true;
        approvedAt = now;
      }
    } else if (!mem?.approveTicked && isApproved) {
      for (const protectedRangeId of locked.get(r.name)!) requests.push({ deleteProtectedRange: { protectedRangeId } });
      events.push([when, r.name, "öppnad igen", mem?.approvedBy ?? "", mem?.reason ?? "ingen orsak angiven"]);
      isApproved = false;
      approvedAt = undefined;
    }
    if (isApproved) approved.add(r.id);
    const own = findings.filter((f) => f.sheet === r.name);
    const unconfirmed = result.observations.filter((o) => o.unconfirmed && o.source.file === grid.file && o.source.sheet === r.name).length;
    return {
      name: r.name,
      state: isApproved ? "godkänd" : unit.state,
      readySeen: unit.submittedAt ? new Date(unit.submittedAt) : undefined,
      onTime: unit.received || isApproved ? unit.onTime : undefined,
      errors: own.filter((f) => f.severity === "error").length,
      warnings: own.filter((f) => f.severity === "warning").length,
      unconfirmed,
      changedAt,
      hash,
      approvedAt: isApproved ? approvedAt : undefined,
      link: link(r.name),
    };
  });
  const statusSheet = spreadsheet.sheets?.find((s) => s.properties?.sheetId === statusId);
  const summaryRate = admission(yc, submissions, { approved });
  requests.push(
    ...statusRequests({
      sheetId: statusId,
      rowCount: grid.sheets.find((s) => s.name === definition.sheets.status)?.rowCount ?? 0,
      gridRows: statusSheet?.properties?.gridProperties?.rowCount ?? 1000,
      deadline: yc.deadline,
      now,
      summary: reportingSentence(summaryRate),
      units,
      untick,
      events,
      findings,
      cellLink: (f) => (f.sheet ? link(f.sheet, f.cell ?? undefined) : undefined),
    }),
  );
  return requests;
}

/** The editors of a tab's whole-tab protection from the template: the project leaders. */
function wholeTabEditors(spreadsheet: sheets_v4.Schema$Spreadsheet): string[] {
  for (const sheet of spreadsheet.sheets ?? []) {
    for (const p of sheet.protectedRanges ?? []) {
      const whole = p.range && p.range.startRowIndex == null && p.range.startColumnIndex == null;
      if (whole && !p.description?.startsWith(LOCK_PREFIX) && p.editors?.users) return [...p.editors.users];
    }
  }
  return [];
}

/** What a tab holds, apart from the Kontroll columns the run writes itself. */
function tabHash(sheet: SheetGrid, definition: TemplateDefinition): string {
  const sections = checkSections(sheet, definition);
  const hash = createHash("sha256");
  for (let r = 1; r <= sheet.rowCount; r++) {
    const check = checkCellFor(sections, r);
    for (let c = 1; c <= sheet.columnCount; c++) {
      if (check?.col === c) continue;
      const value = sheet.cell(r, c)?.value;
      if (value !== undefined && value !== null) hash.update(`${r},${c}=${JSON.stringify(value)}\n`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * Sends the write-back: one batchUpdate when it is under 1 MB (as it is for a city's tabs), else
 * in ordered batches under it. Each sets fixed values only, so each is safe to repeat and is
 * retried on transient errors; if a later batch still fails, the next run writes it all again.
 */
export async function writeBack(clients: GoogleClients, spreadsheetId: string, requests: sheets_v4.Schema$Request[]): Promise<void> {
  for (const batch of requests.length === 0 ? [] : inBatches(requests)) {
    await clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: batch } }, callOptions(clients.retry, true));
  }
}
