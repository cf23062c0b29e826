import { createSign, generateKeyPairSync } from "node:crypto";
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, ROOT, tempDir } from "./helpers.js";
import { CloudStorageStandIn } from "./stand-in/cloud-storage.js";

const AUDIENCE = "https://europe-north1-hp.cloudfunctions.net/runOnDemand";
/** The OAuth client the project leader's page signs in with. */
const CLIENT_ID = "1234567890-hp.apps.googleusercontent.com";
const ALLOWED = "projektledare@stad.example";
const trusted = generateKeyPairSync("rsa", { modulusLength: 2048 });
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** A Google-style ID token, signed by the given key. */
function idToken(claims: Record<string, unknown>, key = trusted.privateKey, kid = "test-key") {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "RS256", kid, typ: "JWT" })}.${b64({ iss: "https://accounts.google.com", aud: AUDIENCE, sub: "1", email: ALLOWED, email_verified: true, iat: now, exp: now + 600, ...claims })}`;
  const signature = createSign("RSA-SHA256").update(body).sign(key).toString("base64url");
  return `${body}.${signature}`;
}

const servers: Server[] = [];
let historyDir = "";
let storage: CloudStorageStandIn;

/** A real Functions Framework server on loopback for one function. */
async function serve(name: string): Promise<string> {
  const { getTestServer } = await import("@google-cloud/functions-framework/testing");
  const server = getTestServer(name) as unknown as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

beforeAll(async () => {
  historyDir = join(await tempDir(), "historik");
  // History and the year lock in (a stand-in for) Cloud Storage, as in production.
  storage = await new CloudStorageStandIn().start();
  Object.assign(process.env, {
    HP_BUCKET: "hp-historik",
    // With a bucket, history is the bucket's; earlier years come from the bundled file only when named.
    HP_HISTORY_FILE: join(ROOT, "sheets", "historik", "historik.csv"),
    HP_STORAGE_API_ENDPOINT: storage.url,
    HP_BACKEND: "local",
    HP_INPUT_DIR: EXAMPLES,
    HP_OUT_DIR: join(await tempDir(), "out"),
    HP_HISTORY_DIR: historyDir,
    HP_AUDIENCE: AUDIENCE,
    HP_OAUTH_CLIENT_ID: CLIENT_ID,
    HP_ALLOWED_EMAILS: `${ALLOWED}, annan@stad.example`,
    HP_ID_TOKEN_CERTS: JSON.stringify({ "test-key": trusted.publicKey.export({ type: "spki", format: "pem" }) }),
  });
  await import("../functions/index.js");
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  await storage.stop();
});

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

describe("runOnDemand over a real Functions Framework server", () => {
  it.each([
    { name: "no token", token: undefined, status: 401, error: /ID-token saknas/ },
    { name: "a bad signature", token: () => idToken({}, stranger.privateKey), status: 401, error: /Ogiltig ID-token/ },
    { name: "an expired token", token: () => idToken({ iat: 1_700_000_000, exp: 1_700_000_600 }), status: 401, error: /Ogiltig ID-token/ },
    { name: "another audience", token: () => idToken({ aud: "https://evil.example" }), status: 401, error: /Ogiltig ID-token/ },
    { name: "another issuer", token: () => idToken({ iss: "https://evil.example" }), status: 401, error: /Ogiltig ID-token/ },
    { name: "an email not allowed", token: () => idToken({ email: "obehorig@stad.example" }), status: 403, error: /obehorig@stad.example får inte/ },
    { name: "an unverified email", token: () => idToken({ email_verified: false }), status: 403, error: /verifierad/ },
    { name: "an email claim that is a list", token: () => idToken({ email: [ALLOWED, "x@evil.example"] }), status: 403, error: /verifierad/ },
    { name: "an email claim that is an object", token: () => idToken({ email: { toLowerCase: 1 } }), status: 403, error: /verifierad/ },
  ])("refuses $name with $status", async ({ token, status, error }) => {
    const url = await serve("runOnDemand");
    const res = await post(url, { year: 2025, steps: ["validate"] }, typeof token === "function" ? token() : token);
    expect(res.status).toBe(status);
    expect(String(res.body.error)).toMatch(error);
  });

  it("runs for an allowed caller and answers with counts", async () => {
    const url = await serve("runOnDemand");
    const res = await post(url, { year: 2025, steps: ["validate"] }, idToken({}));
    expect(res).toMatchObject({ status: 200, body: { year: 2025, steps: ["validate"], errors: 7, warnings: 6, received: 15, expected: 16, links: [] } });
  });

  it("accepts a bearer token for the function itself, not one for the page's sign-in client or another client", async () => {
    const url = await serve("runOnDemand");
    expect((await post(url, { year: 2025, steps: ["validate"] }, idToken({ aud: AUDIENCE }))).status).toBe(200);
    expect((await post(url, { year: 2025, steps: ["validate"] }, idToken({ aud: CLIENT_ID }))).status).toBe(401);
    const other = await post(url, { year: 2025, steps: ["validate"] }, idToken({ aud: "999-annan.apps.googleusercontent.com" }));
    expect(other.status).toBe(401);
  });

  it("refuses a bad request and a second run for a year that is already running", async () => {
    const url = await serve("runOnDemand");
    expect((await post(url, { year: "tjugofem" }, idToken({}))).status).toBe(400);
    // Another instance holds the year's lock in the bucket.
    const holder = { owner: "schemalagd kontroll 17", host: "instans-a", pid: 1, since: "2026-02-10T07:30:00.000Z", token: "t" };
    storage.objects.set("lås/2025", { data: Buffer.from(JSON.stringify(holder)), generation: 1, timeCreated: new Date().toISOString() });
    const busy = await post(url, { year: 2025, steps: ["validate"] }, idToken({}));
    expect(busy.status).toBe(409);
    expect(String(busy.body.error)).toBe(
      "En körning för 2025 pågår redan: schemalagd kontroll 17 (instans-a, process 1) sedan 10 februari 2026 kl. 08:30. " +
        "Försök igen när den är klar. Ett lås från en körning som avbröts tas över efter 15 minuter.",
    );
    storage.objects.delete("lås/2025");
  });

  it.each([
    { name: "a body that is not JSON", type: "application/json", body: "{year: 2025", status: 400, error: /inte giltig JSON/ },
    { name: "a null body", type: "application/json", body: "null", status: 400, error: /inte giltig JSON/ },
    { name: "a JSON list", type: "application/json", body: "[2025]", status: 400, error: /Fel i anropet/ },
    { name: "XML instead of JSON", type: "application/xml", body: "<year>2025</year>", status: 415, error: /Skicka JSON/ },
    { name: "text", type: "text/plain", body: "2025", status: 415, error: /Skicka JSON/ },
  ])("answers $name with $status as JSON, never a page or a stack trace", async ({ type, body, status, error }) => {
    const url = await serve("runOnDemand");
    const res = await fetch(url, { method: "POST", headers: { "content-type": type, authorization: `Bearer ${idToken({})}` }, body });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toMatch(/<|\bat .*\.js:\d+|node_modules/);
    expect(String(JSON.parse(text).error)).toMatch(error);
  });

  /** Sends the headers and only `sent` bytes of the body, and answers what the server said before the rest came. */
  async function partial(url: string, headers: Record<string, string>, sent: number) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: "POST", headers }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.write(Buffer.alloc(sent, 0x20));
      // The rest of the body is never sent: an answer proves the server did not wait for it.
    });
  }

  it("refuses a body over the limit by its length, before reading it", async () => {
    const url = await serve("runOnDemand");
    const res = await partial(url, { "content-type": "application/json", "content-length": String(50 * 1024 * 1024), authorization: `Bearer ${idToken({})}` }, 1024);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatch(/för stort/);
  });

  it("checks the token before the body is read", async () => {
    const url = await serve("runOnDemand");
    const res = await partial(url, { "content-type": "application/json", "content-length": "2000" }, 10);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error).toMatch(/ID-token saknas/);
  });

  it("still refuses a caller without a token who dresses the call up as an event", async () => {
    const url = await serve("runOnDemand");
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "ce-specversion": "1.0" }, body: '{"year": 2025}' });
    expect(res.status).toBe(401);
  });

  it("refuses a body without a length", async () => {
    const url = await serve("runOnDemand");
    const res = await partial(url, { "content-type": "application/json", "transfer-encoding": "chunked", authorization: `Bearer ${idToken({})}` }, 0);
    expect(res.status).toBe(411);
  });

  it("accepts a CloudEvent from Pub/Sub for the scheduled validation", async () => {
    const url = await serve("validateScheduled");
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "ce-id": "1",
        "ce-specversion": "1.0",
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-source": "//pubsub.googleapis.com/projects/hp/topics/hp-validate",
      },
      body: JSON.stringify({ message: { data: Buffer.from("{}").toString("base64") } }),
    });
    expect(res.status).toBeLessThan(300);
  });
});

describe("checkFile over a real Functions Framework server", () => {
  const upload = async (url: string, bytes: Uint8Array, token?: string, type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: bytes,
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };

  it("answers an uploaded workbook with its findings and the annotated copy, and stores nothing", async () => {
    const { readFile, readdir } = await import("node:fs/promises");
    const url = await serve("checkFile");
    const bytes = await readFile(join(EXAMPLES, "2025-skarpnack.xlsx"));
    const before = await readdir(process.env.HP_OUT_DIR!).catch(() => []);
    const res = await upload(`${url}?namn=${encodeURIComponent("../../2025-skarpnack.xlsx")}&year=2025`, bytes, idToken({}));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ year: 2025, file: "2025-skarpnack.xlsx", errors: 7 });
    const findings = res.body.findings as { code: string; unit: string | null }[];
    // The unit's own file: nothing about the other units.
    expect(findings.every((f) => f.unit === "skarpnack")).toBe(true);
    const annotated = res.body.annotated as { name: string; base64: string };
    expect(annotated.name).toBe("2025-skarpnack-kontrollerad.xlsx");
    const { MemorySource } = await import("../functions/submission/source.js");
    const { validateSource } = await import("../functions/validate/validate-source.js");
    const { context } = await import("./helpers.js");
    const { yc, definition, history } = await context();
    const again = await validateSource(new MemorySource([{ file: "2025-skarpnack.xlsx", bytes: Buffer.from(annotated.base64, "base64") }]), { yc, definition, history, maxChange: yc.catalogue.yearOverYearWarningShare });
    expect(again.findings.map((f) => `${f.code} ${f.cell}`)).toEqual(findings.map((f) => `${(f as { code: string }).code} ${(f as unknown as { cell: string }).cell}`));
    expect(await readdir(process.env.HP_OUT_DIR!).catch(() => [])).toEqual(before);
  });

  it("refuses callers who are not allowed, other content, and a file that is not a workbook", async () => {
    const url = await serve("checkFile");
    const bytes = new TextEncoder().encode("year,unit\n2025,bromma\n");
    expect((await upload(url, bytes)).status).toBe(401);
    expect((await upload(url, bytes, idToken({ email: "obehorig@stad.example" }))).status).toBe(403);
    expect((await upload(url, bytes, idToken({}), "text/csv")).status).toBe(415);
    const notXlsx = await upload(url, bytes, idToken({}));
    expect(notXlsx.status).toBe(200);
    expect(notXlsx.body).toMatchObject({ errors: 1, findings: [expect.objectContaining({ code: "FILE_NOT_XLSX" })] });
    expect(notXlsx.body.annotated).toBeUndefined();
    const big = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "content-length": String(11 * 1024 * 1024), authorization: `Bearer ${idToken({})}` },
      body: new Uint8Array(0),
    }).catch((error: Error) => ({ status: error.name }));
    expect([413, "TypeError"]).toContain(big.status);
  });
});

describe("the project leader's page in the cloud: signed in, or nothing", () => {
  const page = (url: string, init: RequestInit = {}) => fetch(url, { redirect: "manual", ...init, headers: { accept: "text/html", ...(init.headers ?? {}) } });
  const session = (token: string) => ({ cookie: `__Host-hp-sida=${token}` });

  it.each([
    { name: "no sign-in", cookie: undefined },
    { name: "a forged token", cookie: () => idToken({ aud: CLIENT_ID }, stranger.privateKey) },
    { name: "an expired token", cookie: () => idToken({ aud: CLIENT_ID, iat: 1_700_000_000, exp: 1_700_000_600 }) },
    { name: "a token for another client", cookie: () => idToken({ aud: "999-annan.apps.googleusercontent.com" }) },
  ])("answers every page to $name with 401 and the sign-in page", async ({ cookie }) => {
    const url = await serve("runOnDemand");
    for (const path of ["", "?ar=2025", "rapporter/2025/uppfoljning-2025.pdf", "inlamning/2025-bromma.xlsx"]) {
      const res = await page(`${url}${path}`, cookie ? { headers: session(cookie()) } : {});
      expect(res.status, path).toBe(401);
      const html = await res.text();
      expect(html).toContain("<h1>Logga in</h1>");
      expect(html).not.toContain("Bromma");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("shows the page to an allowed person signed in through the page's client, and refuses one not allowed", async () => {
    const url = await serve("runOnDemand");
    const ok = await page(`${url}?ar=2025`, { headers: session(idToken({ aud: CLIENT_ID })) });
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain("Inloggad som projektledare@stad.example");
    expect(html).toContain("Bromma");
    expect((await page(url, { headers: session(idToken({ aud: CLIENT_ID, email: "obehorig@stad.example" })) })).status).toBe(403);
  });

  it("keeps the page's sign-in and API bearer tokens apart, and never quotes a token back", async () => {
    const url = await serve("runOnDemand");
    // A page session token as a bearer token: refused by the API.
    const asBearer = await post(url, { year: 2025, steps: ["validate"] }, idToken({ aud: CLIENT_ID }));
    expect(asBearer.status).toBe(401);
    // An API token as the page's session, or as a bearer token on the page: no page.
    expect((await page(url, { headers: session(idToken({ aud: AUDIENCE })) })).status).toBe(401);
    expect((await page(url, { headers: { authorization: `Bearer ${idToken({})}` } })).status).toBe(401);
    // An expired token is refused without its claims in the answer.
    const expired = await post(url, { year: 2025 }, idToken({ exp: Math.floor(Date.now() / 1000) - 3600, secret: "hemligt-anspråk" }));
    expect(expired.status).toBe(401);
    expect(JSON.stringify(expired.body)).toContain("den har gått ut");
    expect(JSON.stringify(expired.body)).not.toMatch(/hemligt-anspråk|projektledare@stad|"exp"|eyJ/);
  });

  it("answers only its own host names, so DNS rebinding and a forged Host get nothing, not even a form token", async () => {
    const { request } = await import("node:http");
    const url = new URL(await serve("runOnDemand"));
    const raw = (host: string, method = "GET", body = "") =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path: "/", method, headers: { host, origin: `http://${host}`, accept: "text/html", "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c.toString("utf8")));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    for (const host of ["evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io"]) {
      const answer = await raw(host);
      expect(answer.status, host).toBe(421);
      expect(answer.text, host).not.toContain("_csrf");
      expect((await raw(host, "POST", JSON.stringify({ year: 2025 }))).status, host).toBe(421);
    }
    expect((await raw(`localhost:${url.port}`)).status).not.toBe(421);
  });

  it("logs out only through the page's own form with its token", async () => {
    const { formToken } = await import("../functions/web/session.js");
    const url = await serve("runOnDemand");
    const token = idToken({ aud: CLIENT_ID });
    const out = (body: string, origin: string) =>
      page(`${url}logga-ut`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", origin, ...session(token) } });
    const forged = await out("", "https://evil.example");
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    expect((await out("", new URL(url).origin)).status).toBe(403);
    const real = await out(`_csrf=${formToken(token)}`, new URL(url).origin);
    expect(real.status).toBe(303);
    expect(real.headers.get("set-cookie")).toMatch(/^__Host-hp-sida=; .*Max-Age=0/);
    // The page shows the log-out form with the session's token.
    const html = await (await page(url, { headers: session(token) })).text();
    expect(html).toContain(`action="/logga-ut"`);
    expect(html).toContain(`value="${formToken(token)}"`);
  });

  it("refuses a cross-site form and a form without this session's token, and runs nothing", async () => {
    const { formToken } = await import("../functions/web/session.js");
    const url = await serve("runOnDemand");
    const token = idToken({ aud: CLIENT_ID });
    const post = (body: string, headers: Record<string, string>) =>
      page(`${url}kor`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...session(token), ...headers } });
    const good = `_csrf=${formToken(token)}&ar=2025&steg=kontroll`;
    const before = [...storage.objects.keys()].filter((k) => k.startsWith("körningar/")).length;
    expect((await post(good, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(good, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post("ar=2025&steg=kontroll", {})).status).toBe(403);
    expect((await post(`_csrf=${formToken(idToken({ aud: CLIENT_ID, sub: "2" }))}&ar=2025`, {})).status).toBe(403);
    expect([...storage.objects.keys()].filter((k) => k.startsWith("körningar/")).length).toBe(before);
    // From the page itself, the run goes through and is logged.
    const run = await post(good, { origin: new URL(url).origin });
    expect(run.status).toBe(200);
    expect(await run.text()).toContain("Körningen är klar");
    expect([...storage.objects.keys()].filter((k) => k.startsWith("körningar/")).length).toBe(before + 1);
  });

  it("signs in with Google Identity Services only when its double-submit cookie matches", async () => {
    const url = await serve("runOnDemand");
    const credential = idToken({ aud: CLIENT_ID });
    const signIn = (cookie: string, posted: string) =>
      fetch(`${url}logga-in`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: `g_csrf_token=${cookie}`, "sec-fetch-site": "cross-site", origin: "https://accounts.google.com" },
        body: `credential=${credential}&g_csrf_token=${posted}`,
      });
    expect((await signIn("a", "b")).status).toBe(403);
    const ok = await signIn("abc", "abc");
    expect(ok.status).toBe(303);
    expect(ok.headers.get("set-cookie")).toMatch(/^__Host-hp-sida=.+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/);
    const stranger_ = await fetch(`${url}logga-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: "g_csrf_token=x" },
      body: `credential=${idToken({ aud: CLIENT_ID }, stranger.privateKey)}&g_csrf_token=x`,
    });
    expect(stranger_.status).toBe(401);
    expect(stranger_.headers.get("set-cookie")).toBeNull();
  });
});
