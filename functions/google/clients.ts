/**
 * The Google API clients, from the per-API packages (@googleapis/sheets, @googleapis/drive),
 * which start in a fraction of the time the whole googleapis package takes. Loaded lazily, so
 * that a function that does not talk to Google does not pay for them.
 */
import type { drive_v3 } from "@googleapis/drive";
import type { sheets_v4 } from "@googleapis/sheets";
import type { OAuth2Client } from "google-auth-library";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

export interface GoogleClients {
  sheets: sheets_v4.Sheets;
  drive: drive_v3.Drive;
  retry: RetryPolicy;
  /** Set when not Google's own endpoint. Upload calls need it passed again (see drive-sink). */
  rootUrl: string | undefined;
  /** Who the calls are made as: the service account's address, when the credentials say it. */
  identity(): Promise<string | undefined>;
  /**
   * Who the credentials themselves are: a person's own sign-in (gcloud auth application-default
   * login without impersonation), or an account with its address when they can tell it.
   */
  actingAs(): Promise<{ person: boolean; email: string | undefined }>;
}

export interface GoogleClientOptions {
  /** Another endpoint than Google's, e.g. the stand-in in tests ("http://127.0.0.1:1234/"). */
  rootUrl?: string | undefined;
  /** Credentials to use; default is the runtime's service account (Application Default Credentials). */
  auth?: OAuth2Client | undefined;
  retry?: RetryPolicy;
  /** Who `auth` signs in as, when the credentials cannot say (a bare access token). */
  identity?: string | undefined;
}

export const SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"];

export async function googleClients(options: GoogleClientOptions = {}): Promise<GoogleClients> {
  const [{ sheets }, { drive }] = await Promise.all([import("@googleapis/sheets"), import("@googleapis/drive")]);
  const { GoogleAuth } = await import("google-auth-library");
  const auth = options.auth ?? new GoogleAuth({ scopes: SCOPES });
  const common = { auth, ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) };
  const clients = {
    sheets: sheets({ version: "v4", ...common } as sheets_v4.Options),
    drive: drive({ version: "v3", ...common } as drive_v3.Options),
    retry: options.retry ?? DEFAULT_RETRY,
    rootUrl: options.rootUrl,
    async identity() {
      const acting = await actingAs();
      return acting.email ?? (acting.person ? undefined : options.identity);
    },
    actingAs,
  };
  /** What the credentials say of themselves; given credentials (tests, a fixed token) say the configured account. */
  async function actingAs(): Promise<{ person: boolean; email: string | undefined }> {
    if (options.auth || !(auth instanceof GoogleAuth)) return { person: false, email: options.identity };
    try {
      const client = (await auth.getClient()) as unknown as { targetPrincipal?: unknown; constructor: { name: string } };
      // Impersonation: the calls are the service account's.
      if (typeof client.targetPrincipal === "string" && client.targetPrincipal) return { person: false, email: client.targetPrincipal };
      if (client.constructor.name === "UserRefreshClient") return { person: true, email: undefined };
      return { person: false, email: (await auth.getCredentials()).client_email ?? undefined };
    } catch {
      return { person: false, email: undefined };
    }
  }
  return clients;
}
