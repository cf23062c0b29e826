/**
 * Where a run's files go: the report sink. `hp run` and the local functions write to a
 * folder, the Google backend to a Drive folder, tests to memory; the pipeline writes through
 * this one port and does not know which. Names are relative ("enheter/2025-bromma.pdf").
 * Published files are what report readers receive; the rest (aggregates.json, findings.json)
 * are the project leader's, and a sink for readers may leave them out.
 */
import { join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { HpError } from "../shared/errors.js";
import { writeFileAtomic } from "../shared/write-file-atomic.js";

export interface SinkFile {
  /** The name in the run's set, relative. */
  name: string;
  /** Where it is: a path for a folder, an id or name elsewhere. */
  location: string;
  /** A link a person can open: file:// locally, a Drive link in the cloud. */
  link: string;
  published: boolean;
}

export interface ReportSink {
  /** Where the files go, as a person should read it. */
  describe(): string;
  /** Writes one file of the run. Returns it as stored, or undefined when this sink leaves it out. */
  write(name: string, data: Uint8Array | string, options: { published: boolean }): Promise<SinkFile | undefined>;
}

/** File names in a run's set: relative, no way out of the folder, no hidden files. */
export function checkName(name: string): string {
  const parts = name.split("/");
  if (name === "" || name.startsWith("/") || parts.some((p) => p === "" || p === "." || p === ".." || p.startsWith("."))) {
    throw new HpError("io", `Ogiltigt filnamn i körningen: "${name}".`);
  }
  return name;
}

/** Files in a local folder, each written under a temporary name and renamed into place. */
export class FolderSink implements ReportSink {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  describe(): string {
    return this.dir;
  }

  async write(name: string, data: Uint8Array | string, { published }: { published: boolean }): Promise<SinkFile> {
    const path = join(this.dir, ...checkName(name).split("/"));
    if (!path.startsWith(this.dir + sep)) throw new HpError("io", `Ogiltigt filnamn i körningen: "${name}".`);
    await writeFileAtomic(path, data);
    return { name, location: path, link: pathToFileURL(path).href, published };
  }
}

/** Files in memory: for tests, and for checks that must not leave anything behind. */
export class MemorySink implements ReportSink {
  readonly files = new Map<string, { data: Uint8Array; published: boolean }>();

  describe(): string {
    return "minnet";
  }

  async write(name: string, data: Uint8Array | string, { published }: { published: boolean }): Promise<SinkFile> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.files.set(checkName(name), { data: bytes, published });
    return { name, location: name, link: `memory:${name}`, published };
  }
}
