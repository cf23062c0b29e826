/**
 * Configuration of the CLI, read once at the edge from flags and environment variables
 * through one zod schema. Nothing deeper reads process.env.
 */
import { HpError } from "../shared/errors.js";
import { defaultCatalogueDir, defaultHistoryDir, defaultHistoryFile } from "../shared/paths.js";
import { z } from "../shared/zod.js";

const CliConfigSchema = z.object({
  catalogueDir: z.string().min(1),
  /** Empty: no baseline file. */
  historyFile: z.string(),
  /** The history store: one snapshot per validated year. */
  historyDir: z.string().min(1),
  /** A Cloud Storage bucket for the history store instead of the folder (HP_BUCKET). */
  bucket: z.string().min(1).optional(),
  storageEndpoint: z.url().optional(),
  /** A Chromium to print with instead of @sparticuz/chromium's (HP_CHROMIUM_PATH). */
  chromiumPath: z.string().min(1).optional(),
  /** Document date for reproducible output (SOURCE_DATE_EPOCH, seconds). */
  now: z.date(),
});
export type CliConfig = z.infer<typeof CliConfigSchema>;

export function readCliConfig(
  flags: { catalogue?: string | undefined; history?: string | undefined; "history-dir"?: string | undefined },
  env: NodeJS.ProcessEnv,
): CliConfig {
  const epoch = env.SOURCE_DATE_EPOCH;
  let now = new Date();
  if (epoch !== undefined) {
    if (!/^\d+$/.test(epoch)) {
      throw new HpError("usage", `SOURCE_DATE_EPOCH ska vara ett heltal (sekunder sedan 1970), inte "${epoch}".`);
    }
    now = new Date(Number(epoch) * 1000);
  }
  const result = CliConfigSchema.safeParse({
    catalogueDir: flags.catalogue ?? env.HP_CATALOGUE_DIR ?? defaultCatalogueDir(),
    // With a bucket, history is the bucket's; the bundled example file is used only if asked for.
    historyFile: flags.history ?? env.HP_HISTORY_FILE ?? (env.HP_BUCKET ? "" : defaultHistoryFile()),
    historyDir: flags["history-dir"] ?? env.HP_HISTORY_DIR ?? defaultHistoryDir(),
    chromiumPath: env.HP_CHROMIUM_PATH || undefined,
    bucket: env.HP_BUCKET || undefined,
    storageEndpoint: env.HP_STORAGE_API_ENDPOINT || undefined,
    now,
  });
  if (!result.success) {
    throw new HpError("usage", `Ogiltig konfiguration: ${result.error.issues.map((i) => i.message).join("; ")}`);
  }
  return result.data;
}
