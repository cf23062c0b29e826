/**
 * The one configuration of the CLI and the functions: every HP_* variable (and
 * SOURCE_DATE_EPOCH) through one zod schema, with the same defaults for both. The edges pass
 * their environment here, once; the CLI's flags override the variables. Nothing deeper reads the
 * environment. A bad configuration is one HpError that lists everything that is wrong.
 */
import { join, resolve } from "node:path";
import { HpError } from "../shared/errors.js";
import { defaultCatalogueDir, defaultHistoryDir, defaultHistoryFile, projectRoot } from "../shared/paths.js";
import { z } from "../shared/zod.js";

const emails = z
  .string()
  .transform((s) => s.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email()));
const optionalText = z.string().optional().transform((s) => (s ? s : undefined));

const EnvSchema = z.object({
  /** "local": a folder of .xlsx in, a local folder out (no Google account); "google": Sheets and Drive. */
  HP_BACKEND: z.enum(["local", "google"]).default("local"),
  /** The reporting year the scheduled functions work on; default the latest opened year. */
  HP_YEAR: z.coerce.number().int().min(2000).max(2100).optional(),
  /** The catalogue's folder. Default: the one published to HP_BUCKET, else the bundled one. */
  HP_CATALOGUE_DIR: optionalText,
  /** Earlier years as a file. Default: the bundled example history, unless history is in a bucket. */
  HP_HISTORY_FILE: z.string().optional(),
  /** The history store's folder (embedded default) and the year lock's. */
  HP_HISTORY_DIR: z.string().min(1).default(defaultHistoryDir()),
  /** The functions' local backend: where the workbooks are, and where reports go. */
  HP_INPUT_DIR: z.string().min(1).default(join(projectRoot(), "sheets", "exempel")),
  HP_OUT_DIR: z.string().min(1).default(join(projectRoot(), "out")),
  /** The officials' text for the board paper, ÅR.md per year (the local backend; Google has a tab). */
  HP_TEXT_DIR: z.string().min(1).default(join(projectRoot(), "sheets", "rapporttext")),
  /**
   * google backend: the spreadsheet for a year `hp year open` has not recorded (deployments from
   * before the register; a run refuses a spreadsheet made for another year), the Drive folder
   * for reports, and who may read them.
   */
  HP_SPREADSHEET_ID: optionalText,
  HP_DRIVE_FOLDER_ID: optionalText,
  HP_REPORT_READERS: emails.default([]),
  /** Cloud Storage bucket for the history store and the year lock, shared by all instances. */
  HP_BUCKET: optionalText,
  /** Another Cloud Storage endpoint than Google's (tests, emulators). */
  HP_STORAGE_API_ENDPOINT: z.union([z.literal(""), z.url()]).optional().transform((s) => s || undefined),
  /** Another Sheets/Drive endpoint than Google's (tests), and a fixed access token for the CLI. */
  HP_GOOGLE_API_ROOT: z.union([z.literal(""), z.url()]).optional().transform((s) => s || undefined),
  HP_GOOGLE_ACCESS_TOKEN: optionalText,
  /**
   * The functions' service account, which writes the findings back: an editor of every protected
   * range of the year's spreadsheet. Default: the account the credentials are for.
   */
  HP_SERVICE_ACCOUNT: z.union([z.literal(""), z.email()]).optional().transform((s) => s || undefined),
  /**
   * runOnDemand: who may call it (Google accounts), and the audiences their bearer ID tokens
   * may be for, comma-separated: the function's URL and gcloud's own client for `gcloud auth
   * print-identity-token`. The page's sign-in client is not one of them: a token the page signed
   * in with is for the page only, and a bearer token never signs in to the page.
   */
  HP_ALLOWED_EMAILS: emails.default([]),
  /** The OAuth client (Google Identity Services) the project leader's page signs in with: the page's one audience. */
  HP_OAUTH_CLIENT_ID: optionalText,
  /**
   * The host names the page and the functions answer to, comma-separated (the function's
   * Cloud Run or cloudfunctions.net host); localhost always. Locally nothing else is answered,
   * so a web page on another site cannot reach this machine's functions through DNS rebinding.
   */
  HP_HOSTS: z
    .string()
    .optional()
    .transform((s) => (s ?? "").split(",").map((a) => a.trim().toLowerCase()).filter(Boolean)),
  HP_AUDIENCE: z
    .string()
    .optional()
    .transform((s) => (s ?? "").split(",").map((a) => a.trim()).filter(Boolean)),
  /** Public keys that sign ID tokens, as JSON {kid: PEM}; default Google's. For tests. */
  HP_ID_TOKEN_CERTS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: "custom", message: "ska vara JSON {kid: PEM}" });
        return z.NEVER;
      }
    }),
  /** Local development only: accept calls without a token. Refused on Cloud Run/Functions. */
  HP_AUTH_DISABLED: z.enum(["0", "1"]).default("0"),
  /**
   * Reminders by e-mail: the SMTP server (smtp://host:587, smtps://host:465; a user name may be
   * in it, never the password), the sender, and the password (a secret: Secret Manager in the
   * cloud). The contacts are ÅR.yaml in HP_CONTACTS_DIR (default sheets/kontakter), or
   * kontakter/ÅR.yaml in HP_BUCKET for the functions.
   */
  HP_SMTP_URL: z
    .union([z.literal(""), z.url({ protocol: /^smtps?$/ })])
    .optional()
    .transform((s) => s || undefined)
    .refine((s) => !s || !new URL(s).password, "lösenordet hör inte hemma i adressen: ange det i HP_SMTP_PASSWORD"),
  HP_MAIL_FROM: z.union([z.literal(""), z.email()]).optional().transform((s) => s || undefined),
  HP_SMTP_PASSWORD: optionalText,
  HP_CONTACTS_DIR: z.string().min(1).default(join(projectRoot(), "sheets", "kontakter")),
  /** A Chromium to print with instead of @sparticuz/chromium's. */
  HP_CHROMIUM_PATH: optionalText,
  /** Print stack traces of unexpected errors (CLI). */
  HP_DEBUG: optionalText,
  /** Document date for reproducible output, in seconds since 1970. */
  SOURCE_DATE_EPOCH: z
    .string()
    .regex(/^\d+$/, "ska vara ett heltal (sekunder sedan 1970)")
    .optional(),
  /** Set by Cloud Functions (2nd gen) on every instance. */
  K_SERVICE: optionalText,
});

