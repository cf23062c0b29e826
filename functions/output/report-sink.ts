/**
 * Where a run's files go: the report sink. `hp run` and the local functions write to a
 * folder, the Google backend to a Drive folder, tests to memory; the pipeline writes through
 * this one port and does not know which. Names are relative ("enheter/2025-bromma.pdf").
 * Published files are what report readers receive; the rest (aggregates.json, findings.json)
 * are the project leader's, and a sink for readers may leave them out.
 *
 * A run's files are one set: written while nobody sees them, then made current together in
 * one step (commit), so a reader never sees new figures in one file and old in another, and a
 * run that fails or is killed leaves the set before it as it was.
 */
import { HpError } from "../shared/errors.js";

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
  /**
   * Starts a run's set. `set` names what it replaces as a whole (the year: "2025"); `runId`
   * tells this run's set from others; `names` are every name a set of this kind may hold, so
   * that files left from before sets existed can be recognised.
   */
  begin(set: string, runId: string, names?: readonly string[]): Promise<OutputSet>;
}

export interface OutputSet {
  /** Adds a file to the set; nobody sees it before commit. */
  write(name: string, data: Uint8Array | string, options: { published: boolean }): Promise<void>;
  /** Makes the whole set current in one step, and says where each file is (files a sink leaves out are not listed). */
  commit(): Promise<SinkFile[]>;
  /** Drops the set; the current one stays as it was. */
  discard(): Promise<void>;
}

/** File names in a run's set: relative, no way out of the folder, no hidden files. */
export function checkName(name: string): string {
  const parts = name.split("/");
  if (name === "" || name.startsWith("/") || parts.some((p) => p === "" || p === "." || p === ".." || p.startsWith(".") || p.includes("\\"))) {
    throw new HpError("io", `Ogiltigt filnamn i körningen: "${name}".`);
  }
  return name;
}

/** A set being gathered in memory, for sinks that deliver it all at commit. */
export class GatheredSet {
  readonly files = new Map<string, { data: Uint8Array; published: boolean }>();

  async write(name: string, data: Uint8Array | string, { published }: { published: boolean }): Promise<void> {
    this.files.set(checkName(name), { data: typeof data === "string" ? new TextEncoder().encode(data) : data, published });
  }
}

/** Files in memory: for tests, and for checks that must not leave anything behind. */
export class MemorySink implements ReportSink {
  /** The current set. */
  files = new Map<string, { data: Uint8Array; published: boolean }>();

  describe(): string {
    return "minnet";
  }

  async begin(): Promise<OutputSet> {
    const gathered = new GatheredSet();
    let open = true;
    return {
      write: (name, data, options) => {
        if (!open) throw new HpError("io", "Körningens filer är redan klara.");
        return gathered.write(name, data, options);
      },
      commit: async () => {
        open = false;
        this.files = gathered.files;
        return [...gathered.files].map(([name, f]) => ({ name, location: name, link: `memory:${name}`, published: f.published }));
      },
      discard: async () => {
        open = false;
      },
    };
  }
}

/** The media types of the files a run writes, by extension. */
export const OUTPUT_TYPES: Readonly<Record<string, string>> = {
  ".pdf": "application/pdf",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".json": "application/json",
  ".csv": "text/csv",
};
