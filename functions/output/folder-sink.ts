/**
 * The report sink as a local folder. Each run writes its whole set into a folder of its own,
 * `.korningar/ÅR-TID-KÖRNING/`, which nobody reads while it is being written; the set is made
 * current in one step by switching the pointer `ÅR` (a symbolic link, renamed into place,
 * which is atomic) to it. People open `MAPP/ÅR/uppfoljning-ÅR.pdf`; whether a run finishes,
 * fails or is killed, that path shows one whole set, the old or the new.
 *
 * The set before stays (a reader may have it open); older sets and sets of runs that never
 * finished are removed once they are a while old. Files of the same name lying directly in
 * the folder, from before sets existed, are moved into `.korningar/tidigare-format/` so that
 * they cannot be taken for current figures.
 */
import { lstat, mkdir, readdir, readlink, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { platform } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { HpError } from "../shared/errors.js";
import { checkName, type OutputSet, type ReportSink, type SinkFile } from "./report-sink.js";

export const SETS_FOLDER = ".korningar";
/** A set that is neither current nor the one before is removed once it is this old. */
const KEEP_MS = 15 * 60_000;

export class FolderSink implements ReportSink {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  describe(): string {
    return this.dir;
  }

  /** Where a set's files are read: the pointer. */
  current(set: string): string {
    return join(this.dir, set);
  }

  async begin(set: string, runId: string, known: readonly string[] = []): Promise<OutputSet> {
    if (set.includes("/") || checkName(set) !== set) throw new HpError("io", `Ogiltigt namn på körningens mapp: "${set}".`);
    await this.checkPointer(set);
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const folder = join(this.dir, SETS_FOLDER, `${set}-${stamp}-${checkName(runId)}`);
    await mkdir(folder, { recursive: true });
    const names = new Map<string, boolean>();
    let open = true;
    return {
      write: async (name, data, { published }) => {
        if (!open) throw new HpError("io", "Körningens filer är redan klara.");
        const path = join(folder, ...checkName(name).split("/"));
        if (!path.startsWith(folder + sep)) throw new HpError("io", `Ogiltigt filnamn i körningen: "${name}".`);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, data);
        names.set(name, published);
      },
      commit: async () => {
        open = false;
        await stat(folder); // the set is still there to point at
        const previous = await this.switchTo(set, folder, [...new Set([...names.keys(), ...known])]);
        await this.removeOld(set, [basename(folder), previous].filter((n): n is string => n !== undefined));
        const pointer = this.current(set);
        return [...names].map(([name, published]) => {
          const location = join(pointer, ...name.split("/"));
          return { name, location, link: pathToFileURL(location).href, published } satisfies SinkFile;
        });
      },
      discard: async () => {
        open = false;
        await rm(folder, { recursive: true, force: true });
      },
    };
  }

  /** The pointer must be ours: a symbolic link, or nothing yet. */
  private async checkPointer(set: string): Promise<string | undefined> {
    const pointer = this.current(set);
    const info = await lstat(pointer).catch(() => undefined);
    if (!info) return undefined;
    if (!info.isSymbolicLink()) {
      throw new HpError(
        "usage",
        `${pointer} finns redan och är ingen länk till en körning, så hp skriver inte över den. Flytta den eller byt namn på den, och kör igen.`,
      );
    }
    return basename(await readlink(pointer));
  }

  /** Points the set's pointer at the folder in one step; returns the folder it pointed at before. */
  private async switchTo(set: string, folder: string, names: string[]): Promise<string | undefined> {
    const previous = await this.checkPointer(set);
    await this.retireLoose(names);
    const pointer = this.current(set);
    const temporary = join(this.dir, `.${set}.${basename(folder)}.pekare`);
    await rm(temporary, { force: true });
    const windows = platform() === "win32";
    await symlink(windows ? folder : relative(this.dir, folder), temporary, windows ? "junction" : "dir");
    try {
      await rename(temporary, pointer);
    } catch (error) {
      // Windows cannot rename a junction over another: the old one goes first.
      if (!windows) throw error;
      await rm(pointer, { force: true });
      await rename(temporary, pointer);
    }
    return previous;
  }

  /** Files lying directly in the folder under a name of the set, from before sets existed. */
  private async retireLoose(names: string[]): Promise<void> {
    for (const name of names) {
      const loose = join(this.dir, ...name.split("/"));
      const info = await lstat(loose).catch(() => undefined);
      if (!info?.isFile()) continue;
      const aside = join(this.dir, SETS_FOLDER, "tidigare-format", ...name.split("/"));
      await mkdir(dirname(aside), { recursive: true });
      await rename(loose, aside);
    }
  }

  private async removeOld(set: string, keep: string[]): Promise<void> {
    const root = join(this.dir, SETS_FOLDER);
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (!name.startsWith(`${set}-`) || keep.includes(name)) continue;
      const info = await stat(join(root, name)).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > KEEP_MS) await rm(join(root, name), { recursive: true, force: true });
    }
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (name.startsWith(`.${set}.`) && name.endsWith(".pekare")) await rm(join(this.dir, name), { force: true });
    }
  }
}
