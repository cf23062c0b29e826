/**
 * Google's own API descriptions (the discovery documents in ./discovery, as Google publishes
 * them) as a request checker for the stand-ins: the method by verb and path, its query
 * parameters and their types and enums, the upload protocol, every field of the body at every
 * depth with its type and enum, the `fields` mask against the response, and the field masks
 * inside Sheets requests. What Google would refuse with 400 is refused here with a message in
 * Google's words, so a request the project builds wrongly fails in the tests, not in the cloud.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../functions/shared/paths.js";
import { multipartParts } from "./multipart.js";

interface Schema {
  id?: string;
  type?: string;
  $ref?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema;
}

interface Parameter {
  type: string;
  location: "query" | "path";
  required?: boolean;
  repeated?: boolean;
  enum?: string[];
  format?: string;
  /** As the discovery document gives them: strings of digits. */
  minimum?: string;
  maximum?: string;
}

interface Method {
  id: string;
  path: string;
  httpMethod: string;
  parameters?: Record<string, Parameter>;
  request?: { $ref: string };
  response?: { $ref: string };
  mediaUpload?: { protocols: Record<string, { path: string }> };
}

interface Resource {
  methods?: Record<string, Method>;
  resources?: Record<string, Resource>;
}

interface Document {
  name: string;
  rootUrl: string;
  servicePath: string;
  parameters: Record<string, Parameter>;
  schemas: Record<string, Schema>;
  resources: Record<string, Resource>;
}

/** A method's route: its regular expression, the names of its path parameters and whether it is the upload path. */
interface Route {
  method: Method;
  pattern: RegExp;
  names: string[];
  upload: boolean;
  literal: number;
}

/** What a check found: the method, its path parameters, or the refusal Google would give. */
export type Checked = { ok: true; method: Method; params: Record<string, string> } | { ok: false; status: number; message: string };

/**
 * The field masks inside requests (a `fields` of format google-fieldmask) and the schema each
 * is relative to, as the Sheets API defines them.
 */
const MASKED: Record<string, string> = {
  UpdateCellsRequest: "CellData",
  RepeatCellRequest: "CellData",
  UpdateSheetPropertiesRequest: "SheetProperties",
  UpdateSpreadsheetPropertiesRequest: "SpreadsheetProperties",
  UpdateDimensionPropertiesRequest: "DimensionProperties",
  UpdateProtectedRangeRequest: "ProtectedRange",
};

export class DiscoveryDocument {
  private readonly doc: Document;
  private readonly routes: Route[] = [];

  constructor(file: "sheets-v4" | "drive-v3" | "storage-v1") {
    // From the sources, also when run built (npm run bench runs dist/), where the JSON is not copied.
    this.doc = JSON.parse(readFileSync(join(projectRoot(), "tests", "stand-in", "discovery", `${file}.json`), "utf8")) as Document;
    const walk = (resource: Resource) => {
      for (const method of Object.values(resource.methods ?? {})) {
        this.routes.push(route(method, `/${this.doc.servicePath}${method.path}`, false));
        for (const protocol of Object.values(method.mediaUpload?.protocols ?? {})) this.routes.push(route(method, protocol.path, true));
      }
      for (const inner of Object.values(resource.resources ?? {})) walk(inner);
    };
    for (const resource of Object.values(this.doc.resources)) walk(resource);
    // The most literal route first, so ".../{id}:batchUpdate" wins over ".../{id}".
    this.routes.sort((a, b) => b.literal - a.literal);
  }

