/**
 * The preflight: what a Google deployment needs, checked as the service account sees it, before
 * anything depends on it. `hp google check` prints it as a checklist, and every scheduled run
 * logs it first. Each failure says what to do. Nothing is changed but a probe object in the
 * bucket and, when readers are probed, a probe file in the report folder, both removed again.
 */
import { randomUUID } from "node:crypto";
import type { Bucket } from "@google-cloud/storage";
import { saveIfGeneration, storageStatus } from "../shared/gcs-bucket.js";
import { readMeta } from "../submission/read-submission.js";
import type { GoogleClients } from "./clients.js";
import { trashFile } from "./create-spreadsheet.js";
import { describeGoogleError, googleReasons } from "./errors.js";
import { callOptions } from "./retry.js";
import { DOMAIN_POLICY } from "./share.js";
import { READ_FIELDS, spreadsheetToGrid } from "./sheets-source.js";

export interface PreflightInput {
  clients: GoogleClients;
  year: number;
  /** The year's spreadsheet; undefined when the year has none. */
  spreadsheetId: string | undefined;
  folderId: string | undefined;
  readers: readonly string[];
  bucket: Bucket | undefined;
  sheets: { meta: string; status: string };
  /** Share a probe file with each reader (hp google check); the scheduled runs share for real. */
  probeReaders: boolean;
  /** HP_SERVICE_ACCOUNT: the account the checks must be made as. */
  serviceAccount?: string | undefined;
}

export interface Check {
  what: string;
  ok: boolean;
  /** What was found, or what is wrong. */
  detail: string;
  /** What to do, when not ok. */
  fix?: string;
}

const pass = (what: string, detail: string): Check => ({ what, ok: true, detail });
const fail = (what: string, detail: string, fix: string): Check => ({ what, ok: false, detail, fix });

export async function preflight(input: PreflightInput): Promise<Check[]> {
  const account = await input.clients.identity();
  const sa = account ?? "tjänstekontot";
  const checks: Check[] = [await accountCheck(input, account), 
    await bucketCheck(input.bucket, sa),
    ...(await spreadsheetChecks(input, sa)),
    ...(await folderChecks(input, sa)),
  ];
  return checks;
}

/**
 * That the checks below are made as the service account: a person's own sign-in would test the
 * person's access to the bucket, the spreadsheet and the folder, and pass where the functions fail.
 */
async function accountCheck(input: PreflightInput, account: string | undefined): Promise<Check> {
  const what = "Tjänstekonto";
  const acting = await input.clients.actingAs();
  const named = input.serviceAccount;
  const impersonate = `gcloud auth application-default login --impersonate-service-account=${named ?? "hp-pipeline@PROJEKT.iam.gserviceaccount.com"}`;
  if (acting.person) {
    return fail(what, "inloggningen är en person, inte tjänstekontot: kontrollerna skulle pröva personens rättigheter", `Agera som tjänstekontot: ${impersonate}`);
  }
  if (named && acting.email && acting.email.toLowerCase() !== named.toLowerCase()) {
    return fail(what, `inloggningen gäller ${acting.email}, inte HP_SERVICE_ACCOUNT ${named}`, `Agera som ${named}: ${impersonate}, eller rätta HP_SERVICE_ACCOUNT.`);
  }
  return account ? pass(what, account) : fail(what, "okänt", "Ange funktionernas tjänstekonto med HP_SERVICE_ACCOUNT.");
}

async function bucketCheck(bucket: Bucket | undefined, sa: string): Promise<Check> {
  const what = "Bucketen för historik, lås och register";
  if (!bucket) return fail(what, "HP_BUCKET saknas", "Skapa en bucket och ange den med HP_BUCKET.");
  const token = randomUUID();
  const probe = bucket.file(`register/.kontroll-${token}`);
  try {
    await saveIfGeneration(probe, JSON.stringify({ kontroll: token }), 0);
    await probe.delete({ ignoreNotFound: true });
    return pass(what, `gs://${bucket.name} kan skrivas`);
  } catch (error) {
    const status = storageStatus(error);
    if (status === 404) return fail(what, `gs://${bucket.name} finns inte`, `Skapa bucketen eller rätta HP_BUCKET.`);
    return fail(
      what,
      `gs://${bucket.name} kan inte skrivas (${status ?? (error as Error).message})`,
      `Ge ${sa} rollen Storage Object Admin (roles/storage.objectAdmin) på gs://${bucket.name}.`,
    );
  }
}

