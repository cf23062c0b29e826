import { createHash, randomUUID } from "node:crypto";
import { commandOwner, runOwner, withYears } from "../../lock/year-lock.js";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseHistoryCsv, HISTORY_COLUMNS, type History } from "../../history/history.js";
import type { Snapshot } from "../../history/store.js";
import { validateHistoryRecords } from "../../history/validate-history.js";
import { HpError } from "../../shared/errors.js";
import { displayPath } from "../../shared/paths.js";
import { groupBy } from "../../shared/group-by.js";
import { countErrors } from "../../model/findings.js";
import { formatFindings } from "../../validate/format-findings.js";
import { catalogueForYear } from "../../catalogue/catalogue-for-year.js";
import { cellText } from "../../workbook/grid.js";
import { DEFAULT_LIMITS, readWorkbookFile } from "../../workbook/inspect-file.js";
import { readXlsxBytes } from "../../workbook/read-xlsx.js";
import { parseCommandArgs } from "../args.js";
import { openForCommand } from "../context.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const importHistoryCommand: Command = {
  name: "import-history",
  summary: "Läs in tidigare års värden i historikmappen (CSV eller XLSX)",
  usage: `hp import-history FIL [--history-dir MAPP]

Läser tidigare års värden i långt format, kontrollerar dem mot katalogen som en inlämning
och sparar ett år i taget i historikmappen. Ett år som redan finns ersätts; den gamla
versionen behålls. Har filen fel sparas ingenting. Kommandot håller låset för varje år i
filen medan det sparar, så det kan inte blandas med en körning för något av åren.

Filen är CSV (komma, punkt som decimaltecken, UTF-8) eller XLSX (första fliken) med
kolumnerna ${HISTORY_COLUMNS.join(",")}; se sheets/historik/README.md.

Flaggor:
${COMMON_HELP}

Slutstatus: 0 inläst, 1 filen har fel (inget sparat), 2 kunde inte köras.`,
  async run(argv, io, env) {
    const { values, positionals } = parseCommandArgs("import-history", argv, COMMON_OPTIONS);
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) throw new HpError("usage", "hp import-history tar en fil, till exempel hp import-history sheets/historik/historik.csv.");
    const ctx = await openForCommand(values, env);
    const shown = displayPath(file);
    const bytes = await readFile(file).catch(() => {
      throw new HpError("usage", `Filen ${shown} finns inte eller kan inte läsas.`);
    });
    const history = extname(file).toLowerCase() === ".xlsx" ? await readXlsxHistory(file, shown) : parseHistoryCsv(bytes.toString("utf8"), shown);
    const findings = validateHistoryRecords(history.records, ctx.catalogue, shown);
    if (countErrors(findings) > 0) {
      const year = ctx.catalogue.reportingYears.at(-1)!.year;
      io.out(formatFindings(findings, catalogueForYear(ctx.catalogue, year), ctx.definition.sheets.central, 1));
      io.err(`Inget sparades: rätta felen i ${shown} och kör igen.`);
      return EXIT.findings;
    }
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const years = groupBy(history.records, (r) => r.year);
    const list = [...years.keys()].sort((a, b) => a - b);
    const runId = randomUUID();
    await withYears(
      ctx.lock,
      list,
      runOwner(commandOwner("import-history"), runId),
      async () => {
        for (const year of list) {
          const replaces = (await ctx.store.current(year))?.version;
          const snapshot: Snapshot = {
            year,
            createdAt: ctx.config.now().toISOString(),
            runId,
            catalogueVersion: ctx.catalogue.version,
            inputs: [{ file: shown, sha256 }],
            records: years.get(year)!,
            ...(history.example ? { example: true } : {}),
          };
          await ctx.store.write(snapshot, replaces);
        }
      },
      { notice: (line) => io.err(line) },
    );
    io.out(`${history.records.length} värden för ${list.length} år (${list[0]}–${list.at(-1)}) är sparade i ${ctx.storeLocation}.`);
    return EXIT.ok;
  },
};

/** A long-format history in the first tab of a workbook, with the CSV's columns. */
async function readXlsxHistory(path: string, shown: string): Promise<History> {
  // A history workbook holds many years of every unit on one tab: rows are not a template's.
  const read = await readWorkbookFile(path, shown, { ...DEFAULT_LIMITS, maxRowsPerTab: 1_000_000, maxCellsPerTab: 20_000_000 });
  if ("problem" in read) throw new HpError("usage", `${shown}: ${read.problem.message}`);
  const grid = await readXlsxBytes(read.bytes, shown, async () => read.modified);
  const sheet = grid.sheets[0];
  if (!sheet) throw new HpError("usage", `${shown} har inga flikar.`);
  const lines: string[] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const cells = HISTORY_COLUMNS.map((_, c) => cellText(sheet.cell(r, c + 1)) ?? "");
    if (cells.every((c) => c === "")) continue;
    lines.push(cells.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(","));
  }
  return parseHistoryCsv(`${lines.join("\n")}\n`, shown);
}
