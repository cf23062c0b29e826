/**
 * `hp import KÄLLA FIL --year ÅR [--dry-run]`: an export from the system that holds the figures
 * (the staff survey, incidents, the introduction training, the leadership programme) as the
 * year's values of its indicators. All or nothing: a file with any problem imports nothing.
 */
import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { IMPORT_SOURCES, type ImportSourceId } from "../../catalogue/schema.js";
import { commandOwner, osUser, runOwner } from "../../lock/year-lock.js";
import { type ImportOutcome, importYear, typedValues } from "../../pipeline/import-year.js";
import { HpError } from "../../shared/errors.js";
import { displayPath } from "../../shared/paths.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import { type CliIo, EXIT } from "../io.js";
import { importText } from "../../pipeline/import-text.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

/** Larger than any year's export of incidents or new employees; a bigger file is no export of ours. */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export const importCommand: Command = {
  name: "import",
  summary: "Läs in årets värden från ett system: medarbetarenkäten, incidenter, introduktion, ledarprogram",
  usage: `hp import KÄLLA FIL --year ÅR [--dry-run] [--by NAMN]

Läser en export från systemet som har siffrorna och gör den till årets värden för källans
indikatorer, för alla enheter på en gång. De används sedan av hp aggregate, hp run och
funktionerna i stället för det som skrivits på fliken Central rapportering (incidenterna: på
enheternas flikar). En ny import av samma källa ersätter den förra; den förra sparas.
Har filen ett enda fel importeras ingenting.

Källor:
  enkat          Medarbetarenkäten: en rad per förvaltning, fråga och kön med resultat och antal svarande
  incidenter     Incidenter (IA): en rad per incident med id, datum, förvaltning, verksamhet och typ
  introduktion   Introduktionsutbildningen: en rad per nyanställd med förvaltning, startdatum och genomförd
  ledarprogram   Ledarutvecklingsprogrammet: en rad per chef som gått programmet, med förvaltning och datum

FIL är .xlsx (första synliga fliken) eller CSV (semikolon eller komma, UTF-8 eller Windows-1252).
Kolumnernas namn står i sheets/catalogue/imports.yaml. Bara antalen sparas, med filens namn,
storlek och SHA-256 – aldrig raderna, som handlar om personer.

Flaggor:
  --year ÅR            Rapporteringsåret
  --dry-run            Visa vad som skulle ändras, per enhet och indikator; inget sparas
  --input SÖKVÄG       Inlämningarna att jämföra med när källan inte importerats förut
                       (standard: HP_INPUT_DIR, eller Google-kalkylarket med HP_BACKEND=google)
  --by NAMN            Vem som importerar (standard: ditt användarnamn på datorn)
${COMMON_HELP}

Slutstatus: 0 importerad (eller visad med --dry-run), 1 filen har fel (inget importerat), 2 kunde inte köras.`,
  async run(argv, io, env) {
    const { values, positionals } = parseCommandArgs("import", argv, { ...COMMON_OPTIONS, year: { type: "string" }, "dry-run": { type: "boolean" }, by: { type: "string" }, input: { type: "string", multiple: true } });
    const [sourceArg, file, ...extra] = positionals;
    if (!sourceArg || !file || extra.length > 0) throw new HpError("usage", `hp import tar en källa och en fil, till exempel hp import enkat medarbetarenkat-2025.csv --year 2025. Källor: ${IMPORT_SOURCES.join(", ")}.`);
    if (!(IMPORT_SOURCES as readonly string[]).includes(sourceArg)) throw new HpError("usage", `Okänd källa ”${sourceArg}”. Källor: ${IMPORT_SOURCES.join(", ")}.`);
    const source = sourceArg as ImportSourceId;
    const year = parseYear(values.year, "import");
    const by = typeof values.by === "string" && values.by.trim() ? values.by.trim() : osUser();
    if (!by) throw new HpError("usage", "Skriv vem du är med --by NAMN.");
    const shown = displayPath(file);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new HpError("usage", `Filen ${shown} finns inte eller kan inte läsas.`);
    if (info.size > MAX_IMPORT_BYTES) throw new HpError("usage", `${shown} är ${Math.round(info.size / 1024 / 1024)} MB, mer än gränsen ${MAX_IMPORT_BYTES / 1024 / 1024} MB för en export.`);
    const bytes = await readFile(file);
    const y = await openForCommand(values, env, year);
    const paths = values.input?.length ? values.input : undefined;
    const typed = async () => typedValues({ yc: y.yc, definition: y.definition, history: y.history, maxChange: y.maxChange, source: await y.source(paths) });
    const dryRun = values["dry-run"] === true;
    // The dry run compares with what is typed now; the import itself need not read every workbook.
    const input = { yc: y.yc, imports: y.imports, store: y.store, now: y.now, by, typed: dryRun ? typed : undefined };
    const outcome = dryRun
      ? await importYear(input, source, bytes, shown, { dryRun })
      : await y.lock.withLock(year, runOwner(commandOwner("import"), randomUUID()), () => importYear(input, source, bytes, shown, { dryRun }), { notice: (line) => io.err(line) });
    printOutcome(io, outcome, y.yc.catalogue.imports[source].name, y.yc.units, y.yc.indicators, dryRun, y.storeLocation);
    return outcome.problems.length > 0 ? EXIT.findings : EXIT.ok;
  },
};

function printOutcome(io: CliIo, o: ImportOutcome, name: string, units: { id: string; name: string }[], indicators: { id: string; shortTitle: string }[], dryRun: boolean, where: string) {
  const text = importText(o, { source: name, units, indicators }, { dryRun, dryRunNote: "Inget sparades (--dry-run).", where });
  io.out(text.heading);
  // Indented under the heading: the problems, or the notes and the changes; the comparison is a line of its own.
  text.lines.forEach((line, i) => {
    io.out(text.ok && i === o.notes.length ? line : `  ${line}`);
  });
  if (text.ok) io.out(text.result);
  else io.err(text.result);
}
