/**
 * Delivering reports to a Drive folder. A report that is already there (same name, same
 * folder) gets a new revision of the same file, so links people have keep working; a new one
 * is created. Board secretaries listed in the configuration get read access. Returns a link
 * per file.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import type { GoogleClients } from "./clients.js";
import { callOptions, withRetries } from "./retry.js";

export interface DeliveredFile {
  name: string;
  id: string;
  link: string;
  /** True when an earlier version was replaced by a new revision. */
  replaced: boolean;
}

const MIME: Record<string, string> = {
  ".pdf": "application/pdf",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".json": "application/json",
};

export async function deliverToDrive(
  clients: GoogleClients,
  folderId: string,
  paths: readonly string[],
  readers: readonly string[],
): Promise<DeliveredFile[]> {
  const delivered: DeliveredFile[] = [];
  for (const path of paths) {
    const name = basename(path);
    const mimeType = MIME[name.slice(name.lastIndexOf("."))] ?? "application/octet-stream";
    const bytes = await readFile(path);
    const file = await withRetries(clients.retry, async () => {
      // Looked up on every try: a create that reached Drive before its answer was lost is
      // found here and updated, instead of being created twice.
      const existing = await findFile(clients, folderId, name);
      const media = { mimeType, body: Readable.from(bytes) };
      // The client builds upload URLs from the call's own rootUrl, not the client's.
      const noRetry = { ...callOptions(clients.retry, false), ...(clients.rootUrl ? { rootUrl: clients.rootUrl } : {}) };
      if (existing) {
        const res = await clients.drive.files.update({ fileId: existing, media, fields: "id,webViewLink", supportsAllDrives: true }, noRetry);
        return { id: res.data.id!, link: res.data.webViewLink ?? "", replaced: true };
      }
      const res = await clients.drive.files.create(
        { requestBody: { name, parents: [folderId], mimeType }, media, fields: "id,webViewLink", supportsAllDrives: true },
        noRetry,
      );
      return { id: res.data.id!, link: res.data.webViewLink ?? "", replaced: false };
    });
    for (const email of readers) {
      await clients.drive.permissions.create(
        { fileId: file.id, sendNotificationEmail: false, supportsAllDrives: true, requestBody: { type: "user", role: "reader", emailAddress: email } },
        callOptions(clients.retry, true),
      );
    }
    delivered.push({ name, ...file });
  }
  return delivered;
}

async function findFile(clients: GoogleClients, folderId: string, name: string): Promise<string | undefined> {
  const q = `'${folderId.replaceAll("'", "\\'")}' in parents and name = '${name.replaceAll("'", "\\'")}' and trashed = false`;
  const res = await clients.drive.files.list(
    { q, fields: "files(id)", pageSize: 1, supportsAllDrives: true, includeItemsFromAllDrives: true },
    callOptions(clients.retry, true),
  );
  return res.data.files?.[0]?.id ?? undefined;
}
