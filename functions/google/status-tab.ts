/**
 * The status tab, read and written. Read: when each tab was first seen marked ready, when its
 * content last changed, and the project leader's approvals. Written: one row per unit (state,
 * ready, on time, counts, last change), the approvals and reopenings as events, and every
 * finding of the run with a link to its cell or tab. Times are Swedish time, "2026-02-10 08:30".
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { daysLeft } from "../aggregate/admission.js";
import type { Finding } from "../model/findings.js";
import { formatLongDate, formatStockholmTime } from "../shared/format-sv.js";
import {
  EVENT_HEADERS,
  EVENTS_HEADING,
  FINDING_HEADERS,
  FINDINGS_HEADING,
  RUN_COLUMNS,
  STATUS_HEADERS,
  STATUS_ROWS,
  type StatusColumn,
  statusColumn,
} from "../template/status-layout.js";
import { cellText, type SheetGrid } from "../workbook/grid.js";
import { updateCells } from "./write-template-sheets.js";

/** What the status tab remembers about one unit's tab between runs. */
export interface UnitMemory {
  row: number;
  readySeen?: Date | undefined;
  changedAt?: Date | undefined;
  hash?: string | undefined;
  approvedAt?: Date | undefined;
  /** The project leader's columns. */
  approveTicked: boolean;
  approvedBy?: string | undefined;
  reason?: string | undefined;
}

export interface StatusMemory {
  units: Map<string, UnitMemory>;
  /** Earlier events, as their rows of text. */
  events: string[][];
}

/** "2026-02-10 08:30" in Stockholm as an instant; undefined for anything else. */
export function parseStockholmTime(text: string | undefined): Date | undefined {
  const m = text ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text.trim()) : null;
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Stockholm is UTC+1 or +2: take the offset that formats back to the same wall time.
  for (const offset of [1, 2]) {
    const instant = new Date(wall - offset * 3_600_000);
    if (formatStockholmTime(instant) === text!.trim()) return instant;
  }
  return undefined;
}

/** Reads the status tab; hashes are in the note of each unit's "Senast ändrad" cell. */
export function readStatusTab(sheet: SheetGrid | undefined, note: (row: number, col: number) => string | undefined): StatusMemory {
  const memory: StatusMemory = { units: new Map(), events: [] };
  if (!sheet) return memory;
  const text = (r: number, name: StatusColumn) => cellText(sheet.cell(r, statusColumn(name)));
  let r = STATUS_ROWS.header + 1;
  for (; r <= sheet.rowCount; r++) {
    const name = text(r, "Enhet");
    if (!name || name === EVENTS_HEADING || name === FINDINGS_HEADING) break;
    memory.units.set(name, {
      row: r,
      readySeen: parseStockholmTime(text(r, "Klar markerad")),
      changedAt: parseStockholmTime(text(r, "Senast ändrad")),
      hash: /kontrollsumma ([0-9a-f]+)/.exec(note(r, statusColumn("Senast ändrad")) ?? "")?.[1],
      approvedAt: parseStockholmTime(text(r, "Godkänd den")),
      approveTicked: sheet.cell(r, statusColumn("Godkänn"))?.value === true,
      approvedBy: text(r, "Godkänd av"),
      reason: text(r, "Orsak om enheten öppnas igen"),
    });
  }
  for (; r <= sheet.rowCount; r++) if (cellText(sheet.cell(r, 1)) === EVENTS_HEADING) break;
  for (r += 2; r <= sheet.rowCount; r++) {
    const row = EVENT_HEADERS.map((_, c) => cellText(sheet.cell(r, c + 1)) ?? "");
    if (row.every((t) => t === "")) break;
    memory.events.push(row);
  }
  return memory;
}

/** One unit's row as the run writes it (the columns up to Godkänd den). */
export interface UnitStatus {
  name: string;
  state: string;
  readySeen: Date | undefined;
  onTime: boolean | undefined;
  errors: number;
  warnings: number;
  unconfirmed: number;
  changedAt: Date | undefined;
  hash: string | undefined;
  approvedAt: Date | undefined;
  /** Link to the unit's tab. */
  link: string | undefined;
}

export interface StatusWrite {
  sheetId: number;
  /** Rows the tab has now (grid rows), to clear what the last run wrote below. */
  rowCount: number;
  gridRows: number;
  deadline: string;
  now: Date;
  summary: string;
  units: UnitStatus[];
  /** Unticks of the Godkänn box, for approvals that could not be made. */
  untick: number[];
  events: string[][];
  findings: readonly Finding[];
  cellLink: (f: Finding) => string | undefined;
}

