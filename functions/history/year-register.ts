/**
 * The register of opened years: for each year the project leader opened (hp year open), when,
 * by whom, against which catalogue version, and the year's spreadsheet. The running functions
 * read it at every run, so opening a year needs no redeploy. One entry per year – `ÅR.json` in
 * the history folder's `år/` (embedded default) or `register/` in the bucket – so opening two
 * years at once cannot collide; an entry is created only if absent unless it is replaced on
 * purpose, and a replaced entry is kept under `tidigare/`.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Bucket } from "@google-cloud/storage";
import type { Catalogue } from "../catalogue/schema.js";
import { HpError } from "../shared/errors.js";
import { saveIfGeneration, storageStatus } from "../shared/gcs-bucket.js";
import { writeFileAtomic } from "../shared/write-file-atomic.js";
import { z } from "../shared/zod.js";

export const RegisteredYearSchema = z.strictObject({
  year: z.int().min(2000).max(2100),
  openedAt: z.iso.datetime(),
  openedBy: z.string().min(1),
  catalogueVersion: z.string().min(1),
  /** Google: the year's spreadsheet. The embedded default has none. */
  spreadsheetId: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/).optional(),
  spreadsheetUrl: z.url().optional(),
});
export type RegisteredYear = z.infer<typeof RegisteredYearSchema>;

export interface YearRegister {
  /** Where the register is, as a person should read it. */
  readonly location: string;
  list(): Promise<RegisteredYear[]>;
  get(year: number): Promise<RegisteredYear | undefined>;
  /** Records a year; refused when the year is registered already, unless `replace`. */
  record(entry: RegisteredYear, replace: boolean): Promise<void>;
}

const alreadyOpened = (year: number) => new HpError("usage", `${year} är redan öppnat. Ange --replace för att byta årets kalkylark.`);

function parse(text: string, where: string): RegisteredYear {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HpError("history", `Registret över öppnade år är skadat: ${where} är inte JSON.`);
  }
  const entry = RegisteredYearSchema.safeParse(data);
  if (!entry.success) {
    const why = entry.error.issues.map((i) => `${i.path.join(".") || "(roten)"}: ${i.message}`).join("; ");
    throw new HpError("history", `Registret över öppnade år är skadat: ${where} (${why}).`);
  }
  return entry.data;
}

/** The register in memory: for tests and one-off runs; the same rules as the stored ones. */
export class MemoryYearRegister implements YearRegister {
  readonly location = "minnet";
  private readonly years = new Map<number, RegisteredYear>();

  async list() {
    return [...this.years.values()].sort((a, b) => a.year - b.year).map((e) => structuredClone(e));
  }

  async get(year: number) {
    const entry = this.years.get(year);
    return entry && structuredClone(entry);
  }

  async record(entry: RegisteredYear, replace: boolean) {
    const parsed = RegisteredYearSchema.parse(entry);
    if (this.years.has(entry.year) && !replace) throw alreadyOpened(entry.year);
    this.years.set(entry.year, parsed);
  }
}

export class LocalYearRegister implements YearRegister {
  private readonly dir: string;
  constructor(historyDir: string) {
    this.dir = join(historyDir, "år");
  }

  get location() {
    return this.dir;
  }

  async list() {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => /^\d{4}\.json$/.test(n)).sort();
    return Promise.all(names.map(async (n) => parse(await readFile(join(this.dir, n), "utf8"), join(this.dir, n))));
  }

  async get(year: number) {
    const path = join(this.dir, `${year}.json`);
    const text = await readFile(path, "utf8").catch(() => undefined);
    return text === undefined ? undefined : parse(text, path);
  }

  async record(entry: RegisteredYear, replace: boolean) {
    const path = join(this.dir, `${entry.year}.json`);
    const text = `${JSON.stringify(entry, null, 2)}\n`;
    if (!replace) {
      await mkdir(this.dir, { recursive: true });
      // "wx": created only if absent, so a second opening of the same year is refused.
      await writeFile(path, text, { flag: "wx" }).catch((error: NodeJS.ErrnoException) => {
        throw error.code === "EEXIST" ? alreadyOpened(entry.year) : error;
      });
      return;
    }
    const old = await readFile(path, "utf8").catch(() => undefined);
    if (old !== undefined) {
      await mkdir(join(this.dir, "tidigare"), { recursive: true });
      await writeFile(join(this.dir, "tidigare", `${entry.year}-${Date.now()}.json`), old, { flag: "wx" });
    }
    await writeFileAtomic(path, text);
  }
}

const PREFIX = "register/";

export class GcsYearRegister implements YearRegister {
  constructor(private readonly bucket: Bucket) {}

  get location() {
    return `gs://${this.bucket.name}/${PREFIX}`;
  }

  async list() {
    const [files] = await this.bucket.getFiles({ prefix: PREFIX });
    const years = files.map((f) => /^register\/(\d{4})\.json$/.exec(f.name)?.[1]).filter((y): y is string => y !== undefined);
    const entries = await Promise.all(years.map((y) => this.get(Number(y))));
    return entries.filter((e): e is RegisteredYear => e !== undefined).sort((a, b) => a.year - b.year);
  }

  async get(year: number) {
    try {
      const [data] = await this.bucket.file(`${PREFIX}${year}.json`).download();
      return parse(data.toString("utf8"), `${this.location}${year}.json`);
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async record(entry: RegisteredYear, replace: boolean) {
    const file = this.bucket.file(`${PREFIX}${entry.year}.json`);
    let generation = 0;
    if (replace) {
      const [exists] = await file.exists();
      if (exists) {
        const [metadata] = await file.getMetadata();
        generation = Number(metadata.generation);
        await file.copy(this.bucket.file(`${PREFIX}tidigare/${entry.year}-${generation}.json`));
      }
    }
    try {
      await saveIfGeneration(file, `${JSON.stringify(entry, null, 2)}\n`, generation);
    } catch (error) {
      if (storageStatus(error) === 412) throw replace ? new HpError("busy", `Någon annan ändrade ${entry.year} i registret samtidigt. Försök igen.`) : alreadyOpened(entry.year);
      throw error;
    }
  }
}

/** The days of a year's reporting window, as ISO dates: from its opening to the last day the scheduled runs work on it. */
export function reportingWindow(catalogue: Catalogue, entry: RegisteredYear): { from: string; to: string } | undefined {
  const opened = catalogue.reportingYears.find((y) => y.year === entry.year);
  if (!opened) return undefined;
  const to = new Date(`${opened.deadline}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() + catalogue.reportingWindow.daysAfterDeadline);
  return { from: stockholmDate(new Date(entry.openedAt)), to: to.toISOString().slice(0, 10) };
}

/**
 * The year the scheduled runs work on: the latest registered year, in the catalogue, whose
 * window holds today (a Stockholm date). Undefined when no window is open: then they do nothing.
 */
export function scheduledYear(catalogue: Catalogue, registered: readonly RegisteredYear[], today: string): RegisteredYear | undefined {
  return registered
    .filter((entry) => {
      const window = reportingWindow(catalogue, entry);
      return window !== undefined && window.from <= today && today <= window.to;
    })
    .sort((a, b) => b.year - a.year)[0];
}

/** The Stockholm calendar date of a moment, as YYYY-MM-DD. */
export const stockholmDate = (at: Date) => at.toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" });
