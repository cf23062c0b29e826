/**
 * Delivering reports to a Drive folder. A report that is already there (same name, same
 * folder) gets a new revision of the same file, so links people have keep working; a new one
 * is created. Board secretaries listed in the configuration get read access, once (see share).
 * The folder is in a shared drive: a service account cannot own files. Returns a link per file.
 */
import { Readable } from "node:stream";
import { GatheredSet, OUTPUT_TYPES, type OutputSet, type ReportSink } from "../output/report-sink.js";
import type { GoogleClients } from "./clients.js";
import { HpError } from "../shared/errors.js";
import { lowerFirst } from "../shared/format-sv.js";
import { callOptions, withRetries } from "./retry.js";
import { shareFile } from "./share.js";

export interface DeliveredFile {
  name: string;
  id: string;
  link: string;
  /** True when an earlier version was replaced by a new revision. */
  replaced: boolean;
  /** Why some readers could not be given access (a domain policy), when so. */
  shareRefused?: string;
}


/** A file to deliver: its name in the folder and its bytes. */
export interface Deliverable {
  name: string;
  data: Uint8Array | string;
}

/** The file property that names the set a report belongs to ("2025"). */
const SET_PROPERTY = "hpUppsattning";

export async function deliverToDrive(
  clients: GoogleClients,
  folderId: string,
  items: readonly Deliverable[],
  readers: readonly string[],
  set?: string,
): Promise<DeliveredFile[]> {
  const appProperties = set === undefined ? undefined : { [SET_PROPERTY]: set };
  const delivered: DeliveredFile[] = [];
  for (const { name, data } of items) {
    const mimeType = OUTPUT_TYPES[name.slice(name.lastIndexOf("."))] ?? "application/octet-stream";
    const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const file = await withRetries(clients.retry, async () => {
      // Looked up on every try: a create that reached Drive before its answer was lost is
      // found here and updated, instead of being created twice.
      const existing = await findFile(clients, folderId, name);
      const media = { mimeType, body: Readable.from(bytes) };
      // The client builds upload URLs from the call's own rootUrl, not the client's.
      const noRetry = { ...callOptions(clients.retry, false), ...(clients.rootUrl ? { rootUrl: clients.rootUrl } : {}) };
      if (existing) {
        const res = await clients.drive.files.update(
          { fileId: existing, media, fields: "id,webViewLink", supportsAllDrives: true, ...(appProperties ? { requestBody: { appProperties } } : {}) },
          noRetry,
        );
        return { id: res.data.id!, link: res.data.webViewLink ?? "", replaced: true };
      }
      const res = await clients.drive.files.create(
        { requestBody: { name, parents: [folderId], mimeType, ...(appProperties ? { appProperties } : {}) }, media, fields: "id,webViewLink", supportsAllDrives: true },
        noRetry,
      );
      return { id: res.data.id!, link: res.data.webViewLink ?? "", replaced: false };
    });
    // Shared once: a new revision keeps the file's permissions, so only a new reader is added.
    // A share a domain policy refuses does not stop the other reports from being delivered.
    let shareRefused: string | undefined;
    if (readers.length > 0) {
      await shareFile(clients, file.id, readers, "reader", false).catch((error: unknown) => {
        if (!(error instanceof HpError)) throw error;
        shareRefused = error.message;
      });
    }
    delivered.push({ name, ...file, ...(shareRefused ? { shareRefused } : {}) });
  }
  return delivered;
}

/** Moves to the trash the set's files in the folder that the new set does not have: they hold old figures. */
async function trashLeftOver(clients: GoogleClients, folderId: string, set: string, keep: ReadonlySet<string>): Promise<void> {
  const q = `'${quoted(folderId)}' in parents and appProperties has { key='${SET_PROPERTY}' and value='${quoted(set)}' } and trashed = false`;
  const res = await clients.drive.files.list(
    { q, fields: "files(id,name)", pageSize: 1000, supportsAllDrives: true, includeItemsFromAllDrives: true },
    callOptions(clients.retry, true),
  );
  for (const file of res.data.files ?? []) {
    if (!file.id || keep.has(file.id)) continue;
    await clients.drive.files.update({ fileId: file.id, supportsAllDrives: true, requestBody: { trashed: true } }, callOptions(clients.retry, true));
  }
}

const quoted = (text: string) => text.replaceAll("\\", "\\\\").replaceAll("'", "\\'");

async function findFile(clients: GoogleClients, folderId: string, name: string): Promise<string | undefined> {
  const q = `'${quoted(folderId)}' in parents and name = '${quoted(name)}' and trashed = false`;
  const res = await clients.drive.files.list(
    { q, fields: "files(id)", pageSize: 1, supportsAllDrives: true, includeItemsFromAllDrives: true },
    callOptions(clients.retry, true),
  );
  return res.data.files?.[0]?.id ?? undefined;
}

/**
 * The report sink on Drive. A run's files are gathered while they are made and delivered
 * only once every one of them exists, so a run that fails half-way changes nothing in the
 * folder, and readers see the new set arrive within the seconds the uploads take instead of
 * over a whole run; a report of the year that the new set does not have (a page that could
 * not be made) goes to the trash rather than stay with old figures. The folder is flat, so "enheter/2025-bromma.pdf" is "2025-bromma.pdf"
 * there. The project leader's files are not for the report readers the folder is shared
 * with, so they are left out.
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

  async begin(set: string): Promise<OutputSet> {
    const gathered = new GatheredSet();
    return {
      write: (name, data, options) => gathered.write(name, data, options),
      commit: async () => {
        const published = [...gathered.files].filter(([, f]) => f.published);
        const delivered = await deliverToDrive(
          this.clients,
          this.folderId,
          published.map(([name, f]) => ({ name: name.split("/").at(-1)!, data: f.data })),
          this.readers,
          set,
        );
        await trashLeftOver(this.clients, this.folderId, set, new Set(delivered.map((d) => d.id)));
        // The set is delivered whole; a reader who could not be given access is still an error to act on.
        const refused = delivered.find((d) => d.shareRefused)?.shareRefused;
        if (refused) throw new HpError("google", `Rapporterna är levererade, men ${lowerFirst(refused)}`);
        return published.map(([name], i) => ({ name, location: delivered[i]!.id, link: delivered[i]!.link, published: true }));
      },
      discard: async () => {
        gathered.files.clear();
      },
    };
  }
}