/** The year's spreadsheet: readable, writable, made for the year, and every protected range open to the service account. */
export async function spreadsheetChecks(input: Pick<PreflightInput, "clients" | "spreadsheetId" | "year" | "sheets">, sa: string): Promise<Check[]> {
  const what = `Kalkylarket för ${input.year}`;
  const { clients, spreadsheetId: id, year } = input;
  if (!id) return [fail(what, "inget kalkylark är registrerat", `Öppna året med hp year open ${year}.`)];
  const share = `Dela kalkylarket med ${sa} som redigerare.`;
  let canEdit: boolean;
  try {
    const file = await clients.drive.files.get({ fileId: id, supportsAllDrives: true, fields: "id,name,capabilities(canEdit)" }, callOptions(clients.retry, true));
    canEdit = file.data.capabilities?.canEdit === true;
  } catch (error) {
    return [fail(what, `kan inte läsas: ${describeGoogleError(error)}`, share)];
  }
  if (!canEdit) return [fail(what, "kan läsas men inte ändras", share)];
  let read: ReturnType<typeof spreadsheetToGrid>;
  try {
    const response = await clients.sheets.spreadsheets.get(
      { spreadsheetId: id, includeGridData: true, ranges: [`'${input.sheets.meta}'`], fields: READ_FIELDS },
      callOptions(clients.retry, true),
    );
    read = spreadsheetToGrid(response.data, input.sheets.status);
  } catch (error) {
    return [fail(what, `kan inte läsas: ${describeGoogleError(error)}`, share)];
  }
  const meta = read.grid.sheets.find((s) => s.name === input.sheets.meta);
  const sheetYear = meta ? readMeta(meta)?.year : undefined;
  if (sheetYear !== year) {
    return [fail(what, sheetYear ? `är mallen för ${sheetYear}, inte ${year}` : `saknar fliken ${input.sheets.meta}`, `Öppna ${year} med hp year open ${year}, som skapar årets kalkylark.`)];
  }
  const checks = [pass(what, `${id} kan läsas och ändras`)];
  checks.push(await protectionCheck(clients, id, sa));
  return checks;
}

/** The service account must be an editor of every protected range: it writes Kontroll, the status tab and the locks. */
async function protectionCheck(clients: GoogleClients, id: string, sa: string): Promise<Check> {
  const what = "Skyddade områden";
  const response = await clients.sheets.spreadsheets.get(
    { spreadsheetId: id, fields: "sheets(properties(title),protectedRanges(protectedRangeId,requestingUserCanEdit))" },
    callOptions(clients.retry, true),
  );
  const blocked = (response.data.sheets ?? [])
    .filter((s) => (s.protectedRanges ?? []).some((p) => p.requestingUserCanEdit !== true))
    .map((s) => s.properties?.title ?? "");
  if (blocked.length === 0) return pass(what, `${sa} kan skriva i alla skyddade områden`);
  return fail(
    what,
    `${sa} kan inte skriva i ${blocked.length === 1 ? "fliken" : "flikarna"} ${blocked.join(", ")}`,
    `Lägg till ${sa} som redigerare för ${blocked.length === 1 ? "fliken" : "flikarna"} under Data › Skydda ark och intervall.`,
  );
}

