/**
 * Delivering reports to a Drive folder. A report that is already there (same name, same
 * folder) gets a new revision of the same file, so links people have keep working; a new one
 * is created. Board secretaries listed in the configuration get read access. Returns a link
 * per file.
 */
import { Readable } from "node:stream";
import { checkName, type ReportSink, type SinkFile } from "../output/report-sink.js";
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

/** A file to deliver: its name in the folder and its bytes. */
export interface Deliverable {
  name: string;
  data: Uint8Array | string;
}

export async function deliverToDrive(
  clients: GoogleClients,
  folderId: string,
  items: readonly Deliverable[],
  readers: readonly string[],
): Promise<DeliveredFile[]> {
  const delivered: DeliveredFile[] = [];
  for (const { name, data } of items) {
    const mimeType = MIME[name.slice(name.lastIndexOf("."))] ?? "application/octet-stream";
    const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
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

/**
 * The report sink on Drive: each published file is delivered as it is written (the folder is
 * flat, so "enheter/2025-bromma.pdf" is "2025-bromma.pdf" there). The project leader's files
 * are not for the report readers the folder is shared with, so they are left out.
 */
export class DriveSink implements ReportSink {
  constructor(
    private readonly clients: GoogleClients,
    private readonly folderId: string,
    private readonly readers: readonly string[],
  ) {}

  describe(): string {
    return `Drive-mappen ${this.folderId}`;
  }

  async write(name: string, data: Uint8Array | string, { published }: { published: boolean }): Promise<SinkFile | undefined> {
    checkName(name);
    if (!published) return undefined;
    const [file] = await deliverToDrive(this.clients, this.folderId, [{ name: name.split("/").at(-1)!, data }], this.readers);
    return { name, location: file!.id, link: file!.link, published };
  }
}
