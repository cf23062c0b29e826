import { resolve } from "node:path";
import { localWorkOf } from "../../history/store.js";
import { templateImports } from "../../imports/apply-imports.js";
import { HpError } from "../../shared/errors.js";
import { displayPath } from "../../shared/paths.js";
import { writeFileAtomic } from "../../shared/write-file-atomic.js";
import { CENTRAL } from "../../template/layout.js";
import { writeTemplateXlsx } from "../../template/write-template-xlsx.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const templateCommand: Command = {
  name: "template",
  summary: "Skapa mallen (.xlsx) för ett rapporteringsår",
  usage: `hp template --year ÅR --out FIL.xlsx [--unit ENHET]

Skapar arbetsboken som enheterna fyller i: instruktioner, en flik per enhet och fliken
Central rapportering, med förra årets värden där historik finns.

Flaggor:
  --year ÅR         Rapporteringsåret, till exempel 2025 (måste vara öppnat i katalogen)
  --out FIL.xlsx    Filen som skapas
  --unit ENHET      Bara en enhets flik: enhetens id eller namn, eller "central"
${COMMON_HELP}`,
  async run(argv, io, env) {
    const { values } = parseCommandArgs("template", argv, {
      ...COMMON_OPTIONS,
      year: { type: "string" },
      out: { type: "string" },
      unit: { type: "string" },
    });
    const year = parseYear(values.year, "template");
    if (!values.out) throw new HpError("usage", "hp template behöver --out, till exempel --out mall-2025.xlsx.");
    if (!values.out.toLowerCase().endsWith(".xlsx")) {
      throw new HpError("usage", `--out ska vara en .xlsx-fil, inte "${values.out}".`);
    }
    const y = await openForCommand(values, env, year);
    const { yc } = y;
    const only = values.unit === undefined ? undefined : resolveReporter(values.unit, yc.units);
    const buffer = await writeTemplateXlsx({
      yc,
      definition: y.definition,
      history: y.history,
      lastYear: await localWorkOf(y.store, year - 1),
      imported: templateImports(await y.imports.ofYear(year), yc),
      now: y.now,
      ...(only ? { only } : {}),
    });
    const out = resolve(values.out);
    await writeFileAtomic(out, buffer);
    const tabs = only ? "1 enhet" : `${yc.units.length} enheter och central rapportering`;
    io.out(`Mallen för ${year} (${tabs}) är skriven till ${displayPath(out)}.`);
    // Last year's values come from the history; say where, and say so when there are none.
    const previous = year - 1;
    const known = y.history.records.filter((r) => r.year === previous).length;
    const where = `historiken ${y.storeLocation}${y.config.historyFile ? ` och ${displayPath(y.config.historyFile)}` : ""}`;
    if (known > 0) io.out(`Kolumnen Förra året (${previous}) har ${known.toLocaleString("sv-SE")} värden från ${where}.`);
    else io.err(`Varning: inga värden för ${previous} i ${where}, så kolumnen Förra året är tom. Ange --history-dir om året sparades någon annanstans.`);
    return 0;
  },
};

function resolveReporter(wanted: string, units: { id: string; name: string }[]): string {
  const key = wanted.trim().toLocaleLowerCase("sv-SE");
  if (key === CENTRAL) return CENTRAL;
  const unit = units.find((u) => u.id === key || u.name.toLocaleLowerCase("sv-SE") === key);
  if (!unit) {
    throw new HpError(
      "usage",
      `Enheten "${wanted}" finns inte det året. Välj en av: ${units.map((u) => u.id).join(", ")}, ${CENTRAL}.`,
    );
  }
  return unit.id;
}