  /** Checks a request as Google would before acting on it. */
  check(verb: string, url: URL, body: Buffer, contentType: string): Checked {
    const found = this.find(verb, url.pathname);
    if (!found) return { ok: false, status: 404, message: `Not Found: ${verb} ${url.pathname}` };
    const { method, params, upload } = found;
    const refuse = (message: string): Checked => ({ ok: false, status: 400, message });

    const seen = new Set<string>();
    for (const [name, value] of url.searchParams) {
      const parameter = method.parameters?.[name] ?? this.doc.parameters[name];
      if (parameter?.location !== "query") {
        return refuse(`Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`);
      }
      if (seen.has(name) && !parameter.repeated) return refuse(`Invalid JSON payload received. Repeated value for non-repeated query parameter "${name}".`);
      seen.add(name);
      const problem = scalarProblem(value, parameter);
      if (problem) return refuse(`Invalid value at '${snake(name)}' (${problem}), "${value}"`);
      // The documented range of an integer parameter, as Google's front end enforces it.
      if (parameter.type === "integer" && (parameter.minimum !== undefined || parameter.maximum !== undefined)) {
        const n = Number(value);
        const [min, max] = [Number(parameter.minimum ?? Number.MIN_SAFE_INTEGER), Number(parameter.maximum ?? Number.MAX_SAFE_INTEGER)];
        if (n < min || n > max) return refuse(`Invalid value '${value}'. Values must be within the range: [${parameter.minimum ?? ""}, ${parameter.maximum ?? ""}]`);
      }
    }
    for (const [name, parameter] of Object.entries(method.parameters ?? {})) {
      if (parameter.location === "query" && parameter.required && !seen.has(name)) return refuse(`Required parameter: ${name}`);
    }

    const uploadType = url.searchParams.get("uploadType");
    if (upload) {
      if (uploadType !== "media" && uploadType !== "multipart" && uploadType !== "resumable") {
        return refuse(`Upload requests must include an uploadType URL parameter and a URL path beginning with /upload/ (uploadType: ${uploadType}).`);
      }
    } else if (uploadType === "media" || uploadType === "multipart") {
      return refuse(`Media upload is not supported on ${verb} ${url.pathname}; use the /upload/ path.`);
    }

    const fields = url.searchParams.get("fields");
    if (fields !== null && method.response) {
      const problem = this.maskProblem(fields, { $ref: method.response.$ref });
      if (problem) return refuse(`Invalid field selection ${problem}`);
    }

    let metadata: Buffer | undefined = body;
    if (upload && uploadType === "media") metadata = undefined;
    else if (upload && uploadType === "multipart") metadata = multipartParts(body, contentType)[0];
    if (metadata && metadata.length > 0) {
      if (!method.request) return refuse(`Invalid JSON payload received. ${method.id} takes no request body.`);
      let json: unknown;
      try {
        json = JSON.parse(metadata.toString("utf8"));
      } catch {
        return refuse("Invalid JSON payload received. Unexpected token.");
      }
      const problem = this.valueProblem(json, { $ref: method.request.$ref }, "");
      if (problem) return refuse(problem);
    }
    return { ok: true, method, params };
  }

  /** The schema a $ref names, or the schema itself. */
  private resolve(schema: Schema): Schema {
    return schema.$ref ? this.doc.schemas[schema.$ref]! : schema;
  }

  private valueProblem(value: unknown, schema: Schema, at: string): string | undefined {
    if (value === null) return undefined;
    const s = this.resolve(schema);
    const where = at || "";
    switch (s.type) {
      case "object": {
        if (typeof value !== "object" || Array.isArray(value)) return `Invalid value at '${where}' (type.googleapis.com/${s.id ?? "Object"}), ${JSON.stringify(value)}`;
        for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
          const property = s.properties?.[key] ?? s.additionalProperties;
          const path = at ? `${at}.${snake(key)}` : snake(key);
          if (!property) return `Invalid JSON payload received. Unknown name "${key}"${at ? ` at '${at}'` : ""}: Cannot find field.`;
          const problem = s.properties?.[key] ? this.valueProblem(inner, property, path) : this.valueProblem(inner, property, `${at}[${key}]`);
          if (problem) return problem;
        }
        const masked = s.id ? MASKED[s.id] : undefined;
        const mask = (value as { fields?: unknown }).fields;
        if (masked && typeof mask === "string") {
          const problem = this.maskProblem(mask, { $ref: masked });
          if (problem) return `Invalid value at '${at ? `${at}.fields` : "fields"}': ${problem} is not a field of ${masked}.`;
        }
        return undefined;
      }
      case "array": {
        if (!Array.isArray(value)) return `Invalid value at '${where}' (list), ${JSON.stringify(value)}`;
        for (const [i, item] of value.entries()) {
          const problem = this.valueProblem(item, s.items!, `${at}[${i}]`);
          if (problem) return problem;
        }
        return undefined;
      }
      case "any":
        return undefined;
      default: {
        const problem = jsonScalarProblem(value, s);
        return problem ? `Invalid value at '${where}' (${problem}), ${JSON.stringify(value)}` : undefined;
      }
    }
  }

  /**
   * The first path of a field mask that the schema does not have, or undefined. The grammar is
   * Google's partial response: "a,b/c,d(e,f(g)),*".
   */
  private maskProblem(mask: string, schema: Schema): string | undefined {
    const items = splitTop(mask.trim());
    if (items === undefined) return mask;
    for (const item of items) {
      const open = item.indexOf("(");
      const head = open < 0 ? item : item.slice(0, open);
      const inner = open < 0 ? undefined : item.slice(open + 1, -1);
      if (open >= 0 && !item.endsWith(")")) return item;
      let at = schema;
      for (const part of head.split(/[/.]/)) {
        const next = this.child(at, part);
        if (!next) return head;
        at = next;
      }
      if (inner !== undefined) {
        const problem = this.maskProblem(inner, at);
        if (problem) return `${head}(${problem})`;
      }
    }
    return undefined;
  }

  /** The schema of a field (through lists and maps), "*" for any; undefined when there is no such field. */
  private child(schema: Schema, name: string): Schema | undefined {
    let s = this.resolve(schema);
    while (s.type === "array" && s.items) s = this.resolve(s.items);
    if (name === "*") return { type: "any" };
    if (s.type === "any") return s;
    if (s.properties?.[name]) return s.properties[name];
    if (s.additionalProperties) return s.additionalProperties;
    return undefined;
  }

  private find(verb: string, path: string): { method: Method; params: Record<string, string>; upload: boolean } | undefined {
    for (const r of this.routes) {
      if (r.method.httpMethod !== verb) continue;
      const m = r.pattern.exec(path);
      if (!m) continue;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return { method: r.method, params, upload: r.upload };
    }
    return undefined;
  }
}

