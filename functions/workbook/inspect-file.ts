/**
 * Looks at a file before it is loaded: is it an .xlsx at all, is it whole, is it encrypted,
 * and would it unpack to more than we are willing to hold in memory. A bad file becomes a
 * finding here instead of a crash (or an exhausted process) in the spreadsheet library.
 */
import { readFile, stat } from "node:fs/promises";
import yauzl from "yauzl";
import { DEFAULT_WORKBOOK_LIMITS, type WorkbookLimits } from "../catalogue/schema.js";
import { formatNumber } from "../shared/format-sv.js";
import { type Finding, finding } from "../model/findings.js";

export interface SizeLimits {
  /** Largest file on disk. */
  maxFileBytes: number;
  /** Largest total the zip's entries declare when unpacked. */
  maxUnpackedBytes: number;
  /** Most entries in the zip. */
  maxEntries: number;
  /** Most rows on one tab (the catalogue's workbookLimits). */
  maxRowsPerTab: number;
  /** Most cells on one tab. */
  maxCellsPerTab: number;
}

/** A filled template is a few hundred kilobytes; these leave a wide margin. */
export const DEFAULT_LIMITS: SizeLimits = {
  maxFileBytes: 25 * 1024 * 1024,
  maxUnpackedBytes: 150 * 1024 * 1024,
  maxEntries: 5_000,
  ...limitsOfTab(DEFAULT_WORKBOOK_LIMITS),
};

/** The size limits with the catalogue's rows and cells per tab. */
export function limitsFor(workbook: Pick<WorkbookLimits, "rowsPerTab" | "cellsPerTab">): SizeLimits {
  return { ...DEFAULT_LIMITS, ...limitsOfTab(workbook) };
}

function limitsOfTab(workbook: Pick<WorkbookLimits, "rowsPerTab" | "cellsPerTab">) {
  return { maxRowsPerTab: workbook.rowsPerTab, maxCellsPerTab: workbook.cellsPerTab };
}

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b]);
const ENCRYPTION_INFO = Buffer.from("EncryptionInfo", "utf16le");

/**
 * Reads a workbook file once, after checking that it is a file of a size worth reading, and
 * inspects its bytes. Returns the bytes, or a finding saying why they cannot be read.
 */
export async function readWorkbookFile(
  path: string,
  shown: string,
  limits: SizeLimits = DEFAULT_LIMITS,
): Promise<{ bytes: Buffer; modified: Date } | { problem: Finding }> {
  const at = { file: shown };
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return { problem: finding("FILE_NOT_FOUND", at, `Filen ${shown} finns inte eller kan inte läsas.`) };
  }
  if (!info.isFile()) return { problem: finding("FILE_NOT_FOUND", at, `${shown} är inte en fil.`) };
  const tooBig = sizeProblem(info.size, at, limits);
  if (tooBig) return { problem: tooBig };
  const bytes = await readFile(path);
  const problem = await inspectWorkbookBytes(bytes, shown, limits);
  return problem ? { problem } : { bytes, modified: info.mtime };
}

function sizeProblem(size: number, at: { file: string }, limits: SizeLimits): Finding | undefined {
  if (size === 0) {
    return finding("FILE_EMPTY", at, "Filen är tom (0 byte).", "Spara arbetsboken på nytt från Excel och skicka den igen.");
  }
  if (size > limits.maxFileBytes) {
    return finding(
      "FILE_TOO_LARGE",
      at,
      `Filen är ${mb(size)} MB, mer än gränsen ${mb(limits.maxFileBytes)} MB för en ifylld mall.`,
      "Använd mallen som den är, utan inklistrade bilder eller extra data.",
    );
  }
  return undefined;
}

