/**
 * The history store and the year lock in Cloud Storage, shared by every function instance.
 * Writes use generation preconditions: a snapshot replaces the one in force only if that is
 * still the one we saw (ifGenerationMatch), and the lock object is created only if absent
 * (ifGenerationMatch: 0). An object write is atomic, so readers see the old snapshot or the
 * new one, never half of either. The replaced snapshot is copied aside first.
 */
import type { Bucket, Storage } from "@google-cloud/storage";
import { HpError } from "../shared/errors.js";
import { YearBusyError, type YearLock, STALE_AFTER_MS } from "../cloud/year-lock.js";
import { type HistoryStore, type Snapshot, SnapshotSchema } from "./store.js";

const PREFIX = "historik/";

export async function gcsBucket(name: string, apiEndpoint?: string): Promise<Bucket> {
  const { Storage } = await import("@google-cloud/storage");
  const storage: Storage = apiEndpoint ? new Storage({ apiEndpoint, projectId: "lokal" }) : new Storage();
  return storage.bucket(name);
}

const status = (error: unknown) => (error as { code?: number }).code;

export class GcsHistoryStore implements HistoryStore {
  constructor(private readonly bucket: Bucket) {}

  async years() {
    const [files] = await this.bucket.getFiles({ prefix: PREFIX });
    return files
      .map((f) => /^historik\/(\d{4})\.json$/.exec(f.name)?.[1])
      .filter((y): y is string => y !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async read(year: number) {
    return (await this.readWithGeneration(year))?.snapshot;
  }

  async previous(year: number) {
    const [files] = await this.bucket.getFiles({ prefix: `${PREFIX}tidigare/${year}-` });
    const snapshots = await Promise.all(files.map(async (f) => parse((await f.download())[0], f.name)));
    return snapshots.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async write(snapshot: Snapshot) {
    const file = this.bucket.file(`${PREFIX}${snapshot.year}.json`);
    const current = await this.readWithGeneration(snapshot.year);
    try {
      if (current) {
        const stamp = current.snapshot.createdAt.replace(/[:.]/g, "-");
        await file.copy(this.bucket.file(`${PREFIX}tidigare/${snapshot.year}-${stamp}.json`));
      }
      await file.save(`${JSON.stringify(snapshot, null, 1)}\n`, {
        resumable: false,
        validation: "md5",
        contentType: "application/json",
        preconditionOpts: { ifGenerationMatch: current?.generation ?? 0 },
      });
    } catch (error) {
      const why = status(error) === 412 ? "en annan körning hann skriva året under tiden" : (error as Error).message;
      throw new HpError("io", `Historiken för ${snapshot.year} kunde inte sparas i Cloud Storage: ${why}.`);
    }
  }

  private async readWithGeneration(year: number): Promise<{ snapshot: Snapshot; generation: number } | undefined> {
    const file = this.bucket.file(`${PREFIX}${year}.json`);
    try {
      const [metadata] = await file.getMetadata();
      // The generation we saw, downloaded as such: a write in between cannot mix the two.
      const [data] = await this.bucket.file(file.name, { generation: Number(metadata.generation) }).download();
      return { snapshot: parse(data, file.name), generation: Number(metadata.generation) };
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }
}

function parse(data: Buffer, name: string): Snapshot {
  const result = SnapshotSchema.safeParse(JSON.parse(data.toString("utf8")));
  if (!result.success) throw new HpError("history", `Historikfilen ${name} i Cloud Storage har fel: ${result.error.issues[0]?.message}`);
  return result.data as Snapshot;
}

/** The year's lock as an object created only if absent; a stale one is taken over by generation. */
export function gcsYearLock(bucket: Bucket): YearLock {
  return {
    async withLock(year, owner, work) {
      const file = bucket.file(`lås/${year}`);
      const body = JSON.stringify({ owner, since: new Date().toISOString() });
      let generation: number | undefined;
      for (let attempt = 0; attempt < 2 && generation === undefined; attempt++) {
        try {
          await file.save(body, { resumable: false, validation: "md5", contentType: "application/json", preconditionOpts: { ifGenerationMatch: 0 } });
          generation = Number((await file.getMetadata())[0].generation);
        } catch (error) {
          if (status(error) !== 412) throw error;
          const [metadata] = await file.getMetadata();
          const age = Date.now() - new Date(metadata.timeCreated ?? Date.now()).getTime();
          if (age <= STALE_AFTER_MS) throw new YearBusyError(year, (await file.download())[0].toString());
          await file.delete({ ifGenerationMatch: Number(metadata.generation) }).catch(() => undefined);
        }
      }
      if (generation === undefined) throw new YearBusyError(year, "okänd");
      try {
        return await work();
      } finally {
        await file.delete({ ifGenerationMatch: generation }).catch(() => undefined);
      }
    },
  };
}
