/**
 * The stand-ins are as strict as Google: every request is checked against Google's discovery
 * documents before it is acted on, through the real googleapis and Cloud Storage clients, and
 * what Google would refuse is refused with 400 in Google's words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GoogleClients } from "../functions/google/clients.js";
import { createYearSpreadsheet } from "../functions/google/create-spreadsheet.js";
import { gcsBucket } from "../functions/shared/gcs-bucket.js";
import { context } from "./helpers.js";
import { CloudStorageStandIn } from "./stand-in/cloud-storage.js";
import { GoogleApiStandIn, SERVICE_ACCOUNT, standInClients } from "./stand-in/google-api.js";

let standIn: GoogleApiStandIn;
let clients: GoogleClients;
let storage: CloudStorageStandIn;
let spreadsheetId: string;
beforeAll(async () => {
  standIn = await new GoogleApiStandIn().start();
  clients = await standInClients(standIn, { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 10_000 });
  storage = await new CloudStorageStandIn().start();
  const { yc, definition, history } = await context();
  const input = { yc, definition, history, editors: {}, projectLeaders: ["pl@stad.example"], serviceAccount: SERVICE_ACCOUNT };
  spreadsheetId = (await createYearSpreadsheet(clients, input, standIn.sharedFolder())).id;
});
afterAll(async () => {
  await standIn.stop();
  await storage.stop();
});

/** The HTTP status and message a call was refused with. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status?: number; code?: number; response?: { status?: number }; message: string };
    return { status: e.response?.status ?? e.status ?? Number(e.code), message: e.message };
  }
  throw new Error("the call was not refused");
}

const cells = (extra: object) => ({
  updateCells: { range: { sheetId: 1, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 1 }, rows: [{ values: [{}] }], fields: "note", ...extra },
});

/**
 * Requests Google refuses, each with the error Google documents for it: a future mistake in
 * what the product sends fails here instead of in production.
 */
const REFUSED: { name: string; call: () => Promise<unknown>; status: number; message: RegExp }[] = [
  {
    name: "a range protection with unprotectedRanges (only a whole-sheet protection has them)",
    call: () =>
      clients.sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: { requests: [{ addProtectedRange: { protectedRange: { range: { sheetId: 1, startRowIndex: 0, endRowIndex: 2 }, unprotectedRanges: [{ sheetId: 1, startRowIndex: 1, endRowIndex: 2 }] } } }] },
      }),
    status: 400,
    message: /Unprotected ranges can only be set on a protected sheet/,
  },
  {
    name: "a comma between a formula's arguments in a Swedish-locale spreadsheet",
    call: () =>
      clients.sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: { requests: [cells({ rows: [{ values: [{ userEnteredValue: { formulaValue: "=IF(A1>0,1,0)" } }] }], fields: "userEnteredValue" })] },
      }),
    status: 400,
    message: /Formula parse error in =IF\(A1>0,1,0\).*sv_SE/,
  },
  {
    name: "a data validation formula with commas in a Swedish-locale spreadsheet",
    call: () =>
      clients.sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: [cells({ rows: [{ values: [{ dataValidation: { condition: { type: "CUSTOM_FORMULA", values: [{ userEnteredValue: "=AND(A1>0,A1<10)" }] } } }] }], fields: "dataValidation" })],
        },
      }),
    status: 400,
    message: /Formula parse error/,
  },
  {
    name: "the role viewer (Drive's roles are reader, commenter, writer, …)",
    call: () => clients.drive.permissions.create({ fileId: spreadsheetId, supportsAllDrives: true, requestBody: { type: "user", role: "viewer", emailAddress: "a@stad.example" } }),
    status: 400,
    message: /The provided role is not valid/,
  },
  {
    name: "a permission without its type",
    call: () => clients.drive.permissions.create({ fileId: spreadsheetId, supportsAllDrives: true, requestBody: { role: "reader", emailAddress: "a@stad.example" } }),
    status: 400,
    message: /Required parameter: permission.type/,
  },
  { name: "pageSize above 1 000", call: () => clients.drive.files.list({ q: "trashed = false", pageSize: 5000 }), status: 400, message: /within the range: \[1, 1000\]/ },
  { name: "pageSize 0", call: () => clients.drive.files.list({ q: "trashed = false", pageSize: 0 }), status: 400, message: /within the range/ },
  { name: "a Drive query with an unknown field", call: () => clients.drive.files.list({ q: "title = 'x'" }), status: 400, message: /Invalid Value/ },
  { name: "a Drive query with an unclosed string", call: () => clients.drive.files.list({ q: "name = 'x" }), status: 400, message: /Invalid Value/ },
  { name: "a Drive query with a dangling and", call: () => clients.drive.files.list({ q: "trashed = false and" }), status: 400, message: /Invalid Value/ },
  { name: "a Drive query with == for =", call: () => clients.drive.files.list({ q: "name == 'x'" }), status: 400, message: /Invalid Value/ },
  {
    name: "appProperties has without its braces",
    call: () => clients.drive.files.list({ q: "appProperties has key='hp' and value='1'" }),
    status: 400,
    message: /Invalid Value/,
  },
];

