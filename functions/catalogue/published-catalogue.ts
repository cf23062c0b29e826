/**
 * The catalogue published to the bucket, so that the running functions follow a changed
 * catalogue (a new year, a new indicator) without a redeploy. Publishing validates the files
 * exactly as loading does and refuses a catalogue with errors; the object holds the four files
 * as they were written, and every version it replaced is kept under `katalog/tidigare/`. Where
 * nothing is published, the catalogue bundled with the functions is used.
 */
import type { Bucket } from "@google-cloud/storage";
import { saveIfGeneration, storageStatus } from "../shared/gcs-bucket.js";
import { HpError } from "../shared/errors.js";
import { z } from "../shared/zod.js";
import { CATALOGUE_FILES, type CatalogueSources, parseCatalogue } from "./load-catalogue.js";
import type { Catalogue } from "./schema.js";

const OBJECT = "katalog/katalog.json";

const PublishedSchema = z.strictObject({
  version: z.string(),
  publishedAt: z.iso.datetime(),
  publishedBy: z.string(),
  files: z.strictObject(Object.fromEntries(CATALOGUE_FILES.map((name) => [name, z.string()])) as Record<keyof CatalogueSources, z.ZodString>),
});

export interface PublishedCatalogue {
  catalogue: Catalogue;
  publishedAt: string;
  publishedBy: string;
  where: string;
}

const location = (bucket: Bucket) => `gs://${bucket.name}/${OBJECT}`;

/** The published catalogue, validated; undefined when none is published. */
export async function readPublishedCatalogue(bucket: Bucket): Promise<PublishedCatalogue | undefined> {
  let text: string;
  try {
    text = (await bucket.file(OBJECT).download())[0].toString("utf8");
  } catch (error) {
    if (storageStatus(error) === 404) return undefined;
    throw error;
  }
  const where = location(bucket);
  const parsed = PublishedSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new HpError("catalogue", `Den publicerade katalogen ${where} är skadad. Publicera katalogen igen med hp catalogue publish.`);
  const { files, publishedAt, publishedBy } = parsed.data;
  return { catalogue: parseCatalogue(files, where, (name) => `${where}: ${name}`), publishedAt, publishedBy, where };
}

/**
 * Publishes catalogue files after validating them; the same version again changes nothing.
 * Returns the catalogue and whether it replaced another version.
 */
export async function publishCatalogue(
  bucket: Bucket,
  sources: CatalogueSources,
  from: string,
  by: string,
  at: Date,
): Promise<{ catalogue: Catalogue; changed: boolean }> {
  const catalogue = parseCatalogue(sources, from, (name) => `${from}/${name}`);
  const file = bucket.file(OBJECT);
  let generation = 0;
  const [exists] = await file.exists();
  if (exists) {
    const [metadata] = await file.getMetadata();
    generation = Number(metadata.generation);
    const [data] = await bucket.file(OBJECT, { generation }).download();
    const current = PublishedSchema.safeParse(safeJson(data.toString("utf8")));
    if (current.success && current.data.version === catalogue.version) return { catalogue, changed: false };
    await file.copy(bucket.file(`katalog/tidigare/${generation}.json`));
  }
  const text = JSON.stringify({ version: catalogue.version, publishedAt: at.toISOString(), publishedBy: by, files: sources }, null, 2);
  try {
    await saveIfGeneration(file, text, generation);
  } catch (error) {
    if (storageStatus(error) === 412) throw new HpError("busy", "Någon annan publicerade katalogen samtidigt. Försök igen.");
    throw error;
  }
  return { catalogue, changed: true };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
