/**
 * The history store in Cloud Storage, shared by every function instance.
 * Writes use generation preconditions: a snapshot replaces the one in force only if that is
 * still the one we saw (ifGenerationMatch). An object write is atomic, so readers see the old snapshot or the
 * new one, never half of either. The replaced snapshot is copied aside first.
 */
import type { Bucket } from "@google-cloud/storage";
import { storageStatus as status } from "../shared/gcs-bucket.js";
import { HpError } from "../shared/errors.js";
import { type HistoryStore, type Snapshot, SnapshotSchema } from "./store.js";

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
