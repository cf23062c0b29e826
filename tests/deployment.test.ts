/**
 * A Google deployment as the project leader runs it, against the strict stand-ins: the
 * preflight (hp google check), opening years (hp year open) and publishing the catalogue, and
 * the scheduled functions following the register in the bucket without a redeploy.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hpWithEnv, ROOT, tempDir } from "./helpers.js";
import { CloudStorageStandIn } from "./stand-in/cloud-storage.js";
import { GoogleApiStandIn, SERVICE_ACCOUNT } from "./stand-in/google-api.js";

const epoch = (iso: string) => String(Date.parse(iso) / 1000);
/** The functions' clock: a January night, when 2025's window has closed and 2026's is open once opened. */
const FUNCTIONS_NOW = "2027-01-15T02:00:00Z";
const READER = "sekreterare@stad.example";

let google: GoogleApiStandIn;
let storage: CloudStorageStandIn;
let folder: string;
let editors: string;
const servers: Server[] = [];
const buckets: CloudStorageStandIn[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  google = await new GoogleApiStandIn().start();
  storage = await new CloudStorageStandIn().start();
  folder = google.sharedFolder();
  google.drive.allowedDomains = ["stad.example"];
  const dir = await tempDir();
  editors = join(dir, "redigerare.yaml");
  await writeFile(editors, "projectLeaders: [projektledare@stad.example]\nunits:\n  bromma: [rapportor@stad.example]\n");
  env = {
    HP_BACKEND: "google",
    HP_GOOGLE_API_ROOT: google.url,
    HP_GOOGLE_ACCESS_TOKEN: `as:${SERVICE_ACCOUNT}`,
    HP_SERVICE_ACCOUNT: SERVICE_ACCOUNT,
    HP_BUCKET: "hp-drift",
    HP_STORAGE_API_ENDPOINT: storage.url,
    HP_HISTORY_FILE: join(ROOT, "sheets", "historik", "historik.csv"),
    HP_HISTORY_DIR: join(dir, "historik"),
    HP_DRIVE_FOLDER_ID: folder,
    HP_REPORT_READERS: READER,
    HP_AUTH_DISABLED: "1",
  };
  Object.assign(process.env, env, { SOURCE_DATE_EPOCH: epoch(FUNCTIONS_NOW) });
  await import("../functions/index.js");
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  await Promise.all([google.stop(), storage.stop(), ...buckets.map((b) => b.stop())]);
});

/** Another, empty Cloud Storage (the stand-in keeps one namespace of objects). */
async function fresh(): Promise<CloudStorageStandIn> {
  const bucket = await new CloudStorageStandIn().start();
  buckets.push(bucket);
  return bucket;
}

/** hp, as the project leader runs it on a given day. */
const hp = (on: string, extra: NodeJS.ProcessEnv, ...args: string[]) => hpWithEnv({ ...env, SOURCE_DATE_EPOCH: epoch(on), ...extra }, ...args);

/** A Cloud Scheduler message to a scheduled function, over a real Functions Framework server; returns what it logged. */
async function scheduled(name: "validateScheduled" | "reportScheduled"): Promise<{ severity: string; message: string; year?: number }[]> {
  const { getTestServer } = await import("@google-cloud/functions-framework/testing");
  const server = getTestServer(name) as unknown as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const logged: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void logged.push(String(line)));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "ce-id": String(servers.length),
        "ce-specversion": "1.0",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-source": "//pubsub.googleapis.com/projects/hp/topics/hp-validate",
      },
      body: JSON.stringify({ message: { data: Buffer.from("{}").toString("base64") } }),
    });
    expect(res.status).toBeLessThan(300);
  } finally {
    spy.mockRestore();
  }
  return logged.flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}

