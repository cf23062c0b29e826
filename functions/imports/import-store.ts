/**
 * The imports of a year, one set per source, kept with the history: a file under the history
 * folder's `import/ÅR/KÄLLA.json`, or the object of that name in the bucket. A new import of
 * a source replaces its set for the year as a whole; the replaced set is kept under
 * `import/ÅR/tidigare/`, never overwritten. Written under the year's lock (hp import).
 *
 * A set holds counts and results only, with the export's name, size and SHA-256 and the row
 * numbers behind each value – never the rows themselves, which are about people.
 */
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Bucket } from "@google-cloud/storage";
import { IMPORT_SOURCES } from "../catalogue/schema.js";
import { HpError } from "../shared/errors.js";
import { saveIfGeneration, storageStatus } from "../shared/gcs-bucket.js";
import { writeFileAtomic } from "../shared/write-file-atomic.js";
import { z } from "../shared/zod.js";

const count = z.number().int().min(0);

export const ImportedValueSchema = z.strictObject({
  unit: z.string().min(1),
  indicator: z.string().min(1),
  breakdown: z.string().min(1),
  status: z.enum(["ok", "missing"]),
  value: z.number().optional(),
  numerator: count.optional(),
  denominator: count.optional(),
  respondents: count.optional(),
  /** The export's rows behind the value, as ranges ("2–14, 20"). */
  rows: z.string().max(100_000),
});

export const ImportSetSchema = z.strictObject({
  source: z.enum(IMPORT_SOURCES),
  year: z.int(),
  importedAt: z.iso.datetime(),
  by: z.string().min(1).max(200),
  runId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  file: z.strictObject({
    name: z.string().min(1).max(500),
    size: count,
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** How it was read: "CSV (semikolon, Windows-1252)", "Excel, fliken Blad1". */
    format: z.string().max(200),
  }),
  rowsRead: count,
  rowsUsed: count,
  values: z.array(ImportedValueSchema),
});
export type ImportSet = z.infer<typeof ImportSetSchema>;
export type StoredImportValue = z.infer<typeof ImportedValueSchema>;

export interface ImportStore {
  /** The year's sets, in the sources' order. */
  ofYear(year: number): Promise<ImportSet[]>;
  /** Makes the set its source's for the year, keeping the one it replaces. */
  write(set: ImportSet): Promise<void>;
}

const order = (sets: ImportSet[]) => sets.sort((a, b) => IMPORT_SOURCES.indexOf(a.source) - IMPORT_SOURCES.indexOf(b.source));
const keptName = (set: ImportSet) => `${set.source}-${set.importedAt.replace(/[:.]/g, "-")}-${set.runId}.json`;

function parse(text: string, where: string): ImportSet {
  try {
    return ImportSetSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new HpError("io", `Importen ${where} kan inte läsas (${(error as Error).message.split("\n")[0]}); importera källan igen.`);
  }
}

export class MemoryImportStore implements ImportStore {
  private readonly sets = new Map<string, ImportSet>();
  readonly replaced: ImportSet[] = [];

  async ofYear(year: number) {
    return order([...this.sets.values()].filter((s) => s.year === year).map((s) => structuredClone(s)));
  }

  async write(set: ImportSet) {
    const key = `${set.year}/${set.source}`;
    const old = this.sets.get(key);
    if (old) this.replaced.push(old);
    this.sets.set(key, ImportSetSchema.parse(structuredClone(set)));
  }
}

export class LocalImportStore implements ImportStore {
  constructor(private readonly historyDir: string) {}

  private dir(year: number) {
    return join(this.historyDir, "import", String(year));
  }

  async ofYear(year: number) {
    const dir = this.dir(year);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => IMPORT_SOURCES.some((s) => n === `${s}.json`));
    return order(await Promise.all(names.map(async (n) => parse(await readFile(join(dir, n), "utf8"), join(dir, n)))));
  }

  async write(set: ImportSet) {
    ImportSetSchema.parse(set);
    const dir = this.dir(set.year);
    const path = join(dir, `${set.source}.json`);
    const old = await readFile(path, "utf8").catch(() => undefined);
    if (old !== undefined) {
      await mkdir(join(dir, "tidigare"), { recursive: true });
      await writeFileAtomic(join(dir, "tidigare", keptName(parse(old, path))), old);
    }
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(set, null, 1)}\n`);
  }
}

export class GcsImportStore implements ImportStore {
  constructor(private readonly bucket: Bucket) {}

  async ofYear(year: number) {
    const sets = await Promise.all(
      IMPORT_SOURCES.map(async (source) => {
        const name = `import/${year}/${source}.json`;
        try {
          const [data] = await this.bucket.file(name).download();
          return parse(data.toString("utf8"), `gs://${this.bucket.name}/${name}`);
        } catch (error) {
          if (storageStatus(error) === 404) return undefined;
          throw error;
        }
      }),
    );
    return order(sets.filter((s): s is ImportSet => s !== undefined));
  }

  async write(set: ImportSet) {
    ImportSetSchema.parse(set);
    const file = this.bucket.file(`import/${set.year}/${set.source}.json`);
    try {
      const [old] = await file.download();
      await saveIfGeneration(this.bucket.file(`import/${set.year}/tidigare/${keptName(parse(old.toString("utf8"), file.name))}`), old.toString("utf8"), 0);
    } catch (error) {
      if (storageStatus(error) !== 404) throw error;
    }
    await file.save(JSON.stringify(set), { contentType: "application/json", resumable: false, validation: "md5" });
  }
}
