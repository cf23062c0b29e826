/**
 * Where submissions come from: the port, and its adapters for files and for bytes in memory
 * (the Google Sheets adapter is in google/). Each gives WorkbookGrids; a workbook that cannot
 * be read arrives as a finding, never as an exception, so the others go on.
 */
import { createHash } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { type Finding, finding } from "../model/findings.js";
import type { ValidationResult } from "../model/records.js";
import { displayPath } from "../shared/paths.js";
import type { History } from "../history/history.js";
import type { ImportedCell } from "../template/layout-model.js";
import type { TemplateDefinition } from "../template/definition.js";
import type { WorkbookGrid } from "../workbook/grid.js";
import { inspectWorkbookBytes, readWorkbookFile, type SizeLimits } from "../workbook/inspect-file.js";
import { readXlsxBytes } from "../workbook/read-xlsx.js";

export type LoadedWorkbook =
  | { file: string; grid: WorkbookGrid; sha256: string; bytes?: Uint8Array; path?: string }
  | { file: string; problem: Finding; sha256?: string };

export interface SubmissionSource {
  /** A description for progress messages, e.g. "3 filer i sheets/exempel". */
  describe(): string;
  load(): Promise<LoadedWorkbook[]>;
  /**
   * The same workbooks one at a time, for a source that can read them so: a run over many
   * files then holds one workbook's cells at a time, not all of them.
   */
  each?(): AsyncIterable<LoadedWorkbook>;
  /**
   * Puts the findings back where the reporters work, for a source that can (the Google
   * spreadsheet). Called after load() with what validation made of it.
   */
  annotate?(result: ValidationResult, context: AnnotateContext): Promise<void>;
}

export interface AnnotateContext {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  now: Date;
  /** The year's imported values, by `unit|indicator|breakdown`: their rows say so where the reporters work. */
  imported?: ReadonlyMap<string, ImportedCell>;
}

/** File endings taken from a folder: workbooks, and what people send by mistake instead. */
const FOLDER_EXTENSIONS = new Set([".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".numbers"]);

/** Workbook files and folders of them. */
export class XlsxFileSource implements SubmissionSource {
  constructor(
    private readonly paths: string[],
    private readonly cwd = process.cwd(),
    private readonly limits?: SizeLimits,
  ) {}

  describe(): string {
    return this.paths.join(", ");
  }

  /** The files the paths name: each file as given, and each folder's workbooks in name order. */
  async list(): Promise<{ files: string[]; problems: Finding[] }> {
    const files: string[] = [];
    const problems: Finding[] = [];
    for (const path of this.paths) {
      const full = resolve(this.cwd, path);
      const info = await stat(full).catch(() => undefined);
      if (!info) {
        problems.push(finding("FILE_NOT_FOUND", { file: path }, `${path} finns inte.`, "Kontrollera sökvägen."));
      } else if (info.isDirectory()) {
        const names = (await readdir(full)).filter(
          (n) => !n.startsWith(".") && !n.startsWith("~$") && FOLDER_EXTENSIONS.has(extname(n).toLowerCase()),
        );
        for (const name of names.sort((a, b) => a.localeCompare(b, "sv"))) files.push(join(path, name));
      } else {
        files.push(path);
      }
    }
    return { files, problems };
  }

  async load(): Promise<LoadedWorkbook[]> {
    return collect(this.each());
  }

  async *each(): AsyncIterable<LoadedWorkbook> {
    const { files, problems } = await this.list();
    for (const p of problems) yield { file: p.file, problem: p };
    for (const file of files) yield await this.loadOne(file);
  }

  private async loadOne(file: string): Promise<LoadedWorkbook> {
    const full = resolve(this.cwd, file);
    const shown = displayPath(full, this.cwd);
    // Read once: the same bytes are inspected, hashed and parsed.
    const read = await readWorkbookFile(full, shown, this.limits);
    if ("problem" in read) return { file: shown, problem: read.problem };
    return { ...(await parseWorkbook(read.bytes, shown, async () => read.modified)), path: full };
  }
}

/** Workbooks given as bytes: an upload, or a test. Read like files, never written anywhere. */
export class MemorySource implements SubmissionSource {
  constructor(
    private readonly workbooks: readonly { file: string; bytes: Uint8Array; modified?: Date }[],
    private readonly limits?: SizeLimits,
  ) {}

  describe(): string {
    return this.workbooks.length === 1 ? this.workbooks[0]!.file : `${this.workbooks.length} arbetsböcker`;
  }

  async load(): Promise<LoadedWorkbook[]> {
    return collect(this.each());
  }

  async *each(): AsyncIterable<LoadedWorkbook> {
    for (const { file, bytes, modified } of this.workbooks) {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const problem = await inspectWorkbookBytes(buffer, file, this.limits);
      yield problem ? { file, problem } : await parseWorkbook(buffer, file, async () => modified);
    }
  }
}

/** An async iterable's items in an array (Array.fromAsync, which Node 20 lacks). */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Parses inspected bytes; a workbook the library cannot read becomes a finding. */
async function parseWorkbook(bytes: Buffer, file: string, modified: () => Promise<Date | undefined>): Promise<LoadedWorkbook> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  try {
    return { file, grid: await readXlsxBytes(bytes, file, modified), sha256, bytes };
  } catch (error) {
    return {
      file,
      problem: finding(
        "FILE_CORRUPT",
        { file },
        `Arbetsboken kan inte läsas: ${(error as Error).message}`,
        "Öppna filen i Excel, spara den på nytt och skicka den igen.",
      ),
      sha256,
    };
  }
}
