/**
 * A local stand-in for the parts of the Sheets v4 and Drive v3 REST APIs that the pipeline
 * uses, so that the real googleapis client can be tested over HTTP on loopback. Every request
 * is first checked against Google's discovery documents (./discovery.ts); then the caller is
 * known from its token (a service account or a person), and Drive's ownership, quota, shared
 * drive and single-parent rules (./drive-model.ts) and Sheets' protected ranges
 * (./sheets-model.ts) apply to it as they do at Google. It keeps spreadsheets and files in
 * memory, counts requests by route, and can be told to answer with faults (429, 503, Drive's
 * rate-limit 403, slow answers) before answering normally.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { sheets_v4 } from "@googleapis/sheets";
import { OAuth2Client } from "google-auth-library";
import { type GoogleClients, googleClients } from "../../functions/google/clients.js";
import type { RetryPolicy } from "../../functions/google/retry.js";
import { DiscoveryDocument } from "./discovery.js";
import { multipartParts } from "./multipart.js";
import { type DriveFile, DriveModel, DriveRefusal, type DriveRole, FOLDER_TYPE, SERVICE_ACCOUNT, SPREADSHEET_TYPE } from "./drive-model.js";
import { applyBatch, asRead, cellAt, SheetsRefusal, withGrid } from "./sheets-model.js";

export { SERVICE_ACCOUNT } from "./drive-model.js";

const SHEETS = new DiscoveryDocument("sheets-v4");
const DRIVE = new DiscoveryDocument("drive-v3");

export type Route =
  | "sheets.create"
  | "sheets.get"
  | "sheets.batchUpdate"
  | "drive.list"
  | "drive.get"
  | "drive.create"
  | "drive.createMeta"
  | "drive.update"
  | "drive.permission"
  | "drive.permissions"
  | "drive.move";

export interface Fault {
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Never answer: hold the request until the client gives up and closes it (a timeout). */
  hang?: boolean;
  reason?: string;
}

export class GoogleApiStandIn {
  readonly spreadsheets = new Map<string, sheets_v4.Schema$Spreadsheet>();
  /** Drive: shared drives, folders and files, who owns and who may see them. */
  readonly drive = new DriveModel();
  readonly files = this.drive.files;
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

