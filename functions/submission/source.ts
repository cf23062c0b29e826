/**
 * Where submissions come from. The embedded default reads .xlsx files from folders; the
 * Google Sheets adapter gives the same WorkbookGrids from a spreadsheet. A workbook that
 * cannot be read arrives as a finding, never as an exception, so the others go on.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { displayPath } from "../shared/paths.js";
import { type Finding, finding } from "../validate/findings.js";
import type { WorkbookGrid } from "../workbook/grid.js";
import { inspectWorkbookFile, type SizeLimits } from "../workbook/inspect-file.js";
import { readXlsxBytes } from "../workbook/read-xlsx.js";

export type LoadedWorkbook =
  | { file: string; grid: WorkbookGrid; sha256: string }
  | { file: string; problem: Finding; sha256?: string };

export interface SubmissionSource {
  /** A description for progress messages, e.g. "3 filer i sheets/exempel". */
  describe(): string;
  load(): Promise<LoadedWorkbook[]>;
}

/** File endings taken from a folder: workbooks, and what people send by mistake instead. */
const FOLDER_EXTENSIONS = new Set([".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".numbers"]);

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
    const { files, problems } = await this.list();
    const loaded: LoadedWorkbook[] = problems.map((p) => ({ file: p.file, problem: p }));
    for (const file of files) loaded.push(await this.loadOne(file));
    return loaded;
  }

  private async loadOne(file: string): Promise<LoadedWorkbook> {
    const full = resolve(this.cwd, file);
    const shown = displayPath(full, this.cwd);
    const problem = await inspectWorkbookFile(full, shown, this.limits);
    if (problem) return { file: shown, problem };
    // Read once: the same bytes are hashed and parsed.
    const bytes = await readFile(full);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    try {
      return { file: shown, grid: await readXlsxBytes(bytes, shown, async () => (await stat(full)).mtime), sha256 };
    } catch (error) {
      return {
        file: shown,
        problem: finding(
          "FILE_CORRUPT",
          { file: shown },
          `Arbetsboken kan inte läsas: ${(error as Error).message}`,
          "Öppna filen i Excel, spara den på nytt och skicka den igen.",
        ),
        sha256,
      };
    }
  }
}