describe("what Google refuses, one row per rule", () => {
  it.each(REFUSED)("$name", async ({ call, status, message }) => {
    const refused = await refusal(call());
    expect(refused.status).toBe(status);
    expect(refused.message).toMatch(message);
  });

  it("accepts the queries and formulas the product sends", async () => {
    for (const q of ["trashed = false", "'abc' in parents and trashed = false", "name = 'Uppföljning 2026 (\\'utkast\\')' and not trashed = true", "appProperties has { key='hp' and value='1' } and trashed = false"]) {
      await expect(clients.drive.files.list({ q, supportsAllDrives: true, includeItemsFromAllDrives: true }), q).resolves.toBeTruthy();
    }
    await expect(
      clients.sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: { requests: [cells({ rows: [{ values: [{ userEnteredValue: { formulaValue: '=IF(A1>0;"ja, nej";0)' } }] }], fields: "userEnteredValue" })] },
      }),
    ).resolves.toBeTruthy();
  });
});

describe("the Sheets and Drive stand-in, against the discovery documents", () => {
  it("refuses a body field Google does not know, at any depth", async () => {
    const top = await refusal(clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [cells({ colour: "red" })] } as never }));
    expect(top).toEqual({ status: 400, message: expect.stringContaining(`Unknown name "colour" at 'requests[0].update_cells'`) });
    const deep = await refusal(
      clients.sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: { requests: [cells({ rows: [{ values: [{ userEnteredFormat: { backgroundColorStyle: { rgbColour: { red: 1 } } } }] }] })] } as never,
      }),
    );
    expect(deep.message).toContain(`Unknown name "rgbColour" at 'requests[0].update_cells.rows[0].values[0].user_entered_format.background_color_style'`);
  });

  it("refuses a value outside an enum and a value of the wrong type", async () => {
    const format = { rows: [{ values: [{ userEnteredFormat: { horizontalAlignment: "MIDDLE" } }] }], fields: "userEnteredFormat.horizontalAlignment" };
    const badEnum = await refusal(clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [cells(format)] } as never }));
    expect(badEnum).toEqual({ status: 400, message: expect.stringContaining("(TYPE_ENUM)") });
    const badType = await refusal(
      clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ appendDimension: { sheetId: 1, dimension: "ROWS", length: "many" } }] } as never }),
    );
    expect(badType).toEqual({ status: 400, message: expect.stringContaining("'requests[0].append_dimension.length' (TYPE_INT32)") });
  });

  it("refuses a fields mask naming what the response does not have, in the query and in a request", async () => {
    const get = await refusal(clients.sheets.spreadsheets.get({ spreadsheetId, fields: "sheets(properties(title,colour))" }));
    expect(get).toEqual({ status: 400, message: expect.stringContaining("Invalid field selection sheets(properties(colour))") });
    const list = await refusal(clients.drive.files.list({ q: "trashed = false", fields: "files(id,title)" }));
    expect(list.message).toContain("Invalid field selection files(title)");
    const mask = await refusal(clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [cells({ fields: "note,colour" })] } }));
    expect(mask).toEqual({ status: 400, message: expect.stringContaining("colour is not a field of CellData") });
    // What Google accepts passes: nested masks, paths and "*".
    await clients.sheets.spreadsheets.get({ spreadsheetId, fields: "spreadsheetId,sheets(properties(sheetId,title),protectedRanges/*)" });
  });

  it("refuses a query parameter the method does not have, a bad boolean and a media upload without the upload path", async () => {
    const unknown = await refusal(clients.drive.files.list({ q: "trashed = false", allDrives: true } as never));
    expect(unknown).toEqual({ status: 400, message: expect.stringContaining(`Unknown name "allDrives"`) });
    const boolean = await refusal(clients.drive.files.list({ q: "trashed = false", supportsAllDrives: "ja" } as never));
    expect(boolean.message).toContain("(TYPE_BOOL)");
    expect(standIn.refusals.length).toBeGreaterThanOrEqual(7);
  });
});