/** Returns a finding when the bytes cannot be read as an .xlsx workbook, or undefined when they can. */
export async function inspectWorkbookBytes(
  bytes: Buffer,
  shown: string,
  limits: SizeLimits = DEFAULT_LIMITS,
): Promise<Finding | undefined> {
  const at = { file: shown };
  const tooBig = sizeProblem(bytes.length, at, limits);
  if (tooBig) return tooBig;
  if (bytes.subarray(0, 8).equals(CFB_MAGIC)) {
    return bytes.includes(ENCRYPTION_INFO)
      ? finding(
          "FILE_ENCRYPTED",
          at,
          "Arbetsboken är skyddad med lösenord och kan inte läsas.",
          "Ta bort lösenordet (Arkiv > Info > Skydda arbetsbok > Kryptera med lösenord) och skicka filen igen.",
        )
      : finding(
          "FILE_NOT_XLSX",
          at,
          "Filen är i det gamla Excel-formatet (.xls), inte .xlsx.",
          "Spara som Excel-arbetsbok (.xlsx) och skicka igen.",
        );
  }
  if (!bytes.subarray(0, 2).equals(ZIP_MAGIC)) {
    const looksLikeText = !bytes.subarray(0, 1024).some((b) => b === 0);
    return finding(
      "FILE_NOT_XLSX",
      at,
      looksLikeText
        ? "Filen är en textfil (till exempel CSV), inte en Excel-arbetsbok."
        : "Filen är inte en Excel-arbetsbok (.xlsx).",
      "Fyll i mallen för året och spara den som Excel-arbetsbok (.xlsx).",
    );
  }
  return inspectZip(bytes, at, limits);
}

async function inspectZip(bytes: Buffer, at: { file: string }, limits: SizeLimits): Promise<Finding | undefined> {
  const scan = await scanZip(bytes, limits);
  if (scan.kind === "corrupt") {
    return finding(
      "FILE_CORRUPT",
      at,
      "Filen är skadad: den går inte att packa upp som en .xlsx-fil.",
      "Öppna filen i Excel, spara den på nytt och skicka den igen.",
    );
  }
  if (scan.kind === "too-many") {
    return finding("FILE_TOO_LARGE", at, `Filen innehåller fler än ${formatNumber(limits.maxEntries)} delar.`);
  }
  if (scan.kind === "too-large") {
    return finding(
      "FILE_TOO_LARGE",
      at,
      `Filen packas upp till mer än ${mb(limits.maxUnpackedBytes)} MB (minst ${mb(scan.bytes)} MB). Den lästes inte.`,
      "Använd mallen som den är, utan inklistrade bilder eller extra data.",
    );
  }
  const names = new Set(scan.names);
  if (names.has("xl/workbook.xml")) {
    const big = scan.sheets.find((t) => t.rows > limits.maxRowsPerTab || t.cells > limits.maxCellsPerTab);
    if (!big) return undefined;
    const tab = big.tab ? `Fliken ${big.tab}` : "En flik";
    return finding(
      "FILE_TOO_LARGE",
      { ...at, ...(big.tab ? { sheet: big.tab } : {}) },
      big.rows > limits.maxRowsPerTab
        ? `${tab} har ${formatNumber(big.rows)} rader, fler än gränsen ${formatNumber(limits.maxRowsPerTab)} för en flik. Arbetsboken lästes inte.`
        : `${tab} har ${formatNumber(big.cells)} celler, fler än gränsen ${formatNumber(limits.maxCellsPerTab)} för en flik. Arbetsboken lästes inte.`,
      "Använd mallen som den är: ta bort inklistrade rader och data under och bredvid mallens tabeller och skicka filen igen.",
    );
  }
  const kind =
    names.has("content.xml") && names.has("mimetype")
      ? "ett OpenDocument-kalkylark (.ods)"
      : names.has("word/document.xml")
        ? "ett Word-dokument (.docx)"
        : names.has("ppt/presentation.xml")
          ? "en PowerPoint-presentation (.pptx)"
          : "en zip-fil";
  return finding(
    "FILE_NOT_XLSX",
    at,
    `Filen är ${kind}, inte en Excel-arbetsbok (.xlsx).`,
    "Fyll i mallen för året och spara den som Excel-arbetsbok (.xlsx).",
  );
}

