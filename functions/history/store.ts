/**
 * The history store: one snapshot per validated year, never edited afterwards. A snapshot
 * records its inputs with content hashes, the catalogue version and when it was made.
 * Re-running a year replaces its snapshot only once the new one is fully written, and keeps
 * the one it replaced. The embedded default is a local folder; tests use memory.
 */
import type { ReportingRate } from "../model/records.js";
import { copyFile, mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";

import { HpError } from "../shared/errors.js";
import { z } from "../shared/zod.js";
import { History, type HistoryRecord, HistoryRecordSchema } from "./history.js";

const RecordSchema = z.object({
  year: z.int(),
  unit: z.string(),
  indicator: z.string(),
  breakdown: z.string(),
  value: z.union([z.number(), z.string()]).optional(),
  numerator: z.number().optional(),
  denominator: z.number().optional(),
  respondents: z.number().optional(),
  status: HistoryRecordSchema.shape.status,
  unconfirmed: z.boolean().optional(),
});

export const SnapshotSchema = z.object({
  year: z.int(),
  createdAt: z.iso.datetime(),
  catalogueVersion: z.string(),
  inputs: z.array(z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  records: z.array(RecordSchema),
  reporting: z.unknown().optional(),
  selfAssessments: z.array(z.object({ unit: z.string(), focusArea: z.string(), score: z.int().nullable() })).optional(),
  activities: z
    .array(
      z.object({
        unit: z.string(),
        focusArea: z.string(),
        activity: z.string(),
        followUp: z.string().nullable(),
        status: z.string().nullable(),
      }),
    )
    .optional(),
});
export type Snapshot = Omit<z.infer<typeof SnapshotSchema>, "records" | "reporting"> & {
  records: HistoryRecord[];
  reporting?: ReportingRate;
};

export interface HistoryStore {
  /** Years with a snapshot, ascending. */
  years(): Promise<number[]>;
  read(year: number): Promise<Snapshot | undefined>;
  /** Replaces the year's snapshot; the one it replaces is kept. */
  write(snapshot: Snapshot): Promise<void>;
  /** Snapshots that were replaced, oldest first. */
  previous(year: number): Promise<Snapshot[]>;
}

export class MemoryHistoryStore implements HistoryStore {
  private readonly current = new Map<number, Snapshot>();
  private readonly replaced = new Map<number, Snapshot[]>();

  async years() {
    return [...this.current.keys()].sort((a, b) => a - b);
  }
  async read(year: number) {
    return this.current.get(year);
  }
  async write(snapshot: Snapshot) {
    const old = this.current.get(snapshot.year);
    if (old) this.replaced.set(snapshot.year, [...(this.replaced.get(snapshot.year) ?? []), old]);
    this.current.set(snapshot.year, structuredClone(snapshot));
  }
  async previous(year: number) {
    return this.replaced.get(year) ?? [];
  }
}

/**
 * A folder: `<year>.json` is the snapshot in force; `tidigare/<year>-<time>.json` are the ones
 * it replaced. Writing goes to a temporary file that is flushed to disk, the old snapshot is
 * copied aside, and only then is the new one renamed into place – a crash at any point
 * leaves a complete snapshot in force.
 */
export class LocalHistoryStore implements HistoryStore {
  constructor(readonly dir: string) {}

  async years() {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names
      .map((n) => /^(\d{4})\.json$/.exec(n)?.[1])
      .filter((y): y is string => y !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async read(year: number) {
    return this.readFile(join(this.dir, `${year}.json`));
  }

  async previous(year: number) {
    const folder = join(this.dir, "tidigare");
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.startsWith(`${year}-`)).sort();
    const snapshots = await Promise.all(names.map((n) => this.readFile(join(folder, n))));
    return snapshots.filter((s): s is Snapshot => s !== undefined);
  }

  async write(snapshot: Snapshot) {
    await mkdir(join(this.dir, "tidigare"), { recursive: true });
    const target = join(this.dir, `${snapshot.year}.json`);
    const temporary = join(this.dir, `.${snapshot.year}.json.${process.pid}.tmp`);
    try {
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(`${JSON.stringify(snapshot, null, 1)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const old = await this.read(snapshot.year);
      if (old) {
        const stamp = old.createdAt.replace(/[:.]/g, "-");
        await copyFile(target, join(this.dir, "tidigare", `${snapshot.year}-${stamp}.json`));
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new HpError("io", `Historiken för ${snapshot.year} kunde inte sparas i ${this.dir}: ${(error as Error).message}`);
    }
  }

  private async readFile(path: string): Promise<Snapshot | undefined> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      return undefined;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new HpError("history", `Historikfilen ${path} är inte giltig JSON.`);
    }
    const parsed = SnapshotSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HpError("history", `Historikfilen ${path} har fel vid ${issue?.path.join(".")}: ${issue?.message}`);
    }
    return parsed.data as Snapshot;
  }
}

/**
 * The history a run sees: the bundled baseline file, with every year that the store has
 * replacing the baseline's records for that year.
 */
export async function combinedHistory(baseline: History, store: HistoryStore): Promise<History> {
  const stored = await store.years();
  const records = baseline.records.filter((r) => !stored.includes(r.year));
  for (const year of stored) records.push(...((await store.read(year))?.records ?? []));
  return new History(records);
}
