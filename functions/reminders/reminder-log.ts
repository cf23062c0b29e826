/**
 * Every reminder sent or refused, with who sent it, when and to whom: one small record per
 * unit and attempt, written once (a file under the history folder's `påminnelser/ÅR/`, or an
 * object under `påminnelser/ÅR/` in the bucket). The log is what keeps a unit from being
 * reminded twice on one day, whoever sends: the page, the CLI or the schedule.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Bucket } from "@google-cloud/storage";
import { formatStockholmDay } from "../shared/format-sv.js";
import { saveIfGeneration } from "../shared/gcs-bucket.js";
import { z } from "../shared/zod.js";
import { OCCASIONS } from "./rules.js";

export const ReminderRecordSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  year: z.int(),
  /** The unit's id (or central). */
  unit: z.string().regex(/^[a-z0-9-]{1,64}$/),
  occasion: z.enum(OCCASIONS),
  by: z.string().max(200),
  at: z.iso.datetime(),
  /** The addresses the mail server took. */
  to: z.array(z.string()),
  /** Addresses not sent to, and why: not an address, or refused by the server. */
  refused: z.array(z.strictObject({ email: z.string().max(300), reason: z.string().max(500) })),
  /** Sent to at least one contact. */
  ok: z.boolean(),
  /** One sentence: the server's message id, or why nothing was sent. */
  result: z.string().max(1000),
});
export type ReminderRecord = z.infer<typeof ReminderRecordSchema>;

export interface ReminderLog {
  add(record: ReminderRecord): Promise<void>;
  /** The year's reminders, newest first. */
  ofYear(year: number): Promise<ReminderRecord[]>;
}

/** The units already reminded on the Stockholm day of `now`. */
export function remindedOn(records: readonly ReminderRecord[], now: Date): Set<string> {
  const day = formatStockholmDay(now);
  return new Set(records.filter((r) => r.ok && formatStockholmDay(new Date(r.at)) === day).map((r) => r.unit));
}

/** A record's name sorts by its time: newest last. */
const nameOf = (r: ReminderRecord) => `${r.at.replace(/[:.]/g, "-")}-${r.unit}-${r.id}.json`;

function parse(text: string): ReminderRecord | undefined {
  try {
    return ReminderRecordSchema.parse(JSON.parse(text));
  } catch {
    return undefined; // A damaged record is left out of the list, never fatal for the page.
  }
}

const newestFirst = (records: ReminderRecord[]) => records.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

export class MemoryReminderLog implements ReminderLog {
  private readonly records = new Map<string, ReminderRecord>();

  async add(record: ReminderRecord) {
    const name = `${record.year}/${nameOf(record)}`;
    const known = this.records.get(name);
    // Like the stored logs: written once; the same record again is a retry, another is refused.
    if (known && JSON.stringify(known) !== JSON.stringify(record)) throw new Error(`Påminnelsen ${record.id} finns redan i loggen.`);
    this.records.set(name, ReminderRecordSchema.parse(record));
  }

  async ofYear(year: number) {
    return newestFirst([...this.records.values()].filter((r) => r.year === year).map((r) => structuredClone(r)));
  }
}

export class LocalReminderLog implements ReminderLog {
  constructor(private readonly historyDir: string) {}

  private dir(year: number) {
    return join(this.historyDir, "påminnelser", String(year));
  }

  async add(record: ReminderRecord) {
    await mkdir(this.dir(record.year), { recursive: true });
    const path = join(this.dir(record.year), nameOf(ReminderRecordSchema.parse(record)));
    // Created only if absent; the same record again is a retry, another one is refused.
    await writeFile(path, JSON.stringify(record), { flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST" || (await readFile(path, "utf8")) !== JSON.stringify(record)) throw error;
    });
  }

  async ofYear(year: number) {
    const dir = this.dir(year);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json"));
    const records = await Promise.all(names.map(async (n) => parse(await readFile(join(dir, n), "utf8").catch(() => ""))));
    return newestFirst(records.filter((r): r is ReminderRecord => r !== undefined));
  }
}

export class GcsReminderLog implements ReminderLog {
  constructor(private readonly bucket: Bucket) {}

  async add(record: ReminderRecord) {
    await saveIfGeneration(this.bucket.file(`påminnelser/${record.year}/${nameOf(ReminderRecordSchema.parse(record))}`), JSON.stringify(record), 0);
  }

  async ofYear(year: number) {
    const [files] = await this.bucket.getFiles({ prefix: `påminnelser/${year}/` });
    const records = await Promise.all(files.map(async (f) => parse((await f.download())[0].toString("utf8"))));
    return newestFirst(records.filter((r): r is ReminderRecord => r !== undefined));
  }
}
