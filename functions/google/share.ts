/**
 * Sharing a file with people, once: the file's permissions are read first and only the missing
 * ones are added (a run that delivers 19 reports to the same readers does not share them again).
 * Drive refuses to share with an address that has no Google account unless it sends the
 * notification e-mail (which carries the link), so such a share is made again with the e-mail.
 * A domain policy that forbids sharing outside the organisation is told in Swedish, naming
 * the address and what to do.
 */
import type { drive_v3 } from "@googleapis/drive";
import { HpError } from "../shared/errors.js";
import type { GoogleClients } from "./clients.js";
import { googleReasons } from "./errors.js";
import { callOptions } from "./retry.js";

type Role = "reader" | "writer";
const RANK: Record<string, number> = { reader: 1, commenter: 2, writer: 3, fileOrganizer: 4, organizer: 5, owner: 6 };

/**
 * Gives each address at least `role` on the file. `notify`: send the notification e-mail to
 * everyone (the year's spreadsheet) or only to those Drive says need it (reports).
 */
export async function shareFile(clients: GoogleClients, fileId: string, emails: readonly string[], role: Role, notify: boolean): Promise<void> {
  const existing = await clients.drive.permissions.list(
    { fileId, supportsAllDrives: true, fields: "permissions(emailAddress,role)", pageSize: 100 },
    callOptions(clients.retry, true),
  );
  const has = new Map((existing.data.permissions ?? []).map((p: drive_v3.Schema$Permission) => [p.emailAddress?.toLowerCase(), RANK[p.role ?? ""] ?? 0]));
  const refused: string[] = [];
  for (const email of new Set(emails.map((e) => e.trim()))) {
    if ((has.get(email.toLowerCase()) ?? 0) >= RANK[role]!) continue;
    const create = (sendNotificationEmail: boolean) =>
      clients.drive.permissions.create(
        { fileId, sendNotificationEmail, supportsAllDrives: true, fields: "id", requestBody: { type: "user", role, emailAddress: email } },
        callOptions(clients.retry, true),
      );
    try {
      await create(notify);
    } catch (error) {
      const reason = googleReasons(error)[0];
      if (reason === "invalidSharingRequest" && !notify) await create(true);
      else if (reason && DOMAIN_POLICY.has(reason)) refused.push(email);
      else throw error;
    }
  }
  // The others are shared; the refused are named together, with what to do.
  if (refused.length > 0) {
    throw new HpError(
      "google",
      `Filen kunde inte delas med ${refused.join(", ")}: organisationens regler för Google Drive tillåter inte delning utanför organisationen. Be Google-administratören tillåta delning med adressernas domän, eller ta bort dem ur listan.`,
    );
  }
}

/** The reasons Drive gives when a domain policy forbids the share. */
export const DOMAIN_POLICY: ReadonlySet<string> = new Set(["shareOutNotPermitted", "publishOutNotPermitted", "teamDriveDomainUsersOnlyRestriction", "shareInNotPermitted"]);
