/**
 * The Google Sheets adapter of the reader: the whole spreadsheet in one spreadsheets.get, as
 * the same WorkbookGrid the .xlsx adapter gives, so the findings are the same, with the same
 * codes and A1 cells. The "Valideringsstatus" tab says when each tab was first seen filled in.
 */
import { createHash } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import type { ValidationResult } from "../model/records.js";
import { HpError } from "../shared/errors.js";
import type { AnnotateContext, LoadedWorkbook, SubmissionSource } from "../submission/source.js";
import { finding } from "../model/findings.js";
import { readMeta } from "../submission/read-submission.js";
import { a1, type CellValue, type GridCell, MapSheetGrid, serialToDate, type WorkbookGrid } from "../workbook/grid.js";
import type { GoogleClients } from "./clients.js";
import { describeGoogleError } from "./errors.js";
import { callOptions } from "./retry.js";
import type { StatusMemory } from "./status-tab.js";
import { buildWriteBack, lockedTabs, statusMemory, writeBack } from "./write-back.js";

/**
 * Everything the check needs in one read: values and number formats to validate; notes, fills
 * and protections to put the findings back and lock approved tabs; the status tab's memory.
 */
export const READ_FIELDS =
  "spreadsheetId,properties(title),sheets(properties(sheetId,title,hidden,gridProperties(rowCount,columnCount)),merges,protectedRanges(protectedRangeId,description,range,editors),data(startRow,startColumn,rowData(values(effectiveValue,userEnteredValue,effectiveFormat(numberFormat),userEnteredFormat(backgroundColorStyle),note))))";

export class GoogleSheetsSource implements SubmissionSource {
  /** The spreadsheet as read, its grid and the status tab's memory, kept for the write-back that follows. */
  read: ({ spreadsheet: sheets_v4.Schema$Spreadsheet } & ReadSpreadsheet) | undefined;

  constructor(
    private readonly clients: GoogleClients,
    readonly spreadsheetId: string,
    /** The status tab's title (the template definition's sheets.status). */
    private readonly statusSheet: string,
    /** The clock: a tab first seen marked ready is ready from the time of this read. */
    private readonly clock: () => Date = () => new Date(),
    /** The year the run is for, and the identity tab that says the spreadsheet's year. */
    private readonly expected?: { year: number; metaSheet: string },
  ) {}

  describe(): string {
    return `Google-kalkylarket ${this.spreadsheetId}`;
  }

  async load(): Promise<LoadedWorkbook[]> {
    let response: { data: sheets_v4.Schema$Spreadsheet };
    try {
      response = await this.clients.sheets.spreadsheets.get(
        { spreadsheetId: this.spreadsheetId, includeGridData: true, fields: READ_FIELDS },
        callOptions(this.clients.retry, true),
      );
    } catch (error) {
      const file = `Google-kalkylark ${this.spreadsheetId}`;
      return [{ file, problem: finding("FILE_NOT_FOUND", { file }, `Kalkylarket kunde inte läsas: ${describeGoogleError(error)}`) }];
    }
    const read = spreadsheetToGrid(response.data, this.statusSheet, this.clock());
    const { grid } = read;
    // A deployment names one spreadsheet; a year opened since then is not in it. Its rules are
    // never applied to last year's spreadsheet, and nothing is written into it for that year.
    const meta = this.expected && grid.sheets.find((s) => s.name === this.expected!.metaSheet);
    const sheetYear = meta ? readMeta(meta)?.year : undefined;
    if (this.expected && sheetYear !== undefined && sheetYear !== this.expected.year) {
      const { year } = this.expected;
      throw new HpError(
        "usage",
        `Kalkylarket ${this.spreadsheetId} är mallen för ${sheetYear}, men körningen gäller ${year}. Inget har lästs in eller skrivits. ` +
          `Öppna ${year} med hp year open ${year}, som skapar och registrerar årets kalkylark, eller sätt HP_YEAR=${sheetYear} så länge ${sheetYear} ska kontrolleras.`,
      );
    }
    this.read = { spreadsheet: response.data, ...read };
    const sha256 = createHash("sha256").update(JSON.stringify(response.data.sheets ?? [])).digest("hex");
    return [{ file: grid.file, grid, sha256 }];
  }

