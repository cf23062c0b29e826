/**
 * The history store in a local folder: `ÅR.json` is the snapshot in force; `tidigare/` keeps
 * every version it replaced, each under its own name (its time and run id), created only if
 * absent so that nothing is ever overwritten.
 *
 * A write goes to a temporary file flushed to disk; then, holding the folder's write lock for
 * the year (`.skriver-ÅR`, a few milliseconds), it checks that the version in force is still
 * the one the run read, keeps that version aside and renames the new one into place. A crash
 * at any point leaves a complete snapshot in force and every earlier version kept.
 */
import { createHash, randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { takeLockFile } from "../lock/lock-file.js";
import { HpError, isHpError } from "../shared/errors.js";
import {
  HistoryConflictError,
  type HistoryStore,
  keptVersionName,
  oldestFirst,
  type Snapshot,
  SnapshotSchema,
  type StoredSnapshot,
} from "./store.js";

/** How long a write waits for another write's few milliseconds before giving up. */
const WRITE_WAIT_MS = 10_000;

export class LocalHistoryStore implements HistoryStore {
  constructor(readonly dir: string) {}

  async years() {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names
      .map((n) => /^(\d{4})\.json$/.exec(n)?.[1])
      .filter((y): y is string => y !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async read(year: number) {
    return (await this.current(year))?.snapshot;
  }

  async current(year: number): Promise<StoredSnapshot | undefined> {
    const path = join(this.dir, `${year}.json`);
    const text = await readFile(path, "utf8").catch(() => undefined);
    return text === undefined ? undefined : { snapshot: parse(text, path), version: versionOf(text) };
  }

  async previous(year: number) {
    const folder = join(this.dir, "tidigare");
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.startsWith(`${year}-`) && n.endsWith(".json"));
    const kept = await Promise.all(
      names.map(async (n) => {
        const path = join(folder, n);
        const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
        return { snapshot: parse(text, path), replacedAt: info.mtimeMs };
      }),
    );
    return oldestFirst(kept);
  }

  async write(snapshot: Snapshot, replaces: string | undefined) {
    const target = join(this.dir, `${snapshot.year}.json`);
    const temporary = join(this.dir, `.${snapshot.year}.json.${randomUUID()}.tmp`);
    try {
      await mkdir(join(this.dir, "tidigare"), { recursive: true });
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(`${JSON.stringify(snapshot, null, 1)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.whileWriting(snapshot.year, async () => {
        const inForce = await this.current(snapshot.year);
        if (inForce?.version !== replaces) throw new HistoryConflictError(snapshot.year);
        if (inForce) await keep(target, join(this.dir, "tidigare", keptVersionName(inForce.snapshot, inForce.version)));
        await rename(temporary, target);
      });
    } catch (error) {
      await rm(temporary, { force: true });
      if (isHpError(error)) throw error;
      throw new HpError("io", `Historiken för ${snapshot.year} kunde inte sparas i ${this.dir}: ${(error as Error).message}`);
    }
  }

  /** Holds the year's write lock for the compare-and-swap; waits briefly for another write. */
  private async whileWriting(year: number, work: () => Promise<void>): Promise<void> {
    const path = join(this.dir, `.skriver-${year}`);
    const until = Date.now() + WRITE_WAIT_MS;
    for (;;) {
      const taken = await takeLockFile(path, "historikskrivning", { staleAfterMs: 60_000 });
      if (!("busy" in taken)) {
        try {
          return await work();
        } finally {
          await taken.release();
        }
      }
      if (Date.now() > until) throw new HpError("busy", `Historiken för ${year} skrivs av en annan process (${path}); försök igen.`);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    }
  }
}

/** Keeps a replaced version: created only if absent; a version already kept under the name is the same version. */
async function keep(from: string, to: string): Promise<void> {
  try {
    await copyFile(from, to, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const [a, b] = await Promise.all([readFile(from), readFile(to)]);
    if (!a.equals(b)) await copyFile(from, to.replace(/\.json$/, `-${versionOf(a.toString("utf8"))}.json`), constants.COPYFILE_EXCL);
  }
}

const versionOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

function parse(text: string, path: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HpError("history", `Historikfilen ${path} är inte giltig JSON.`);
  }
  const parsed = SnapshotSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HpError("history", `Historikfilen ${path} har fel vid ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data as Snapshot;
}