describe("the Cloud Storage stand-in, against the discovery document", () => {
  it("refuses an unknown query parameter and an unknown object field", async () => {
    const bucket = await gcsBucket("hp", storage.url);
    await bucket.file("ok.json").save("{}", { resumable: false, validation: "md5" });
    const response = await fetch(`${storage.url}/storage/v1/b/hp/o/ok.json?ifGenerationMatches=1`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(`Unknown name "ifGenerationMatches"`);
    const body = JSON.stringify({ name: "x.json", colour: "red" });
    const upload = await fetch(`${storage.url}/upload/storage/v1/b/hp/o?uploadType=multipart`, {
      method: "POST",
      headers: { "content-type": "multipart/related; boundary=b" },
      body: `--b\r\ncontent-type: application/json\r\n\r\n${body}\r\n--b\r\ncontent-type: text/plain\r\n\r\nx\r\n--b--`,
    });
    expect(upload.status).toBe(400);
    expect(storage.objects.has("x.json")).toBe(false);
  });
});

describe("Drive and Sheets as they treat a service account and a person", () => {
  const person = "projektledare@stad.example";
  const asPerson = () => standInClients(standIn, { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 10_000 }, person);

  it("lets no service account own a file: spreadsheets.create and uploads outside a shared drive fail with storageQuotaExceeded", async () => {
    const create = await refusal(clients.sheets.spreadsheets.create({ requestBody: { properties: { title: "Uppföljning 2026" } } }));
    expect(create).toEqual({ status: 403, message: "The user's Drive storage quota has been exceeded." });
    // A folder in the project leader's My Drive, shared with the service account: still its file.
    const mine = standIn.drive.myDriveFolder(person, "Rapporter");
    await (await asPerson()).drive.permissions.create({ fileId: mine, requestBody: { type: "user", role: "writer", emailAddress: SERVICE_ACCOUNT } });
    const upload = await refusal(
      clients.drive.files.create({ requestBody: { name: "r.pdf", parents: [mine] }, media: { mimeType: "application/pdf", body: "x" }, fields: "id" }, { rootUrl: standIn.url }),
    );
    expect(upload.status).toBe(403);
    expect(upload.message).toContain("storage quota");
    // A person can: the file is theirs.
    const own = await (await asPerson()).sheets.spreadsheets.create({ requestBody: { properties: { title: "Eget" } } });
    expect(standIn.files.get(own.data.spreadsheetId!)).toMatchObject({ owner: person, driveId: undefined });
  });

  it("hides a shared drive's files from calls that do not say supportsAllDrives", async () => {
    const folder = standIn.sharedFolder("Dold");
    const made = await clients.drive.files.create({ requestBody: { name: "a.pdf", parents: [folder] }, media: { body: "x" }, supportsAllDrives: true, fields: "id" }, { rootUrl: standIn.url });
    const id = made.data.id!;
    expect((await refusal(clients.drive.files.update({ fileId: id, requestBody: { trashed: true } }))).status).toBe(404);
    expect((await clients.drive.files.list({ q: `'${folder}' in parents`, fields: "files(id)" })).data.files).toEqual([]);
    const all = await clients.drive.files.list({ q: `'${folder}' in parents`, fields: "files(id)", supportsAllDrives: true, includeItemsFromAllDrives: true });
    expect(all.data.files).toEqual([{ id, name: "a.pdf" }]);
  });

  it("keeps one parent per file: adding a second is cannotAddParent, moving (add and remove) is allowed", async () => {
    const from = standIn.sharedFolder("Från");
    const to = standIn.sharedFolder("Till");
    const made = await clients.drive.files.create({ requestBody: { name: "b.pdf", parents: [from] }, media: { body: "x" }, supportsAllDrives: true, fields: "id" }, { rootUrl: standIn.url });
    const fileId = made.data.id!;
    const add = await refusal(clients.drive.files.update({ fileId, addParents: to, supportsAllDrives: true }));
    expect(add).toEqual({ status: 403, message: "Increasing the number of parents is not allowed." });
    await clients.drive.files.update({ fileId, addParents: to, removeParents: from, supportsAllDrives: true });
    expect(standIn.files.get(fileId)!.parents).toEqual([to]);
  });

  it("enforces protected ranges per caller: the write-back fails unless the service account is an editor of what it writes", async () => {
    const { yc, definition, history } = await context();
    const { validateAndWriteBack } = await import("../functions/pipeline/google-run.js");
    const run = (id: string) => validateAndWriteBack({ clients, spreadsheetId: id, yc, definition, history, maxChange: 0.5, now: new Date("2026-02-10T12:00:00Z") });
    // As the template was before: the tabs' protections name the project leaders and the units only.
    const without = { yc, definition, history, editors: {}, projectLeaders: [person], serviceAccount: person };
    const old = await createYearSpreadsheet(clients, without, standIn.sharedFolder("Gammal"));
    await expect(run(old.id)).rejects.toThrow(/protected cell/);
    // With the service account an editor of every protected range, the same run writes back.
    const now = await createYearSpreadsheet(clients, { ...without, serviceAccount: SERVICE_ACCOUNT }, standIn.sharedFolder("Ny"));
    await expect(run(now.id)).resolves.toBeDefined();
  });

  it("shares a report once, e-mails a reader without a Google account, and names an address a domain policy refuses", async () => {
    const { deliverToDrive } = await import("../functions/google/drive-sink.js");
    const folder = standIn.sharedFolder("Rapporter");
    const readers = ["sekreterare@stad.example", "ledamot@gmail-fritt.example"];
    standIn.drive.withoutGoogleAccount.add("ledamot@gmail-fritt.example");
    const before = standIn.count("drive.permission");
    const [first] = await deliverToDrive(clients, folder, [{ name: "r.pdf", data: "1" }], readers);
    // One refused without the e-mail, then made with it; then nothing more on the next run.
    expect(standIn.count("drive.permission") - before).toBe(3);
    expect(standIn.drive.readers(first!.id)).toEqual(readers);
    await deliverToDrive(clients, folder, [{ name: "r.pdf", data: "2" }], readers);
    expect(standIn.count("drive.permission") - before).toBe(3);

    standIn.drive.allowedDomains = ["stad.example"];
    const outside = await deliverToDrive(clients, folder, [{ name: "s.pdf", data: "1" }, { name: "t.pdf", data: "2" }], ["sekreterare@stad.example", "extern@annan.example"]);
    // Every report is delivered; each says which reader a domain policy refused, in Swedish.
    expect(outside).toHaveLength(2);
    for (const d of outside) expect(d.shareRefused).toMatch(/^Filen kunde inte delas med extern@annan\.example: organisationens regler/);
    const s = [...standIn.files.values()].find((f) => f.name === "s.pdf")!;
    expect(standIn.drive.readers(s.id)).toEqual(["sekreterare@stad.example"]);
    standIn.drive.allowedDomains = undefined;
  });
});