describe("opening a year without a redeploy", () => {
  it("the scheduled runs pick up the year opened with hp year open, and never work on a year without a sheet", async () => {
    // 2025 was opened in its season; its window closed in April 2026.
    const opened2025 = await hp("2025-11-15T09:00:00Z", {}, "year", "open", "2025", "--editors", editors);
    expect(opened2025.code, opened2025.err).toBe(0);
    const sheet2025 = /Id: +(\S+)/.exec(opened2025.out)![1]!;

    const quiet = await scheduled("validateScheduled");
    expect(quiet.map((l) => l.message)).toContain("Ingen rapporteringsperiod pågår: inget att göra. Ett år öppnas med hp year open ÅR.");
    const before = [...google.requests];

    const opened = await hp("2026-11-23T09:00:00Z", {}, "year", "open", "2026", "--editors", editors);
    expect(opened.code, opened.err).toBe(0);
    expect(opened.out).toContain("2026 är öppnat och registrerat i gs://hp-drift/register/");
    expect(opened.out).toContain("De schemalagda körningarna arbetar med 2026 från 23 november 2026 till 13 april 2027");
    const sheet2026 = /Id: +(\S+)/.exec(opened.out)![1]!;
    expect(sheet2026).not.toBe(sheet2025);
    expect(JSON.parse(storage.objects.get("register/2026.json")!.data.toString())).toMatchObject({ year: 2026, spreadsheetId: sheet2026 });

    // The next night's run, in the same instance: 2026, its sheet, the preflight logged first.
    const logged = await scheduled("validateScheduled");
    const preflight = logged.find((l) => l.message.startsWith("Kontroll av Google för 2026"));
    expect(preflight, JSON.stringify(logged)).toMatchObject({ severity: "INFO" });
    expect(logged.find((l) => l.message === "Kontrollen är klar")).toMatchObject({ year: 2026 });
    expect(google.requests.length).toBeGreaterThan(before.length);
    const status = google.spreadsheets.get(sheet2026)!.sheets!.find((s) => s.properties?.title === "Valideringsstatus");
    expect(status?.data?.[0]?.rowData?.length ?? 0).toBeGreaterThan(1);
    // The weekly report run waits for the deadline: no board reader gets a report made mid-season.
    const drive = google.files.size;
    const report = await scheduled("reportScheduled");
    expect(report.map((l) => l.message)).toContain("Rapporterna för 2026 skapas först efter sista dag för inlämning (2027-02-12).");
    expect(google.files.size).toBe(drive);

    // Opening the same year again is refused, and nothing new is made.
    const files = google.files.size;
    const again = await hp("2026-11-24T09:00:00Z", {}, "year", "open", "2026", "--editors", editors);
    expect(again.code).toBe(2);
    expect(again.err).toContain("2026 är redan öppnat");
    expect(google.files.size).toBe(files);

    const list = await hp(FUNCTIONS_NOW, {}, "year", "list");
    expect(list.out).toMatch(/^2026 ← sista dag 12 februari 2027, öppnat 23 november 2026/m);
    expect(list.out).toContain("De schemalagda körningarna arbetar med 2026.");
  });
});

