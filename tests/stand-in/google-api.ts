/**
 * A local stand-in for the parts of the Sheets v4 and Drive v3 REST APIs that the pipeline
 * uses, so that the real googleapis client can be tested over HTTP on loopback. It keeps
 * spreadsheets and files in memory, counts requests by route, and can be told to answer with
 * faults (429, 503, Drive's rate-limit 403, slow answers) before answering normally.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { sheets_v4 } from "@googleapis/sheets";
import { OAuth2Client } from "google-auth-library";
import { type GoogleClients, googleClients } from "../../functions/google/clients.js";
import type { RetryPolicy } from "../../functions/google/retry.js";
import { DiscoveryDocument } from "./discovery.js";

const SHEETS = new DiscoveryDocument("sheets-v4");
const DRIVE = new DiscoveryDocument("drive-v3");

export type Route =
  | "sheets.create"
  | "sheets.get"
  | "sheets.batchUpdate"
  | "drive.list"
  | "drive.create"
  | "drive.update"
  | "drive.permission"
  | "drive.move";

export interface Fault {
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  reason?: string;
}

export interface DriveFile {
  id: string;
  name: string;
  parents: string[];
  content: Buffer;
  revisions: number;
  readers: string[];
  trashed?: boolean;
  appProperties?: Record<string, string>;
}

export class GoogleApiStandIn {
  readonly spreadsheets = new Map<string, sheets_v4.Schema$Spreadsheet>();
  readonly files = new Map<string, DriveFile>();
  readonly requests: Route[] = [];
  /** Requests refused because Google would refuse them (against the discovery documents), with Google's message. */
  readonly refusals: string[] = [];
  private readonly faults = new Map<Route, Fault[]>();
  private server: Server | undefined;
  private nextId = 1;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error) => send(res, 500, { error: { message: String(error) } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next requests to `route` get these faults, in order, before normal answers. */
  fail(route: Route, ...faults: Fault[]): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
  }

  count(route: Route): number {
    return this.requests.filter((r) => r === route).length;
  }

  /** Types into a cell as a reporter would (A1 on a tab). */
  type(spreadsheetId: string, tab: string, a1: string, value: string | number | boolean): void {
    const sheet = this.spreadsheets.get(spreadsheetId)!.sheets!.find((s) => s.properties?.title === tab)!;
    const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
    const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const cell = cellAt(sheet, Number(m[2]) - 1, col);
    cell.userEnteredValue =
      typeof value === "number" ? { numberValue: value } : typeof value === "boolean" ? { boolValue: value } : { stringValue: value };
  }

  cell(spreadsheetId: string, tab: string, row: number, col: number): sheets_v4.Schema$CellData | undefined {
    const sheet = this.spreadsheets.get(spreadsheetId)!.sheets!.find((s) => s.properties?.title === tab)!;
    return sheet.data?.[0]?.rowData?.[row]?.values?.[col];
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const body = await readBody(req);
    // First as Google does: the request against the API's own description.
    const api = url.pathname.startsWith("/v4/") ? SHEETS : DRIVE;
    const checked = api.check(req.method ?? "GET", url, body, req.headers["content-type"] ?? "");
    if (!checked.ok) {
      this.refusals.push(checked.message);
      return send(res, checked.status, { error: { code: checked.status, message: checked.message, status: checked.status === 400 ? "INVALID_ARGUMENT" : "NOT_FOUND" } });
    }
    const route = this.route(req.method ?? "GET", url.pathname);
    if (!route) return send(res, 404, { error: { message: `Stand-in: no route for ${req.method} ${url.pathname}` } });
    this.requests.push(route.name);
    const fault = this.faults.get(route.name)?.shift();
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) {
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
      return send(res, fault.status, { error: { code: fault.status, message: "planned fault", errors: fault.reason ? [{ reason: fault.reason }] : [] } }, headers);
    }
    if (res.destroyed) return;
    return route.handle(url, body, res, req.headers["content-type"] ?? "");
  }

  private route(
    method: string,
    path: string,
  ): { name: Route; handle: (url: URL, body: Buffer, res: ServerResponse, type: string) => void } | undefined {
    const routes: [string, RegExp, Route, (m: RegExpExecArray, url: URL, body: Buffer, res: ServerResponse, type: string) => void][] = [
      ["POST", /^\/v4\/spreadsheets$/, "sheets.create", (_, __, b, r) => this.create(b, r)],
      ["GET", /^\/v4\/spreadsheets\/([^/:]+)$/, "sheets.get", (m, __, ___, r) => this.get(m[1]!, r)],
      ["POST", /^\/v4\/spreadsheets\/([^/:]+):batchUpdate$/, "sheets.batchUpdate", (m, _, b, r) => this.batchUpdate(m[1]!, b, r)],
      ["GET", /^\/drive\/v3\/files$/, "drive.list", (_, u, __, r) => this.list(u, r)],
      ["POST", /^\/upload\/drive\/v3\/files$/, "drive.create", (_, __, b, r, t) => this.upload(undefined, b, r, t)],
      ["PATCH", /^\/upload\/drive\/v3\/files\/([^/]+)$/, "drive.update", (m, _, b, r, t) => this.upload(m[1]!, b, r, t)],
      ["POST", /^\/drive\/v3\/files\/([^/]+)\/permissions$/, "drive.permission", (m, _, b, r) => this.permission(m[1]!, b, r)],
      ["PATCH", /^\/drive\/v3\/files\/([^/]+)$/, "drive.move", (m, u, b, r) => this.move(m[1]!, u, b, r)],
    ];
    for (const [verb, pattern, name, handle] of routes) {
      const m = verb === method ? pattern.exec(path) : null;
      if (m) return { name, handle: (url, body, res, type) => handle(m, url, body, res, type) };
    }
    return undefined;
  }

  private create(body: Buffer, res: ServerResponse) {
    const spreadsheet = JSON.parse(body.toString()) as sheets_v4.Schema$Spreadsheet;
    const id = `sheet-${this.nextId++}`;
    spreadsheet.spreadsheetId = id;
    spreadsheet.spreadsheetUrl = `https://docs.google.com/spreadsheets/d/${id}/edit`;
    for (const sheet of spreadsheet.sheets ?? []) {
      // As Sheets: a grid of 1000 rows and 26 columns unless the data needs more, and ids for protections.
      const rows = Math.max(1000, ...(sheet.data ?? []).map((d) => (d.startRow ?? 0) + (d.rowData?.length ?? 0)));
      sheet.properties!.gridProperties = { rowCount: rows, columnCount: 26, ...sheet.properties!.gridProperties };
      for (const p of sheet.protectedRanges ?? []) p.protectedRangeId = this.nextId++;
    }
    this.spreadsheets.set(id, spreadsheet);
    send(res, 200, { spreadsheetId: id, spreadsheetUrl: spreadsheet.spreadsheetUrl });
  }

  /** Answers like Sheets: effective values and formats derived from what was entered. */
  private get(id: string, res: ServerResponse) {
    const spreadsheet = this.spreadsheets.get(id);
    if (!spreadsheet) return send(res, 404, { error: { code: 404, message: "Requested entity was not found." } });
    const copy = structuredClone(spreadsheet);
    for (const sheet of copy.sheets ?? []) {
      for (const data of sheet.data ?? []) {
        for (const row of data.rowData ?? []) {
          for (const cell of row.values ?? []) {
            if (cell.userEnteredValue) cell.effectiveValue = cell.userEnteredValue;
            if (cell.userEnteredFormat) cell.effectiveFormat = cell.userEnteredFormat;
          }
        }
      }
    }
    send(res, 200, copy);
  }

  private batchUpdate(id: string, body: Buffer, res: ServerResponse) {
    const spreadsheet = this.spreadsheets.get(id);
    if (!spreadsheet) return send(res, 404, { error: { code: 404, message: "Requested entity was not found." } });
    const { requests } = JSON.parse(body.toString()) as sheets_v4.Schema$BatchUpdateSpreadsheetRequest;
    // All or nothing, as Sheets does: validate first, then apply to a copy and swap.
    const next = structuredClone(spreadsheet);
    const refuse = (message: string) => send(res, 400, { error: { code: 400, status: "INVALID_ARGUMENT", message } });
    const replies: sheets_v4.Schema$Response[] = [];
    for (const [i, request] of (requests ?? []).entries()) {
      const kinds = Object.keys(request);
      if (kinds.length !== 1) return refuse(`Invalid requests[${i}]: exactly one kind of request is allowed, not ${kinds.join(",")}`);
      const sheetOf = (sheetId: number | null | undefined) => next.sheets?.find((s) => s.properties?.sheetId === sheetId);
      if (request.updateCells) {
        const update = request.updateCells;
        const sheet = sheetOf(update.range?.sheetId);
        if (!sheet) return refuse(`Invalid requests[${i}].updateCells: No grid with id: ${update.range?.sheetId}`);
        const grid = sheet.properties?.gridProperties;
        const endRow = (update.range?.startRowIndex ?? 0) + (update.rows?.length ?? 0);
        if (grid?.rowCount != null && endRow > grid.rowCount) {
          return refuse(`Invalid requests[${i}].updateCells: Range (${sheet.properties?.title}!${endRow}) exceeds grid limits. Max rows: ${grid.rowCount}`);
        }
        if (!update.fields) return refuse(`Invalid requests[${i}].updateCells: At least one field must be updated, but none were specified.`);
        const fields = update.fields.split(",");
        (update.rows ?? []).forEach((row, r) => {
          (row.values ?? []).forEach((value, c) => {
            const cell = cellAt(sheet, (update.range?.startRowIndex ?? 0) + r, (update.range?.startColumnIndex ?? 0) + c);
            for (const field of fields) setPath(cell as Record<string, unknown>, field.split("."), value as Record<string, unknown>);
          });
        });
        replies.push({});
      } else if (request.addProtectedRange) {
        const range = request.addProtectedRange.protectedRange;
        const sheet = sheetOf(range?.range?.sheetId);
        if (!sheet || !range) return refuse(`Invalid requests[${i}].addProtectedRange: No grid with id: ${range?.range?.sheetId}`);
        const added = { ...structuredClone(range), protectedRangeId: this.nextId++ };
        sheet.protectedRanges = [...(sheet.protectedRanges ?? []), added];
        replies.push({ addProtectedRange: { protectedRange: added } });
      } else if (request.deleteProtectedRange) {
        const id = request.deleteProtectedRange.protectedRangeId;
        const sheet = next.sheets?.find((s) => s.protectedRanges?.some((p) => p.protectedRangeId === id));
        if (!sheet) return refuse(`Invalid requests[${i}].deleteProtectedRange: No protected range with id: ${id}`);
        sheet.protectedRanges = sheet.protectedRanges!.filter((p) => p.protectedRangeId !== id);
        replies.push({});
      } else if (request.appendDimension) {
        const append = request.appendDimension;
        const sheet = sheetOf(append.sheetId);
        if (!sheet || !append.length || append.length < 1) return refuse(`Invalid requests[${i}].appendDimension`);
        sheet.properties!.gridProperties ??= { rowCount: 1000, columnCount: 26 };
        const grid = sheet.properties!.gridProperties;
        if (append.dimension === "ROWS") grid.rowCount = (grid.rowCount ?? 1000) + append.length;
        else grid.columnCount = (grid.columnCount ?? 26) + append.length;
        replies.push({});
      } else {
        return refuse(`Stand-in does not model ${kinds[0]}`);
      }
    }
    this.spreadsheets.set(id, next);
    send(res, 200, { spreadsheetId: id, replies });
  }

  private list(url: URL, res: ServerResponse) {
    const q = url.searchParams.get("q") ?? "";
    const parent = /'([^']+)' in parents/.exec(q)?.[1];
    const name = /name = '([^']+)'/.exec(q)?.[1];
    const property = /appProperties has \{ key='([^']+)' and value='([^']+)' \}/.exec(q);
    const untrashed = /trashed = false/.test(q);
    const files = [...this.files.values()].filter(
      (f) =>
        (!parent || f.parents.includes(parent)) &&
        (!name || f.name === name) &&
        (!untrashed || !f.trashed) &&
        (!property || f.appProperties?.[property[1]!] === property[2]),
    );
    send(res, 200, { files: files.map((f) => ({ id: f.id, name: f.name })) });
  }

  /** uploadType=multipart (metadata and content) or media (content only), as the client chooses. */
  private upload(id: string | undefined, body: Buffer, res: ServerResponse, type: string) {
    const [metaPart, mediaPart] = type.startsWith("multipart/") ? multipartParts(body) : [undefined, body];
    const meta = metaPart
      ? (JSON.parse(metaPart.toString() || "{}") as { name?: string; parents?: string[]; appProperties?: Record<string, string> })
      : {};
    if (id) {
      const file = this.files.get(id);
      if (!file) return send(res, 404, { error: { code: 404, message: "File not found." } });
      file.content = mediaPart ?? Buffer.alloc(0);
      file.revisions++;
      if (meta.appProperties) file.appProperties = { ...file.appProperties, ...meta.appProperties };
      return send(res, 200, { id, webViewLink: link(id) });
    }
    const newId = `file-${this.nextId++}`;
    this.files.set(newId, {
      id: newId,
      name: meta.name ?? "",
      parents: meta.parents ?? [],
      content: mediaPart ?? Buffer.alloc(0),
      revisions: 1,
      readers: [],
      ...(meta.appProperties ? { appProperties: meta.appProperties } : {}),
    });
    send(res, 200, { id: newId, webViewLink: link(newId) });
  }

  /** Spreadsheets are Drive files too: sharing and moving them goes through here. */
  private fileOrSpreadsheet(id: string): DriveFile | undefined {
    const existing = this.files.get(id);
    if (existing || !this.spreadsheets.has(id)) return existing;
    const file: DriveFile = { id, name: this.spreadsheets.get(id)!.properties?.title ?? id, parents: [], content: Buffer.alloc(0), revisions: 1, readers: [] };
    this.files.set(id, file);
    return file;
  }

  private move(id: string, url: URL, body: Buffer, res: ServerResponse) {
    const file = this.fileOrSpreadsheet(id);
    if (!file) return send(res, 404, { error: { code: 404, message: "File not found." } });
    const add = url.searchParams.get("addParents");
    if (add) file.parents.push(...add.split(","));
    const meta = JSON.parse(body.toString() || "{}") as { trashed?: boolean };
    if (meta.trashed !== undefined) file.trashed = meta.trashed;
    send(res, 200, { id });
  }

  private permission(id: string, body: Buffer, res: ServerResponse) {
    const file = this.fileOrSpreadsheet(id);
    if (!file) return send(res, 404, { error: { code: 404, message: "File not found." } });
    const { emailAddress } = JSON.parse(body.toString()) as { emailAddress: string };
    if (!file.readers.includes(emailAddress)) file.readers.push(emailAddress);
    send(res, 200, { id: `perm-${emailAddress}` });
  }
}

