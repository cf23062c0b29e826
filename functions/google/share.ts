import type { GoogleClients } from "./clients.js";
import { callOptions } from "./retry.js";

/** Gives people edit access to a file (the year's spreadsheet), and puts it in a folder. */
export async function shareForEditing(clients: GoogleClients, fileId: string, emails: readonly string[], folderId?: string): Promise<void> {
  for (const email of new Set(emails)) {
    await clients.drive.permissions.create(
      { fileId, sendNotificationEmail: true, supportsAllDrives: true, requestBody: { type: "user", role: "writer", emailAddress: email } },
      callOptions(clients.retry, true),
    );
  }
  if (folderId) {
    await clients.drive.files.update({ fileId, addParents: folderId, supportsAllDrives: true, fields: "id" }, callOptions(clients.retry, true));
  }
}
