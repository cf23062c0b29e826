/**
 * A local stand-in for the Cloud Storage JSON API calls the history store and the year lock
 * make: simple and multipart uploads with ifGenerationMatch, metadata, download, list,
 * delete with ifGenerationMatch, and rewrite (copy). Generations count up per object.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DiscoveryDocument } from "./discovery.js";
import { multipartParts } from "./multipart.js";

const STORAGE = new DiscoveryDocument("storage-v1");

interface StoredObject {
  data: Buffer;
  generation: number;
  timeCreated: string;
}

export class CloudStorageStandIn {
  readonly objects = new Map<string, StoredObject>();
  /** Requests refused because Google would refuse them (against the discovery document). */
  readonly refusals: string[] = [];
  private server: Server | undefined;
  private generation = 1000;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next uploads are stored, but their answers lost (the connection drops), so the client retries them. */
  loseAnswers(count = 1): void {
    this.lost += count;
  }
  private lost = 0;

  /** Buckets the caller may read but not write, as without roles/storage.objectAdmin: writes answer 403. */
  readonly readOnly = new Set<string>();

  /** Makes an object look older, to test a stale lock. */
  age(name: string, ms: number): void {
    const o = this.objects.get(name)!;
    o.timeCreated = new Date(Date.parse(o.timeCreated) - ms).toISOString();
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks)));
    });
    // First as Google does: the request against the API's own description.
    const checked = STORAGE.check(req.method ?? "GET", url, body, req.headers["content-type"] ?? "");
    if (!checked.ok) {
      this.refusals.push(checked.message);
      return send(res, checked.status, { error: { code: checked.status, message: checked.message } });
    }
    const match = url.searchParams.get("ifGenerationMatch");
    const path = url.pathname;
    const bucket = /\/b\/([^/]+)\//.exec(path)?.[1];
    if (req.method !== "GET" && bucket && this.readOnly.has(decodeURIComponent(bucket))) {
      return send(res, 403, { error: { code: 403, message: "hp-funktioner@hp-projekt.iam.gserviceaccount.com does not have storage.objects.create access to the Google Cloud Storage object.", errors: [{ reason: "forbidden" }] } });
    }
    let m: RegExpExecArray | null = /^\/upload\/storage\/v1\/b\/[^/]+\/o$/.exec(path);
    if (req.method === "POST" && m) {
      const contentType = req.headers["content-type"] ?? "";
      let name = url.searchParams.get("name") ?? "";
      let data = body;
      if (contentType.startsWith("multipart/")) {
        const [metadata, media] = multipartParts(body, contentType);
        name ||= (JSON.parse(metadata?.toString() || "{}") as { name?: string }).name ?? "";
        data = media ?? Buffer.alloc(0);
      }
      const existing = this.objects.get(name);
      if (match !== null && Number(match) !== (existing?.generation ?? 0)) return send(res, 412, { error: { code: 412, message: "conditionNotMet" } });
      const stored = { data, generation: ++this.generation, timeCreated: new Date().toISOString() };
      this.objects.set(name, stored);
      if (this.lost > 0) {
        this.lost--;
        req.socket.destroy();
        return;
      }
      return send(res, 200, meta(name, stored));
    }
    m = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)\/(?:rewriteTo|copyTo)\/b\/[^/]+\/o\/([^/]+)$/.exec(path);
    if (req.method === "POST" && m) {
      const source = this.objects.get(decodeURIComponent(m[2]!));
      if (!source) return send(res, 404, { error: { code: 404, message: "No such object" } });
      const target = this.objects.get(decodeURIComponent(m[3]!));
      if (match !== null && Number(match) !== (target?.generation ?? 0)) return send(res, 412, { error: { code: 412, message: "conditionNotMet" } });
      const copy = { data: source.data, generation: ++this.generation, timeCreated: new Date().toISOString() };
      this.objects.set(decodeURIComponent(m[3]!), copy);
      return send(res, 200, { ...meta(decodeURIComponent(m[3]!), copy), kind: "storage#rewriteResponse", done: true, resource: meta(decodeURIComponent(m[3]!), copy) });
    }
    m = /^\/storage\/v1\/b\/[^/]+\/o\/([^/]+)$/.exec(path);
    if (m) {
      const name = decodeURIComponent(m[1]!);
      const object = this.objects.get(name);
      const generation = url.searchParams.get("generation");
      if (!object || (generation !== null && Number(generation) !== object.generation)) return send(res, 404, { error: { code: 404, message: "No such object" } });
      if (req.method === "DELETE") {
        if (match !== null && Number(match) !== object.generation) return send(res, 412, { error: { code: 412, message: "conditionNotMet" } });
        this.objects.delete(name);
        res.writeHead(204).end();
        return;
      }
      if (url.searchParams.get("alt") === "media") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(object.data);
      }
      return send(res, 200, meta(name, object));
    }
    if (req.method === "GET" && /^\/storage\/v1\/b\/[^/]+\/o$/.test(path)) {
      const prefix = url.searchParams.get("prefix") ?? "";
      const items = [...this.objects.entries()].filter(([n]) => n.startsWith(prefix)).map(([n, o]) => meta(n, o));
      return send(res, 200, { kind: "storage#objects", items });
    }
    send(res, 404, { error: { code: 404, message: `Stand-in: no route for ${req.method} ${path}` } });
  }
}

function meta(name: string, o: StoredObject) {
  const md5Hash = createHash("md5").update(o.data).digest("base64");
  return { kind: "storage#object", name, bucket: "hp", generation: String(o.generation), size: String(o.data.length), timeCreated: o.timeCreated, md5Hash };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