/** The CLI's flags that stand in for variables. */
export interface ConfigFlags {
  catalogue?: string | undefined;
  history?: string | undefined;
  "history-dir"?: string | undefined;
}

export interface Config {
  backend: "local" | "google";
  year: number | undefined;
  catalogueDir: string;
  /** Whether the catalogue's folder was given (flag or variable): then it is used, not the published one. */
  catalogueGiven: boolean;
  /** Undefined: no baseline file (history is only what the store holds). */
  historyFile: string | undefined;
  historyDir: string;
  inputDir: string;
  outDir: string;
  /** Where the officials' text is, ÅR.md per year (local backend). */
  textDir: string;
  google: {
    spreadsheetId: string | undefined;
    driveFolderId: string | undefined;
    reportReaders: string[];
    apiRoot: string | undefined;
    accessToken: string | undefined;
    serviceAccount: string | undefined;
  };
  bucket: string | undefined;
  storageEndpoint: string | undefined;
  auth: {
    disabled: boolean;
    allowedEmails: string[];
    /** What bearer ID tokens (API callers) may be for. */
    audiences: string[];
    /** The page's sign-in client, when the page signs in with Google: its session tokens' only audience. */
    oauthClientId: string | undefined;
    certs: Record<string, string> | undefined;
  };
  /** Host names answered besides localhost (HP_HOSTS); empty in the cloud: any host Google routes here. */
  hosts: string[];
  chromiumPath: string | undefined;
  /** Reminders: the mail server, the sender, the password (never printed), and the contacts' folder. */
  mail: { smtpUrl: string | undefined; from: string | undefined; password: string | undefined };
  contactsDir: string;
  debug: boolean;
  /**
   * The clock: SOURCE_DATE_EPOCH for reproducible files, else the time it is asked. A function
   * instance reads its configuration once and serves many runs, so it is a clock, not a date.
   */
  now: () => Date;
  /** Running as a Cloud Function (K_SERVICE is set). */
  inCloud: boolean;
}