async function folderChecks(input: PreflightInput, sa: string): Promise<Check[]> {
  const what = "Mappen för rapporterna";
  const { clients, folderId } = input;
  if (!folderId) return [fail(what, "HP_DRIVE_FOLDER_ID saknas", "Skapa en mapp i en delad enhet och ange dess id med HP_DRIVE_FOLDER_ID.")];
  const member = `Lägg till ${sa} som Innehållsansvarig i den delade enheten.`;
  let folder: { mimeType?: string | null; driveId?: string | null; name?: string | null; capabilities?: { canAddChildren?: boolean | null; canShare?: boolean | null } | null };
  try {
    folder = (
      await clients.drive.files.get(
        { fileId: folderId, supportsAllDrives: true, fields: "id,name,mimeType,driveId,capabilities(canAddChildren,canShare)" },
        callOptions(clients.retry, true),
      )
    ).data;
  } catch (error) {
    return [fail(what, `hittas inte: ${describeGoogleError(error)}`, member)];
  }
  if (folder.mimeType !== "application/vnd.google-apps.folder") return [fail(what, `${folderId} är ingen mapp`, "Ange en mapps id med HP_DRIVE_FOLDER_ID.")];
  if (!folder.driveId) {
    return [fail(what, `"${folder.name}" ligger i någons Min enhet, där ett tjänstekonto inte kan skapa filer`, "Använd en mapp i en delad enhet (shared drive).")];
  }
  if (!folder.capabilities?.canAddChildren) return [fail(what, `${sa} kan inte skapa filer i "${folder.name}"`, member)];
  const checks = [pass(what, `"${folder.name}" i en delad enhet, och ${sa} kan skapa filer där`)];
  checks.push(input.probeReaders ? await readersProbe(input, folderId) : readersBrief(input, folder.capabilities.canShare === true, sa));
  return checks;
}

const READERS = "Läsarna av rapporterna";

function readersBrief(input: PreflightInput, canShare: boolean, sa: string): Check {
  if (input.readers.length === 0) return pass(READERS, "inga läsare angivna (HP_REPORT_READERS)");
  if (!canShare) return fail(READERS, `${sa} får inte dela filer i mappen`, `Lägg till ${sa} som Innehållsansvarig i den delade enheten.`);
  return pass(READERS, `${input.readers.length} läsare; delningen prövas med hp google check`);
}

/** Shares a probe file with each reader, without e-mail, and removes it: what a real delivery would meet. */
async function readersProbe(input: PreflightInput, folderId: string): Promise<Check> {
  const { clients, readers } = input;
  if (readers.length === 0) return pass(READERS, "inga läsare angivna (HP_REPORT_READERS)");
  const created = await clients.drive.files.create(
    { supportsAllDrives: true, fields: "id", requestBody: { name: "hp google check (tas bort)", parents: [folderId], mimeType: "application/vnd.google-apps.folder" } },
    callOptions(clients.retry, false),
  );
  const probeId = created.data.id!;
  const refused: string[] = [];
  const other: string[] = [];
  try {
    for (const email of readers) {
      try {
        await clients.drive.permissions.create(
          { fileId: probeId, sendNotificationEmail: false, supportsAllDrives: true, fields: "id", requestBody: { type: "user", role: "reader", emailAddress: email } },
          callOptions(clients.retry, true),
        );
      } catch (error) {
        const reason = googleReasons(error)[0];
        // No Google account: the delivery shares with the notification e-mail, which Drive accepts.
        if (reason === "invalidSharingRequest") continue;
        if (reason && DOMAIN_POLICY.has(reason)) refused.push(email);
        else other.push(`${email} (${describeGoogleError(error)})`);
      }
    }
  } finally {
    await trashFile(clients, probeId);
  }
  if (refused.length > 0) {
    return fail(
      READERS,
      `organisationens regler tillåter inte delning med ${refused.join(", ")}`,
      "Be Google-administratören tillåta delning med adressernas domän, eller ta bort dem ur HP_REPORT_READERS.",
    );
  }
  if (other.length > 0) return fail(READERS, `kunde inte delas med ${other.join("; ")}`, "Rätta adresserna i HP_REPORT_READERS.");
  return pass(READERS, `alla ${readers.length} kan få rapporterna`);
}

/** The checklist as a person reads it: ✓ or ✗ per check, and the fix under each failure. */
export function checklist(checks: readonly Check[]): string {
  return checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.what}: ${c.detail}${c.ok ? "" : `\n    Åtgärd: ${c.fix}`}`).join("\n");
}
