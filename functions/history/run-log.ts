/**
 * The log of runs the functions made – scheduled and on demand – for the project leader's page:
 * who, when, what and how it ended. One small record per run, written when it ends (a file in
 * the history folder's `körningar/`, or an object under `körningar/` in the bucket), so two
 * instances never write the same record and nothing is rewritten.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Bucket } from "@google-cloud/storage";
import { saveIfGeneration } from "../shared/gcs-bucket.js";
import { z } from "../shared/zod.js";

/** What a run saw of one unit (pipeline/unit-digest.ts): its files' SHA-256, a hash of its values, a short hash per finding. */
export const UnitDigestSchema = z.strictObject({
  files: z.array(z.string()),
  values: z.string(),
  findings: z.array(z.string()),
});
export type UnitDigest = z.infer<typeof UnitDigestSchema>;

export const RunRecordSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  year: z.int(),
  steps: z.array(z.enum(["validate", "report", "preview"])),
  by: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  ok: z.boolean(),
  /** One sentence: the counts, or why it failed. */
  result: z.string(),
  /** The reports it delivered: their names and where they are (Drive, or the output folder). */
  links: z.array(z.strictObject({ name: z.string(), link: z.string() })).optional(),
  /** What it saw of each unit, for "sedan förra körningen" on the page. */
  units: z.record(z.string(), UnitDigestSchema).optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export interface RunLog {
  add(record: RunRecord): Promise<void>;
  /** The latest runs, newest first. */
  latest(count: number): Promise<RunRecord[]>;
}

/** The record's name sorts by its start: newest last. */
const nameOf = (r: RunRecord) => `${r.startedAt.replace(/[:.]/g, "-")}-${r.id}.json`;

function parse(text: string): RunRecord | undefined {
  try {
    return RunRecordSchema.parse(JSON.parse(text));
  } catch {
    return undefined; // A damaged record is left out of the list, never fatal for the page.
  }
}

/** The run log in memory: for tests and one-off runs. */
export class MemoryRunLog implements RunLog {
  private readonly records = new Map<string, RunRecord>();

  async add(record: RunRecord) {
    const name = nameOf(record);
    const known = this.records.get(name);
    // Like the stored logs: written once; the same record again is a retry, another is refused.
    if (known && JSON.stringify(known) !== JSON.stringify(record)) throw new Error(`Körningen ${record.id} finns redan i loggen.`);
    this.records.set(name, RunRecordSchema.parse(record));
  }

  async latest(count: number) {
    return [...this.records.keys()]
      .sort()
      .slice(-count)
      .reverse()
      .map((n) => structuredClone(this.records.get(n)!));
  }
}

export class LocalRunLog implements RunLog {
  private readonly dir: string;
  constructor(historyDir: string) {
    this.dir = join(historyDir, "körningar");
  }

  async add(record: RunRecord) {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, nameOf(record));
    // Created only if absent; the same record again is a retry, another one is refused.
    await writeFile(path, JSON.stringify(record), { flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST" || (await readFile(path, "utf8")) !== JSON.stringify(record)) throw error;
    });
  }

  async latest(count: number) {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json")).sort().slice(-count).reverse();
    const records = await Promise.all(names.map(async (n) => parse(await readFile(join(this.dir, n), "utf8").catch(() => ""))));
    return records.filter((r): r is RunRecord => r !== undefined);
  }
}

export class GcsRunLog implements RunLog {
  constructor(private readonly bucket: Bucket) {}

  async add(record: RunRecord) {
    // Created only if absent; a retry after a lost answer recognises its own first attempt.
    await saveIfGeneration(this.bucket.file(`körningar/${nameOf(record)}`), JSON.stringify(record), 0);
  }

  async latest(count: number) {
    const [files] = await this.bucket.getFiles({ prefix: "körningar/" });
    const newest = files.map((f) => f.name).sort().slice(-count).reverse();
    const records = await Promise.all(newest.map(async (n) => parse((await this.bucket.file(n).download())[0].toString("utf8"))));
    return records.filter((r): r is RunRecord => r !== undefined);
  }
}