describe("hp google check", () => {
  it("passes on the supported setup", async () => {
    const run = await hp(FUNCTIONS_NOW, {}, "google", "check", "--year", "2026");
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    expect(run.out).not.toContain("✗");
    expect(run.out).toContain(`✓ Läsarna av rapporterna: alla 1 kan få rapporterna`);
    // The probe is gone: in the trash, shared with nobody else.
    expect([...google.files.values()].filter((f) => f.name.startsWith("hp google check")).every((f) => f.trashed)).toBe(true);
  });

  it("names each missing permission with its fix, in Swedish, and exits non-zero", async () => {
    // A bucket the service account may only read, a folder in someone's My Drive, a reader
    // outside the organisation, and a spreadsheet whose protections leave the service account out.
    // A deployment from before the register: its spreadsheet in HP_SPREADSHEET_ID.
    const bare = await fresh();
    bare.readOnly.add("hp-last");
    const myDrive = google.drive.myDriveFolder("projektledare@stad.example", "Rapporter");
    google.drive.files.get(myDrive)!.permissions.push({ id: "p1", emailAddress: SERVICE_ACCOUNT, role: "writer", type: "user" });
    const sheet = /Id: +(\S+)/.exec((await hp("2026-11-23T09:00:00Z", {}, "sheet", "create", "--year", "2026", "--editors", editors)).out)![1]!;
    for (const tab of google.spreadsheets.get(sheet)!.sheets!) {
      for (const p of tab.protectedRanges ?? []) p.editors = { users: (p.editors?.users ?? []).filter((u) => u !== SERVICE_ACCOUNT) };
    }
    const run = await hp(FUNCTIONS_NOW, { HP_STORAGE_API_ENDPOINT: bare.url, HP_BUCKET: "hp-last", HP_SPREADSHEET_ID: sheet, HP_DRIVE_FOLDER_ID: myDrive, HP_REPORT_READERS: `${READER},extern@gmail.example` }, "google", "check", "--year", "2026");
    expect(run.code).toBe(1);
    expect(run.out).toContain("✗ Bucketen för historik, lås och register: gs://hp-last kan inte skrivas (403)");
    expect(run.out).toContain(`Åtgärd: Ge ${SERVICE_ACCOUNT} rollen Storage Object Admin (roles/storage.objectAdmin) på gs://hp-last.`);
    expect(run.out).toMatch(/✗ Skyddade områden: .* kan inte skriva i flikarna Instruktioner, .*Bromma/);
    expect(run.out).toContain(`Åtgärd: Lägg till ${SERVICE_ACCOUNT} som redigerare för flikarna under Data › Skydda ark och intervall.`);
    expect(run.out).toContain(`✗ Mappen för rapporterna: "Rapporter" ligger i någons Min enhet, där ett tjänstekonto inte kan skapa filer`);
    expect(run.err).toMatch(/3 saker saknas/);

    const readers = await hp(FUNCTIONS_NOW, { HP_REPORT_READERS: `${READER},extern@gmail.example` }, "google", "check", "--year", "2026");
    expect(readers.code).toBe(1);
    expect(readers.out).toContain("✗ Läsarna av rapporterna: organisationens regler tillåter inte delning med extern@gmail.example");

    const none = await hp(FUNCTIONS_NOW, { HP_STORAGE_API_ENDPOINT: (await fresh()).url }, "google", "check", "--year", "2026");
    expect(none.out).toContain("✗ Kalkylarket för 2026: inget kalkylark är registrerat\n    Åtgärd: Öppna året med hp year open 2026.");
  });
});

describe("the catalogue in the bucket", () => {
  it("is published only when valid, and then used by every command and run without a redeploy", async () => {
    const bucket = await fresh();
    const dir = join(await tempDir(), "katalog");
    await cp(join(ROOT, "sheets", "catalogue"), dir, { recursive: true });
    const years = join(dir, "years.yaml");
    const original = await readFile(years, "utf8");
    await writeFile(years, original.replace("yearOverYearWarningShare: 0.5", "yearOverYearWarningShare: många"));
    const broken = await hp(FUNCTIONS_NOW, { HP_STORAGE_API_ENDPOINT: bucket.url, HP_BUCKET: "hp-katalog" }, "catalogue", "publish", "--catalogue", dir);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain("years.yaml har fel");
    expect(bucket.objects.has("katalog/katalog.json")).toBe(false);

    await writeFile(years, original.replace("  - { year: 2026, deadline: 2027-02-12 }", "  - { year: 2026, deadline: 2027-02-12 }\n  - { year: 2027, deadline: 2028-02-11 }"));
    const published = await hp(FUNCTIONS_NOW, { HP_STORAGE_API_ENDPOINT: bucket.url, HP_BUCKET: "hp-katalog" }, "catalogue", "publish", "--catalogue", dir);
    expect(published.code, published.err).toBe(0);
    const list = await hp(FUNCTIONS_NOW, { HP_STORAGE_API_ENDPOINT: bucket.url, HP_BUCKET: "hp-katalog" }, "year", "list");
    expect(list.out).toContain("Katalogen: gs://hp-katalog/katalog/katalog.json.");
    expect(list.out).toMatch(/^2027 {3}sista dag 11 februari 2028, inte öppnat/m);
  });
});