export type Edge = "cli" | "functions";

export function readConfig(env: Readonly<Record<string, string | undefined>>, edge: Edge, flags: ConfigFlags = {}): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) throw configError(edge, result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const e = result.data;
  const config: Config = {
    backend: e.HP_BACKEND,
    year: e.HP_YEAR,
    catalogueDir: resolve(flags.catalogue ?? e.HP_CATALOGUE_DIR ?? defaultCatalogueDir()),
    catalogueGiven: (flags.catalogue ?? e.HP_CATALOGUE_DIR) !== undefined,
    // Given (flag, then variable; "" means none), else the bundled file unless history is in a bucket.
    historyFile: (flags.history ?? e.HP_HISTORY_FILE ?? (e.HP_BUCKET ? "" : defaultHistoryFile())) || undefined,
    historyDir: resolve(flags["history-dir"] ?? e.HP_HISTORY_DIR),
    inputDir: e.HP_INPUT_DIR,
    outDir: e.HP_OUT_DIR,
    textDir: resolve(e.HP_TEXT_DIR),
    google: {
      spreadsheetId: e.HP_SPREADSHEET_ID,
      driveFolderId: e.HP_DRIVE_FOLDER_ID,
      reportReaders: e.HP_REPORT_READERS,
      apiRoot: e.HP_GOOGLE_API_ROOT,
      accessToken: e.HP_GOOGLE_ACCESS_TOKEN,
      serviceAccount: e.HP_SERVICE_ACCOUNT,
    },
    bucket: e.HP_BUCKET,
    storageEndpoint: e.HP_STORAGE_API_ENDPOINT,
    auth: { disabled: e.HP_AUTH_DISABLED === "1", allowedEmails: e.HP_ALLOWED_EMAILS, audiences: [...new Set(e.HP_AUDIENCE.filter((a) => a !== e.HP_OAUTH_CLIENT_ID))], oauthClientId: e.HP_OAUTH_CLIENT_ID, certs: e.HP_ID_TOKEN_CERTS },
    hosts: e.HP_HOSTS,
    chromiumPath: e.HP_CHROMIUM_PATH,
    mail: { smtpUrl: e.HP_SMTP_URL, from: e.HP_MAIL_FROM, password: e.HP_SMTP_PASSWORD },
    contactsDir: resolve(e.HP_CONTACTS_DIR),
    debug: e.HP_DEBUG !== undefined && e.HP_DEBUG !== "0",
    now: e.SOURCE_DATE_EPOCH === undefined ? () => new Date() : () => new Date(Number(e.SOURCE_DATE_EPOCH) * 1000),
    inCloud: e.K_SERVICE !== undefined,
  };
  if (edge === "functions") {
    const problems = functionProblems(config);
    if (problems.length > 0) throw configError(edge, problems);
  }
  return config;
}

/** What the functions need on top: a complete Google backend, and a way to check callers. */
function functionProblems(c: Config): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, variable: string, message: string) => {
    if (!ok) problems.push(`${variable}: ${message}`);
  };
  if (c.backend === "google") {
    need(!!c.google.driveFolderId, "HP_DRIVE_FOLDER_ID", "behövs med HP_BACKEND=google");
    need(!!c.bucket, "HP_BUCKET", "behövs med HP_BACKEND=google: historiken, låset och registret över öppnade år delas mellan instanserna där");
  }
  if (c.auth.disabled) {
    need(!c.inCloud, "HP_AUTH_DISABLED", "får inte användas i Cloud Functions");
  } else {
    need(c.auth.audiences.length > 0, "HP_AUDIENCE", "behövs för att kontrollera anroparnas ID-token (funktionens URL, och gcloud:s klient-id)");
    need(c.auth.allowedEmails.length > 0, "HP_ALLOWED_EMAILS", "behövs: vilka som får köra runOnDemand");
  }
  return problems;
}

function configError(edge: Edge, problems: string[]): HpError {
  const lines = problems.map((p) => `  ${p}`).join("\n");
  return new HpError("usage", edge === "functions" ? `Felaktig konfiguration av funktionerna:\n${lines}` : `Ogiltig konfiguration:\n${lines}`);
}
