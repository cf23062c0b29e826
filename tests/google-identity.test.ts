/**
 * Who hp google check acts as, read from the credentials themselves: a person's own
 * application-default sign-in is named as such (it would test the person's access, not the
 * service account's), impersonation is the service account's. No network: the credential files
 * are read, not used.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { googleClients } from "../functions/google/clients.js";
import { tempDir } from "./helpers.js";

const SA = "hp-pipeline@hp-prov.iam.gserviceaccount.com";
const person = { type: "authorized_user", client_id: "764086051850-x.apps.googleusercontent.com", client_secret: "hemlig", refresh_token: "1//uppdatering" };
const before = process.env.GOOGLE_APPLICATION_CREDENTIALS;
afterEach(() => {
  if (before === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  else process.env.GOOGLE_APPLICATION_CREDENTIALS = before;
});

async function signedInAs(credentials: object) {
  const file = join(await tempDir(), "adc.json");
  await writeFile(file, JSON.stringify(credentials));
  process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
  return googleClients({ identity: SA });
}

describe("the identity Google calls are made as", () => {
  it("is a person for gcloud auth application-default login, whatever HP_SERVICE_ACCOUNT says", async () => {
    const clients = await signedInAs(person);
    expect(await clients.actingAs()).toEqual({ person: true, email: undefined });
    expect(await clients.identity()).toBeUndefined();
  });

  it("is the service account when impersonating it", async () => {
    const clients = await signedInAs({
      type: "impersonated_service_account",
      service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
      source_credentials: person,
    });
    expect(await clients.actingAs()).toEqual({ person: false, email: SA });
    expect(await clients.identity()).toBe(SA);
  });
});

describe("hp google check's first line", () => {
  it("fails, with the command that fixes it, when the checks would be made as a person", async () => {
    const { preflight } = await import("../functions/google/preflight.js");
    const clients = await signedInAs(person);
    const checks = await preflight({ clients, year: 2026, spreadsheetId: undefined, folderId: undefined, readers: [], bucket: undefined, sheets: { meta: "_meta", status: "Valideringsstatus" }, probeReaders: false, serviceAccount: SA });
    expect(checks[0]).toMatchObject({ what: "Tjänstekonto", ok: false });
    expect(checks[0]!.detail).toContain("inloggningen är en person, inte tjänstekontot");
    expect(checks[0]!.fix).toBe(`Agera som tjänstekontot: gcloud auth application-default login --impersonate-service-account=${SA}`);
  });
});
