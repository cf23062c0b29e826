/**
 * The Cloud Functions' configuration: environment variables, read once at start-up through
 * one zod schema, with a clear error that lists what is wrong. Nothing deeper reads
 * process.env.
 */
import { join } from "node:path";
import { HpError } from "../shared/errors.js";
import { defaultCatalogueDir, defaultHistoryFile, projectRoot } from "../shared/paths.js";
import { z } from "../shared/zod.js";

const emails = z
  .string()
  .transform((s) => s.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email()));

const CloudConfigSchema = z
  .object({
    /** "local": a folder of .xlsx in, a local folder out (no Google account); "google": Sheets and Drive. */
    HP_BACKEND: z.enum(["local", "google"]).default("local"),
    /** The reporting year the scheduled functions work on; default the latest opened year. */
    HP_YEAR: z.coerce.number().int().min(2000).max(2100).optional(),
    HP_CATALOGUE_DIR: z.string().min(1).default(defaultCatalogueDir()),
    /** Earlier years as a file, beside the store. Default: the bundled example history, but
     * only with the local backend; on Google, history is what the bucket holds. */
    HP_HISTORY_FILE: z.string().min(1).optional(),
    HP_HISTORY_DIR: z.string().min(1).default(join(projectRoot(), "data", "historik")),
    /** local backend: where the workbooks are, and where reports go. */
    HP_INPUT_DIR: z.string().min(1).default(join(projectRoot(), "sheets", "exempel")),
    HP_OUT_DIR: z.string().min(1).default(join(projectRoot(), "out")),
    /** google backend: the year's spreadsheet, the Drive folder for reports, who may read them. */
    HP_SPREADSHEET_ID: z.string().min(1).optional(),
    HP_DRIVE_FOLDER_ID: z.string().min(1).optional(),
    HP_REPORT_READERS: emails.default([]),
    /** Cloud Storage bucket for the history store and the year lock, shared by all instances. */
    HP_BUCKET: z.string().min(1).optional(),
    /** Another Cloud Storage endpoint than Google's (tests, emulators). */
    HP_STORAGE_API_ENDPOINT: z.url().optional(),
    /** runOnDemand: who may call it (Google accounts), and the audience their ID tokens are for. */
    HP_ALLOWED_EMAILS: emails.default([]),
    HP_AUDIENCE: z.string().min(1).optional(),
    /** Public keys that sign ID tokens, as JSON {kid: PEM}; default Google's. For tests. */
    HP_ID_TOKEN_CERTS: z.string().optional(),
    /** Local development only: accept calls without a token. Refused on Cloud Run/Functions. */
    HP_AUTH_DISABLED: z.enum(["0", "1"]).default("0"),
    HP_CHROMIUM_PATH: z.string().min(1).optional(),
    /** Set by Cloud Functions (2nd gen) on every instance. */
    K_SERVICE: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    const need = (ok: boolean, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: "custom", path: [path], message });
    };
    if (c.HP_BACKEND === "google") {
      need(!!c.HP_SPREADSHEET_ID, "HP_SPREADSHEET_ID", "behövs med HP_BACKEND=google");
      need(!!c.HP_DRIVE_FOLDER_ID, "HP_DRIVE_FOLDER_ID", "behövs med HP_BACKEND=google");
      need(!!c.HP_BUCKET, "HP_BUCKET", "behövs med HP_BACKEND=google: historiken och låset delas mellan instanserna där");
    }
    if (c.HP_AUTH_DISABLED === "1") {
      need(!c.K_SERVICE, "HP_AUTH_DISABLED", "får inte användas i Cloud Functions");
    } else {
      need(!!c.HP_AUDIENCE, "HP_AUDIENCE", "behövs för att kontrollera anroparnas ID-token (funktionens URL)");
      need(c.HP_ALLOWED_EMAILS.length > 0, "HP_ALLOWED_EMAILS", "behövs: vilka som får köra runOnDemand");
    }
  });
export type CloudConfig = z.infer<typeof CloudConfigSchema>;

export function readCloudConfig(env: NodeJS.ProcessEnv): CloudConfig {
  const result = CloudConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new HpError("usage", `Felaktig konfiguration av funktionerna:\n${lines}`);
  }
  const config = result.data;
  return {
    ...config,
    HP_HISTORY_FILE: config.HP_HISTORY_FILE ?? (config.HP_BACKEND === "local" ? defaultHistoryFile() : undefined),
  };
}
