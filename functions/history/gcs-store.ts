/**
 * The history store in Cloud Storage, shared by every function instance: `historik/ÅR.json`
 * is the snapshot in force, `historik/tidigare/` keeps every version it replaced. A write
 * replaces the snapshot only if its generation is still the one the run read
 * (ifGenerationMatch), and the replaced version is copied aside first under its own name,
 * created only if absent. An object write is atomic, so readers see the old snapshot or the
 * new one, never half of either.
 */
import type { Bucket } from "@google-cloud/storage";
import { HpError, isHpError } from "../shared/errors.js";
import { saveIfGeneration, storageStatus as status } from "../shared/gcs-bucket.js";
import { HistoryConflictError, type HistoryStore, keptVersionName, oldestFirst, type Snapshot, SnapshotSchema, type StoredSnapshot } from "./store.js";

const PREFIX = "historik/";

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
    return (await this.current(year))?.snapshot;
  }

  async previous(year: number) {
    const [files] = await this.bucket.getFiles({ prefix: `${PREFIX}tidigare/${year}-` });
    const kept = await Promise.all(
      // The kept object's generation grows with every write: the order they were replaced in.
      files.map(async (f) => ({ snapshot: parse((await f.download())[0], f.name), replacedAt: Number(f.metadata.generation ?? 0) })),
    );
    return oldestFirst(kept);
  }

  async current(year: number): Promise<StoredSnapshot | undefined> {
    const file = this.bucket.file(`${PREFIX}${year}.json`);
    try {
      const [metadata] = await file.getMetadata();
      // The generation we saw, downloaded as such: a write in between cannot mix the two.
      const [data] = await this.bucket.file(file.name, { generation: Number(metadata.generation) }).download();
      return { snapshot: parse(data, file.name), version: String(metadata.generation) };
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }

  async write(snapshot: Snapshot, replaces: string | undefined) {
    const file = this.bucket.file(`${PREFIX}${snapshot.year}.json`);
    try {
      const inForce = await this.current(snapshot.year);
      if (inForce?.version !== replaces) throw new HistoryConflictError(snapshot.year);
      if (inForce) {
        const kept = this.bucket.file(`${PREFIX}tidigare/${keptVersionName(inForce.snapshot, inForce.version)}`);
        // Created only if absent: 412 means this very version is already kept (its name is its run's).
        await this.bucket
          .file(file.name, { generation: Number(inForce.version) })
          .copy(kept, { preconditionOpts: { ifGenerationMatch: 0 } })
          .catch((error: unknown) => {
            if (status(error) !== 412) throw error;
          });
      }
      await saveIfGeneration(file, `${JSON.stringify(snapshot, null, 1)}\n`, Number(inForce?.version ?? 0));
    } catch (error) {
      if (isHpError(error)) throw error;
      if (status(error) === 412) throw new HistoryConflictError(snapshot.year);
      throw new HpError("io", `Historiken för ${snapshot.year} kunde inte sparas i Cloud Storage: ${(error as Error).message}.`);
    }
  }
}

function parse(data: Buffer, name: string): Snapshot {
  let json: unknown;
  try {
    json = JSON.parse(data.toString("utf8"));
  } catch {
    throw new HpError("history", `Historikfilen ${name} i Cloud Storage är inte giltig JSON.`);
  }
  const result = SnapshotSchema.safeParse(json);
  if (!result.success) throw new HpError("history", `Historikfilen ${name} i Cloud Storage har fel: ${result.error.issues[0]?.message}`);
  return result.data as Snapshot;
}