const link = (id: string) => `https://drive.google.com/file/d/${id}/view`;

/** Sets (or, where the value has none, clears) one field-mask path of a cell, as updateCells does. */
function setPath(target: Record<string, unknown>, path: string[], source: Record<string, unknown> | undefined): void {
  const [key, ...rest] = path as [string, ...string[]];
  const value = source?.[key];
  if (rest.length === 0) {
    if (value === undefined) delete target[key];
    else target[key] = structuredClone(value);
    return;
  }
  target[key] ??= {};
  const inner = target[key] as Record<string, unknown>;
  setPath(inner, rest, value as Record<string, unknown> | undefined);
  if (Object.keys(inner).length === 0) delete target[key];
}

function cellAt(sheet: sheets_v4.Schema$Sheet, row: number, col: number): sheets_v4.Schema$CellData {
  sheet.data ??= [{ startRow: 0, startColumn: 0, rowData: [] }];
  sheet.data[0]!.rowData ??= [];
  const rows = sheet.data[0]!.rowData;
  while (rows.length <= row) rows.push({ values: [] });
  rows[row]!.values ??= [];
  const values = rows[row]!.values;
  while (values.length <= col) values.push({});
  return values[col]!;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The parts of a multipart/related body, without their headers. */
function multipartParts(body: Buffer): Buffer[] {
  const text = body.toString("latin1");
  const boundary = /^--([^\r\n]+)/.exec(text)?.[1];
  if (!boundary) return [];
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const start = part.indexOf("\r\n\r\n");
      return Buffer.from(part.slice(start + 4, part.length - 2), "latin1");
    });
}

/**
 * The real googleapis clients pointed at a stand-in, with a fixed token: the stand-in does not
 * check it, and no Google sign-in is needed.
 */
export async function standInClients(standIn: GoogleApiStandIn, retry?: RetryPolicy): Promise<GoogleClients> {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "test-token", expiry_date: Date.now() + 3_600_000 });
  return googleClients({ rootUrl: standIn.url, auth, ...(retry ? { retry } : {}) });
}