function route(method: Method, template: string, upload: boolean): Route {
  const names: string[] = [];
  let literal = 0;
  const source = template
    .split(/(\{\+?[^}]+\})/)
    .map((part) => {
      const param = /^\{(\+?)([^}]+)\}$/.exec(part);
      if (!param) {
        literal += part.length;
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      names.push(param[2]!);
      return param[1] ? "(.+)" : "([^/:]+)";
    })
    .join("");
  return { method, pattern: new RegExp(`^${source}$`), names, upload, literal };
}

/** A query parameter's value against its type and enum. */
function scalarProblem(value: string, p: { type: string; enum?: string[]; format?: string }): string | undefined {
  if (p.enum && !p.enum.includes(value)) return "TYPE_ENUM";
  if (p.type === "boolean" && value !== "true" && value !== "false") return "TYPE_BOOL";
  if (p.type === "integer" && !/^-?\d+$/.test(value)) return "TYPE_INT32";
  if (p.type === "string" && (p.format === "int64" || p.format === "uint64") && !/^-?\d+$/.test(value)) return "TYPE_INT64";
  return undefined;
}

/** A JSON body value against a scalar schema, as proto3 JSON reads it. */
function jsonScalarProblem(value: unknown, s: Schema): string | undefined {
  switch (s.type) {
    case "string":
      if (typeof value !== "string" && !((s.format === "int64" || s.format === "uint64") && Number.isInteger(value))) return "TYPE_STRING";
      if (s.enum && !s.enum.includes(value as string)) return "TYPE_ENUM";
      if ((s.format === "int64" || s.format === "uint64") && !/^-?\d+$/.test(String(value))) return "TYPE_INT64";
      return undefined;
    case "integer":
      return Number.isInteger(value) || (typeof value === "string" && /^-?\d+$/.test(value)) ? undefined : "TYPE_INT32";
    case "number":
      return typeof value === "number" || (typeof value === "string" && Number.isFinite(Number(value))) ? undefined : "TYPE_DOUBLE";
    case "boolean":
      return typeof value === "boolean" ? undefined : "TYPE_BOOL";
    default:
      return undefined;
  }
}

/** "a,b(c,d),e" split at the top level; undefined when the parentheses do not match. */
function splitTop(mask: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === "(") depth++;
    else if (mask[i] === ")" && --depth < 0) return undefined;
    else if (mask[i] === "," && depth === 0) {
      out.push(mask.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  out.push(mask.slice(start).trim());
  return out.some((s) => s === "") ? undefined : out;
}

/** Google names fields in snake case in its messages: updateCells → update_cells. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