  /** Writes the findings into the Kontroll cells and the status tab, in one request. */
  async annotate(result: ValidationResult, { yc, definition, history, now, imported }: AnnotateContext): Promise<void> {
    if (!this.read) {
      // The spreadsheet could not be read; the finding says why, and the run must fail loudly.
      throw new HpError("google", result.findings[0]?.message ?? "Kalkylarket kunde inte läsas.");
    }
    const requests = buildWriteBack({
      ...this.read,
      result,
      yc,
      definition,
      history,
      now,
      ...(imported ? { imported } : {}),
    });
    await writeBack(this.clients, this.spreadsheetId, requests);
  }
}

/** The spreadsheet as the reader sees it, and what its status tab and locks say. */
export interface ReadSpreadsheet {
  grid: WorkbookGrid;
  memory: StatusMemory;
  /** The protected ranges locking approved tabs, by tab title. */
  locked: Map<string, number[]>;
}

export function spreadsheetToGrid(spreadsheet: sheets_v4.Schema$Spreadsheet, statusSheet: string, readAt = new Date()): ReadSpreadsheet {
  const title = spreadsheet.properties?.title ?? spreadsheet.spreadsheetId ?? "Google-kalkylark";
  const sheets = (spreadsheet.sheets ?? []).map((s) => {
    const merges = (s.merges ?? []).map(
      (m) => `${a1((m.startRowIndex ?? 0) + 1, (m.startColumnIndex ?? 0) + 1)}:${a1(m.endRowIndex ?? 1, m.endColumnIndex ?? 1)}`,
    );
    const grid = new MapSheetGrid(s.properties?.title ?? "", s.properties?.hidden ? "hidden" : "visible", merges);
    for (const data of s.data ?? []) {
      (data.rowData ?? []).forEach((row, r) => {
        (row.values ?? []).forEach((cell, c) => {
          const gridCell = toGridCell(cell);
          if (gridCell) grid.set((data.startRow ?? 0) + r + 1, (data.startColumn ?? 0) + c + 1, gridCell);
        });
      });
    }
    return grid;
  });
  const id = spreadsheet.spreadsheetId;
  const tabLinks = new Map(
    id ? (spreadsheet.sheets ?? []).flatMap((s) => (s.properties?.title && s.properties.sheetId != null ? [[s.properties.title, `https://docs.google.com/spreadsheets/d/${encodeURIComponent(id)}/edit#gid=${s.properties.sheetId}`] as const] : [])) : [],
  );
  const grid: WorkbookGrid = { file: title, sheets, tabLinks };
  const memory = statusMemory(spreadsheet, grid, statusSheet);
  const locked = lockedTabs(spreadsheet);
  const first = new Map<string, Date>();
  for (const [name, unit] of memory.units) if (unit.readySeen) first.set(name, unit.readySeen);
  grid.readySeen = { first, readAt };
  grid.approvedTabs = new Set(locked.keys());
  return { grid, memory, locked };
}

function toGridCell(cell: sheets_v4.Schema$CellData): GridCell | undefined {
  const v = cell.effectiveValue;
  const formula = cell.userEnteredValue?.formulaValue !== undefined && cell.userEnteredValue?.formulaValue !== null;
  const format = cell.effectiveFormat?.numberFormat;
  let value: CellValue = null;
  if (v?.errorValue) value = { error: v.errorValue.type === "DIVIDE_BY_ZERO" ? "#DIV/0!" : `#${v.errorValue.type ?? "ERROR"}` };
  else if (v?.numberValue !== undefined && v.numberValue !== null) {
    value = format?.type === "DATE" || format?.type === "DATE_TIME" ? serialToDate(v.numberValue) : v.numberValue;
  } else if (v?.stringValue !== undefined && v.stringValue !== null) value = v.stringValue;
  else if (v?.boolValue !== undefined && v.boolValue !== null) value = v.boolValue;
  if (value === null && !formula) return undefined;
  const numFmt = format?.type === "PERCENT" ? (format.pattern ?? "0%") : (format?.pattern ?? undefined);
  return { value, numFmt, ...(formula ? { formula } : {}) };
}