  /** Forgets the faults not yet given, so that one test's faults never reach the next. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** The next requests to `route` get these faults, in order, before normal answers. */
  fail(route: Route, ...faults: Fault[]): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...faults]);
  }

  count(route: Route): number {
    return this.requests.filter((r) => r === route).length;
  }

  /**
   * The supported setup: a folder in a shared drive where the service account is a content
   * manager (and the project leader a manager). Returns the folder's id.
   */
  sharedFolder(name = "Uppföljning handlingsplan", members: Record<string, DriveRole> = {}): string {
    return this.drive.sharedDrive(name, { [SERVICE_ACCOUNT]: "fileOrganizer", "projektledare@stad.example": "organizer", ...members }).folderId;
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
    // Google advises at most 2 MB per request; the stand-in holds the product to it, so a
    // request that grows past it (a larger catalogue, more units) fails here first.
    if (url.pathname.startsWith("/v4/") && body.length > MAX_SHEETS_REQUEST_BYTES) {
      this.refusals.push("request too large");
      return send(res, 413, { error: { code: 413, message: `Request payload size ${body.length} exceeds the limit: ${MAX_SHEETS_REQUEST_BYTES} bytes.`, status: "INVALID_ARGUMENT" } });
    }
    // First as Google does: the request against the API's own description.
    const api = url.pathname.startsWith("/v4/") ? SHEETS : DRIVE;
    const checked = api.check(req.method ?? "GET", url, body, req.headers["content-type"] ?? "");
    if (!checked.ok) {
      this.refusals.push(checked.message);
      return send(res, checked.status, { error: { code: checked.status, message: checked.message, status: checked.status === 400 ? "INVALID_ARGUMENT" : "NOT_FOUND" } });
    }
    const caller = /^Bearer as:(.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!caller) {
      return send(res, 401, { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } });
    }
    const route = this.route(req.method ?? "GET", url.pathname);
    if (!route) return send(res, 404, { error: { message: `Stand-in: no route for ${req.method} ${url.pathname}` } });
    this.requests.push(route.name);
    const fault = this.faults.get(route.name)?.shift();
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.hang) {
      // Until the client gives up; it may have before this request got this far.
      if (!res.destroyed && !req.socket.destroyed) await new Promise((resolve) => res.once("close", resolve));
      return;
    }
    if (fault?.status) {
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
      return send(res, fault.status, { error: { code: fault.status, message: "planned fault", errors: fault.reason ? [{ reason: fault.reason }] : [] } }, headers);
    }
    if (res.destroyed) return;
    try {
      route.handle(url, body, res, req.headers["content-type"] ?? "", caller);
    } catch (error) {
      if (error instanceof DriveRefusal) {
        return send(res, error.status, { error: { code: error.status, message: error.message, errors: [{ reason: error.reason, message: error.message }] } });
      }
      if (error instanceof SheetsRefusal) {
        const status = error.status === 400 ? "INVALID_ARGUMENT" : error.status === 403 ? "PERMISSION_DENIED" : "NOT_FOUND";
        return send(res, error.status, { error: { code: error.status, message: error.message, status } });
      }
      throw error;
    }
  }

  private route(
    method: string,
    path: string,
  ): { name: Route; handle: (url: URL, body: Buffer, res: ServerResponse, type: string, caller: string) => void } | undefined {
    type Handle = (m: RegExpExecArray, url: URL, body: Buffer, res: ServerResponse, type: string, caller: string) => void;
    const routes: [string, RegExp, Route, Handle][] = [
      ["POST", /^\/v4\/spreadsheets$/, "sheets.create", (_, __, b, r, ___, c) => this.create(b, r, c)],
      ["GET", /^\/v4\/spreadsheets\/([^/:]+)$/, "sheets.get", (m, __, ___, r, ____, c) => this.get(m[1]!, r, c)],
      ["POST", /^\/v4\/spreadsheets\/([^/:]+):batchUpdate$/, "sheets.batchUpdate", (m, _, b, r, __, c) => this.batchUpdate(m[1]!, b, r, c)],
      ["GET", /^\/drive\/v3\/files$/, "drive.list", (_, u, __, r, ___, c) => this.list(u, r, c)],
      ["GET", /^\/drive\/v3\/files\/([^/]+)$/, "drive.get", (m, u, __, r, ___, c) => this.fileGet(m[1]!, u, r, c)],
      ["POST", /^\/drive\/v3\/files$/, "drive.createMeta", (_, u, b, r, __, c) => this.upload(undefined, u, b, r, "application/json+meta", c)],
      ["POST", /^\/upload\/drive\/v3\/files$/, "drive.create", (_, u, b, r, t, c) => this.upload(undefined, u, b, r, t, c)],
      ["PATCH", /^\/upload\/drive\/v3\/files\/([^/]+)$/, "drive.update", (m, u, b, r, t, c) => this.upload(m[1]!, u, b, r, t, c)],
      ["POST", /^\/drive\/v3\/files\/([^/]+)\/permissions$/, "drive.permission", (m, u, b, r, _, c) => this.permission(m[1]!, u, b, r, c)],
      ["GET", /^\/drive\/v3\/files\/([^/]+)\/permissions$/, "drive.permissions", (m, u, _, r, __, c) => this.permissions(m[1]!, u, r, c)],
      ["PATCH", /^\/drive\/v3\/files\/([^/]+)$/, "drive.move", (m, u, b, r, _, c) => this.move(m[1]!, u, b, r, c)],
    ];
    for (const [verb, pattern, name, handle] of routes) {
      const m = verb === method ? pattern.exec(path) : null;
      if (m) return { name, handle: (url, body, res, type, caller) => handle(m, url, body, res, type, caller) };
    }
    return undefined;
  }

  /** Drive's file behind a spreadsheet, as the caller may use it; refuses as Sheets does. */
  private spreadsheetFile(id: string, caller: string, write: boolean): DriveFile {
    const file = this.drive.files.get(id);
    if (!file || !this.spreadsheets.has(id)) throw new SheetsRefusal(404, "Requested entity was not found.");
    if (!this.drive.roleOf(caller, file) || (write && !this.drive.canWrite(caller, file))) {
      throw new SheetsRefusal(403, "The caller does not have permission");
    }
    return file;
  }

  /** spreadsheets.create: a new spreadsheet in the caller's My Drive, so never by a service account. */
  private create(body: Buffer, res: ServerResponse, caller: string) {
    const spreadsheet = JSON.parse(body.toString()) as sheets_v4.Schema$Spreadsheet;
    const file = this.drive.create(caller, { name: spreadsheet.properties?.title ?? "Namnlöst kalkylark", mimeType: SPREADSHEET_TYPE }, Buffer.alloc(0), true);
    this.spreadsheets.set(file.id, this.newSpreadsheet(file.id, spreadsheet));
    send(res, 200, { spreadsheetId: file.id, spreadsheetUrl: this.spreadsheets.get(file.id)!.spreadsheetUrl });
  }

  private newSpreadsheet(id: string, spreadsheet: sheets_v4.Schema$Spreadsheet): sheets_v4.Schema$Spreadsheet {
    const ids = () => this.nextId++;
    const sheets = spreadsheet.sheets?.length ? spreadsheet.sheets : [{ properties: { sheetId: 0, title: "Sheet1", index: 0 } }];
    return {
      ...spreadsheet,
      spreadsheetId: id,
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
      sheets: sheets.map((sheet) => withGrid(sheet, ids)),
    };
  }

  private get(id: string, res: ServerResponse, caller: string) {
    const file = this.spreadsheetFile(id, caller, false);
    send(res, 200, asRead(this.spreadsheets.get(id)!, caller, file.owner));
  }

  /** All or nothing, as Sheets does: the batch is applied to a copy, which replaces the spreadsheet only when every request succeeded. */
  private batchUpdate(id: string, body: Buffer, res: ServerResponse, caller: string) {
    const file = this.spreadsheetFile(id, caller, true);
    const { requests } = JSON.parse(body.toString()) as sheets_v4.Schema$BatchUpdateSpreadsheetRequest;
    const { next, replies } = applyBatch(this.spreadsheets.get(id)!, requests ?? [], caller, file.owner, () => this.nextId++);
    this.spreadsheets.set(id, next);
    send(res, 200, { spreadsheetId: id, replies });
  }

  private list(url: URL, res: ServerResponse, caller: string) {
    const q = url.searchParams.get("q") ?? "";
    if (q && !validDriveQuery(q)) {
      return send(res, 400, { error: { code: 400, message: "Invalid Value", errors: [{ domain: "global", reason: "invalid", message: "Invalid Value", locationType: "parameter", location: "q" }] } });
    }
    const parent = /'([^']+)' in parents/.exec(q)?.[1];
    const name = /name = '([^']+)'/.exec(q)?.[1];
    const property = /appProperties has \{ key='([^']+)' and value='([^']+)' \}/.exec(q);
    const untrashed = /trashed = false/.test(q);
    const allDrives = flag(url, "supportsAllDrives") && flag(url, "includeItemsFromAllDrives");
    const files = this.drive.list(
      caller,
      (f) =>
        (!parent || f.parents.includes(parent)) &&
        (!name || f.name === name) &&
        (!untrashed || !f.trashed) &&
        (!property || f.appProperties?.[property[1]!] === property[2]),
      allDrives,
    );
    send(res, 200, { files: files.map((f) => ({ id: f.id, name: f.name })) });
  }

  /** Creates (metadata only, or with content: uploadType media or multipart) or updates a file's content. */
  private upload(id: string | undefined, url: URL, body: Buffer, res: ServerResponse, type: string, caller: string) {
    const metaOnly = type === "application/json+meta";
    const [metaPart, mediaPart] = metaOnly ? [body, undefined] : type.startsWith("multipart/") ? multipartParts(body, type) : [undefined, body];
    const meta = metaPart
      ? (JSON.parse(metaPart.toString() || "{}") as { name?: string; mimeType?: string; parents?: string[]; appProperties?: Record<string, string> })
      : {};
    const allDrives = flag(url, "supportsAllDrives");
    if (id) {
      const file = this.drive.update(
        caller,
        id,
        { content: mediaPart ?? Buffer.alloc(0), ...(meta.appProperties ? { appProperties: meta.appProperties } : {}) },
        allDrives,
      );
      return send(res, 200, { id: file.id, webViewLink: link(file.id) });
    }
    const file = this.drive.create(caller, meta, mediaPart ?? Buffer.alloc(0), allDrives);
    if (file.mimeType === SPREADSHEET_TYPE) this.spreadsheets.set(file.id, this.newSpreadsheet(file.id, { properties: { title: file.name } }));
    send(res, 200, { id: file.id, webViewLink: link(file.id) });
  }

  private move(id: string, url: URL, body: Buffer, res: ServerResponse, caller: string) {
    const meta = JSON.parse(body.toString() || "{}") as { trashed?: boolean };
    this.drive.update(
      caller,
      id,
      { addParents: url.searchParams.get("addParents"), removeParents: url.searchParams.get("removeParents"), ...(meta.trashed !== undefined ? { trashed: meta.trashed } : {}) },
      flag(url, "supportsAllDrives"),
    );
    send(res, 200, { id });
  }

  private permission(id: string, url: URL, body: Buffer, res: ServerResponse, caller: string) {
    const { emailAddress, role, type } = JSON.parse(body.toString()) as { emailAddress: string; role: DriveRole; type?: string };
    if (!DRIVE_ROLES.includes(role)) {
      return send(res, 400, { error: { code: 400, message: "The provided role is not valid.", errors: [{ domain: "global", reason: "invalidSharingRequest", message: "The provided role is not valid." }] } });
    }
    if (!type || !["user", "group", "domain", "anyone"].includes(type)) {
      return send(res, 400, { error: { code: 400, message: "Required parameter: permission.type", errors: [{ domain: "global", reason: "required", message: "Required parameter: permission.type" }] } });
    }
    const notify = url.searchParams.get("sendNotificationEmail") !== "false";
    const permission = this.drive.share(caller, id, emailAddress, role, notify, flag(url, "supportsAllDrives"));
    send(res, 200, { id: permission.id });
  }

  /** files.get: the file's metadata and what the caller may do with it. */
  private fileGet(id: string, url: URL, res: ServerResponse, caller: string) {
    const file = this.drive.get(caller, id, flag(url, "supportsAllDrives"));
    const write = this.drive.canWrite(caller, file);
    send(res, 200, {
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      ...(file.driveId ? { driveId: file.driveId } : {}),
      trashed: file.trashed === true,
      capabilities: { canEdit: write, canAddChildren: write && file.mimeType === FOLDER_TYPE, canShare: write, canTrash: write },
    });
  }

  private permissions(id: string, url: URL, res: ServerResponse, caller: string) {
    const file = this.drive.get(caller, id, flag(url, "supportsAllDrives"));
    send(res, 200, { permissions: file.permissions });
  }
}

