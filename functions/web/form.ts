/**
 * A form as the page sends it: URL-encoded fields, or multipart with one file. The body was
 * already limited by its Content-Length (cloud/http-guard) and read by the Functions Framework;
 * multipart is parsed here with busboy. Only plain text fields are kept (no nested objects, no
 * lists), and at most one file, which must not be larger than the limit.
 */
import type { Request } from "@google-cloud/functions-framework";
import { FORM, MULTIPART } from "../cloud/http-guard.js";
import { HpError } from "../shared/errors.js";

export interface Form {
  fields: Record<string, string>;
  file?: { name: string; bytes: Buffer };
}

export async function parseForm(req: Request, maxFileBytes: number): Promise<Form> {
  const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === MULTIPART) return multipart(req, maxFileBytes);
  const fields: Record<string, string> = {};
  if (type === FORM && req.body && typeof req.body === "object" && !Buffer.isBuffer(req.body)) {
    for (const [name, value] of Object.entries(req.body as Record<string, unknown>)) {
      if (typeof value === "string") fields[name] = value;
    }
  }
  return { fields };
}

async function multipart(req: Request, maxFileBytes: number): Promise<Form> {
  const body = (req as { rawBody?: Buffer }).rawBody ?? (Buffer.isBuffer(req.body) ? req.body : undefined);
  if (!body) throw new HpError("usage", "Formuläret kom utan innehåll.");
  const { default: busboy } = await import("busboy");
  return new Promise<Form>((done, fail) => {
    const form: Form = { fields: {} };
    const parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 4096, fileSize: maxFileBytes } });
    parser.on("field", (name, value) => {
      form.fields[name] = value;
    });
    parser.on("file", (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("limit", () => fail(new HpError("usage", `Filen är för stor: högst ${Math.floor(maxFileBytes / 1_000_000)} MB.`)));
      stream.on("end", () => {
        if (info.filename) form.file = { name: info.filename, bytes: Buffer.concat(chunks) };
      });
    });
    parser.on("error", () => fail(new HpError("usage", "Formuläret kunde inte läsas.")));
    parser.on("close", () => done(form));
    parser.end(body);
  });
}