/** One worksheet part: its tab (when the workbook names it), and how many rows and cells it holds. */
interface SheetCount {
  part: string;
  tab: string | undefined;
  rows: number;
  cells: number;
}

type ZipScan =
  | { kind: "ok"; names: string[]; sheets: SheetCount[] }
  | { kind: "corrupt" }
  | { kind: "too-many" }
  | { kind: "too-large"; bytes: number };

/**
 * Reads the zip's central directory and then inflates every entry into nothing, counting
 * bytes. The declared sizes are checked first; yauzl also refuses an entry that inflates to
 * more than it declared, so a zip bomb with false headers is stopped at the limit too. The
 * worksheets' rows and cells are counted on the way, in constant memory, so that a tab too
 * big to load is refused before the spreadsheet library builds it.
 */
function scanZip(bytes: Buffer, limits: SizeLimits): Promise<ZipScan> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) return resolve({ kind: "corrupt" });
      const names: string[] = [];
      let declared = 0;
      let settled = false;
      const finish = (result: ZipScan) => {
        if (settled) return;
        settled = true;
        zip.close();
        resolve(result);
      };
      zip.on("error", () => finish({ kind: "corrupt" }));
      const counts: { part: string; rows: number; cells: number }[] = [];
      const small = new Map<string, string>();
      zip.on("end", () => finish({ kind: "ok", names, sheets: tabsOf(counts, small) }));
      zip.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        declared += entry.uncompressedSize;
        if (names.length > limits.maxEntries) return finish({ kind: "too-many" });
        if (declared > limits.maxUnpackedBytes) return finish({ kind: "too-large", bytes: declared });
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return finish({ kind: "corrupt" });
          stream.on("error", () => finish({ kind: "corrupt" }));
          stream.on("end", () => zip.readEntry());
          const name = entry.fileName;
          if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) {
            const count = { part: name, rows: 0, cells: 0 };
            counts.push(count);
            let tail = "";
            stream.on("data", (chunk: Buffer) => {
              // Tags are ASCII; a tag cut between two chunks is counted once, in the chunk where it ends.
              const text = tail + chunk.toString("latin1");
              count.rows += matchesEndingAfter(text, ROW_TAG, tail.length);
              count.cells += matchesEndingAfter(text, CELL_TAG, tail.length);
              tail = text.slice(-16);
            });
          } else if (name === "xl/workbook.xml" || name === "xl/_rels/workbook.xml.rels") {
            let text = "";
            stream.on("data", (chunk: Buffer) => {
              if (text.length < 1024 * 1024) text += chunk.toString("utf8");
            });
            stream.on("end", () => small.set(name, text));
          } else stream.resume();
        });
      });
      zip.readEntry();
    });
  });
}

const ROW_TAG = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g;
const CELL_TAG = /<(?:[A-Za-z_][\w.-]*:)?c[\s>/]/g;

/** How many matches of `tag` in `text` end after position `from` (the part not seen before). */
function matchesEndingAfter(text: string, tag: RegExp, from: number): number {
  let n = 0;
  tag.lastIndex = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) if (m.index + m[0].length > from) n++;
  return n;
}

/** The worksheet parts with their tab names, from workbook.xml and its relationships. */
function tabsOf(counts: { part: string; rows: number; cells: number }[], small: Map<string, string>): SheetCount[] {
  const targets = new Map<string, string>();
  for (const m of (small.get("xl/_rels/workbook.xml.rels") ?? "").matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const tabs = new Map<string, string>();
  for (const m of (small.get("xl/workbook.xml") ?? "").matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    // The relationship id, under whatever prefix the writer gave its namespace (r: in Excel).
    const rid = /\s\w+:id="([^"]+)"/.exec(m[0])?.[1];
    const part = rid ? targets.get(rid) : undefined;
    if (name !== undefined && part) tabs.set(part, unescapeXml(name));
  }
  return counts.map((c) => ({ ...c, tab: tabs.get(c.part) }));
}

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!);

const mb = (bytes: number) => formatNumber(bytes / 1024 / 1024, 1);