/** Google's advised largest Sheets request. */
export const MAX_SHEETS_REQUEST_BYTES = 2 * 1024 * 1024;

const link = (id: string) => `https://drive.google.com/file/d/${id}/view`;

/** Drive's roles for a permission; anything else (e.g. "viewer", Drive's name in the UI) is refused. */
const DRIVE_ROLES: string[] = ["owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"];

/**
 * Drive's query language, as https://developers.google.com/workspace/drive/api/guides/search-files
 * gives it: terms joined by and/or, negated by not, grouped in parentheses; strings in single
 * quotes with \' and \\ escaped. A query outside it is refused, as Drive refuses it.
 */
export function validDriveQuery(q: string): boolean {
  const tokens: string[] = [];
  const re = /\s*('(?:[^'\\]|\\.)*'|!=|<=|>=|[=<>(){}]|[A-Za-z_][\w.]*)/y;
  let at = 0;
  while (at < q.length) {
    if (/^\s*$/.test(q.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(q);
    if (!m) return false;
    tokens.push(m[1]!);
    at = re.lastIndex;
  }
  const FIELDS = new Set(["name", "fullText", "mimeType", "modifiedTime", "viewedByMeTime", "trashed", "starred", "parents", "owners", "writers", "readers", "sharedWithMe", "createdTime", "properties", "appProperties", "visibility", "shortcutDetails.targetId", "memberCount", "organizerCount"]);
  const OPERATORS = new Set(["contains", "=", "!=", "<", "<=", ">", ">="]);
  const isValue = (t: string | undefined) => t !== undefined && (/^'/.test(t) || t === "true" || t === "false" || /^\d+$/.test(t));
  let i = 0;
  const term = (): boolean => {
    if (tokens[i] === "not") i++;
    if (tokens[i] === "(") {
      i++;
      if (!expression() || tokens[i] !== ")") return false;
      i++;
      return true;
    }
    // 'value' in parents (owners, writers, readers)
    if (isValue(tokens[i]) && tokens[i + 1] === "in" && ["parents", "owners", "writers", "readers"].includes(tokens[i + 2] ?? "")) {
      i += 3;
      return true;
    }
    const field = tokens[i];
    if (!field || !FIELDS.has(field)) return false;
    i++;
    // properties has { key='k' and value='v' }
    if ((field === "properties" || field === "appProperties") && tokens[i] === "has") {
      const [open, k, eq1, kv, and, v, eq2, vv, close] = tokens.slice(i + 1, i + 10);
      if (open !== "{" || k !== "key" || eq1 !== "=" || !isValue(kv) || and !== "and" || v !== "value" || eq2 !== "=" || !isValue(vv) || close !== "}") return false;
      i += 10;
      return true;
    }
    if (!OPERATORS.has(tokens[i] ?? "") || !isValue(tokens[i + 1])) return false;
    i += 2;
    return true;
  };
  const expression = (): boolean => {
    if (!term()) return false;
    while (tokens[i] === "and" || tokens[i] === "or") {
      i++;
      if (!term()) return false;
    }
    return true;
  };
  return expression() && i === tokens.length;
}
const flag = (url: URL, name: string) => url.searchParams.get(name) === "true";

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


/**
 * The real googleapis clients pointed at a stand-in, signed in as `caller` (by default the
 * functions' service account): the stand-in knows the caller from the token, and no Google
 * sign-in is needed.
 */
export async function standInClients(standIn: GoogleApiStandIn, retry?: RetryPolicy, caller = SERVICE_ACCOUNT): Promise<GoogleClients> {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: `as:${caller}`, expiry_date: Date.now() + 3_600_000 });
  return googleClients({ rootUrl: standIn.url, auth, identity: caller, ...(retry ? { retry } : {}) });
}