const str = (value: string): sheets_v4.Schema$CellData => ({ userEnteredValue: { stringValue: value } });
const num = (value: number): sheets_v4.Schema$CellData => ({ userEnteredValue: { numberValue: value } });
const linked = (value: string, uri: string | undefined): sheets_v4.Schema$CellData =>
  uri ? { ...str(value), userEnteredFormat: { textFormat: { link: { uri } } } } : { ...str(value), userEnteredFormat: {} };
const bold = (value: string): sheets_v4.Schema$CellData => ({ ...str(value), userEnteredFormat: { textFormat: { bold: true } } });
const time = (date: Date | undefined) => (date ? str(formatStockholmTime(date)) : {});

export function statusRequests(w: StatusWrite): sheets_v4.Schema$Request[] {
  const left = daysLeft(w.deadline, w.now);
  const deadline = `Sista dag för inlämning: ${formatLongDate(w.deadline)} (${
    left > 1 ? `${left} dagar kvar` : left === 1 ? "1 dag kvar" : left === 0 ? "i dag" : "passerad"
  })`;
  const requests: sheets_v4.Schema$Request[] = [];
  const cells = (row: number, col: number, rows: sheets_v4.Schema$CellData[][], fields: string, width: number) => {
    if (rows.length > 0) requests.push(updateCells(w.sheetId, row, col, rows, fields, width));
  };
  const head = [[bold(deadline)], [str(`Senast kontrollerad ${formatStockholmTime(w.now)}.`)], [str(w.summary)]];
  cells(STATUS_ROWS.deadline, 1, head, "userEnteredValue", 1);
  const unitRows = w.units.map((u) => {
    const row: Record<string, sheets_v4.Schema$CellData> = {
      Enhet: linked(u.name, u.link),
      Läge: str(u.state),
      "Klar markerad": time(u.readySeen),
      "I tid": u.onTime === undefined ? {} : str(u.onTime ? "Ja" : "Nej"),
      Fel: num(u.errors),
      Varningar: num(u.warnings),
      "Obekräftade värden": num(u.unconfirmed),
      "Senast ändrad": { ...time(u.changedAt), ...(u.hash ? { note: `kontrollsumma ${u.hash}` } : {}) },
      "Godkänd den": time(u.approvedAt),
    };
    return STATUS_HEADERS.slice(0, RUN_COLUMNS).map((h) => row[h] ?? {});
  });
  cells(STATUS_ROWS.header + 1, 1, unitRows, "userEnteredValue,userEnteredFormat.textFormat.link,note", RUN_COLUMNS);
  for (const row of w.untick) {
    cells(row, statusColumn("Godkänn"), [[{ userEnteredValue: { boolValue: false } }]], "userEnteredValue", 1);
  }

  // Below the table: the events, then every finding; the rest of what the last run wrote is cleared.
  const tail: sheets_v4.Schema$CellData[][] = [
    [],
    [bold(EVENTS_HEADING)],
    EVENT_HEADERS.map(bold),
    ...(w.events.length > 0 ? w.events.map((e) => e.map(str)) : [[str("Inga godkännanden ännu.")]]),
    [],
    [bold(`${FINDINGS_HEADING} (${w.findings.length})`)],
    FINDING_HEADERS.map(bold),
    ...w.findings.map((f) => [
      str(f.sheet ?? f.file),
      linked(f.cell ?? (f.sheet ? "fliken" : "–"), w.cellLink(f)),
      str(f.severity === "error" ? "Fel" : "Varning"),
      str(f.message),
      str(f.hint ?? ""),
    ]),
  ];
  const start = STATUS_ROWS.header + 1 + w.units.length;
  const width = Math.max(EVENT_HEADERS.length, FINDING_HEADERS.length);
  const end = Math.max(w.rowCount, start + tail.length - 1);
  if (end > w.gridRows) requests.push({ appendDimension: { sheetId: w.sheetId, dimension: "ROWS", length: end - w.gridRows } });
  const padded = Array.from({ length: end - start + 1 }, (_, i) => {
    const row = tail[i] ?? [];
    return Array.from({ length: width }, (_, c) => row[c] ?? {});
  });
  cells(start, 1, padded, "userEnteredValue,userEnteredFormat.textFormat", width);
  return requests;
}
