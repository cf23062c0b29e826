import { mkdir } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { HpError } from "../../shared/errors.js";
import { displayPath } from "../../shared/paths.js";
import { writeFileAtomic } from "../../shared/write-file-atomic.js";
import { applyApprovals } from "../../pipeline/approvals.js";
import { changedSinceApproval } from "../../pipeline/year-status.js";
import { CENTRAL, reporterName } from "../../template/layout.js";
import { annotateLoaded } from "../../validate/annotate-xlsx.js";
import { countErrors, findingJson, sortFindings } from "../../model/findings.js";
import { formatFindings } from "../../validate/format-findings.js";
import { validateSource } from "../../validate/validate-source.js";
import { importedIndicators } from "../../imports/apply-imports.js";
import { parseCommandArgs, parseShare, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

/** Writes each copy into the folder under its original's name; never over an original, never two under one name. */
async function writeAnnotatedCopies(dir: string, copies: { file: string; path?: string; bytes: Uint8Array }[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const originals = new Set(copies.map((c) => resolve(c.path ?? c.file)));
  for (const copy of copies) {
    // The copy is always an .xlsx: a macro workbook's copy has no macros, and is named so.
    const name = basename(copy.path ?? copy.file).replace(/\.xlsm$/i, ".xlsx");
    let target = resolve(dir, name);
    if (originals.has(target)) {
      throw new HpError("usage", `--annotate ${dir} skulle skriva över originalet ${displayPath(target)}; välj en annan mapp.`);
    }
    for (let n = 2; written.includes(target); n++) target = resolve(dir, name.replace(/(\.xlsx)?$/i, `-${n}$1`));
    await writeFileAtomic(target, copy.bytes);
    written.push(target);
  }
  return written;
}

export const validateCommand: Command = {
  name: "validate",
  summary: "Kontrollera ifyllda arbetsböcker mot indikatorkatalogen",
  usage: `hp validate SÖKVÄG... --year ÅR [--unit ENHET] [--annotate MAPP] [--json] [--max-change ANDEL]

Läser ifyllda mallar och kontrollerar dem mot katalogen. SÖKVÄG är en fil eller en mapp;
en arbetsbok kan innehålla alla flikar eller en enhet. En enhets egen fil kontrolleras för
den enheten: den får inga varningar om andra enheter. Med --unit gäller kontrollen bara de
angivna enheterna (id, till exempel skarpnack; kan upprepas).

Med --annotate MAPP skrivs en kopia av varje arbetsbok, med samma filnamn, till MAPP:
cellerna att rätta är markerade (röd: fel, gul: varning) och har en kommentar, kolumnen
Kontroll är ifylld, och den första fliken Kontrollresultat listar alla fynd med länkar till
cellerna. Originalen ändras aldrig. Skicka kopian till enheten.

Flaggor:
  --year ÅR            Rapporteringsåret, till exempel 2025
  --unit ENHET         Kontrollera bara den här enheten (kan upprepas)
  --annotate MAPP      Skriv kopior med fynden markerade till MAPP
  --json               Skriv fynden som JSON: { "findings": [...] }
  --max-change ANDEL   Varna när ett värde ändrats mer än ANDEL mot förra året
                       (till exempel 0,5 för 50 %; standard från katalogen)
${COMMON_HELP}

Slutstatus: 0 inga fel (varningar går bra), 1 fel som måste rättas, 2 kunde inte köras.`,
  async run(argv, io, env) {
    const { values, positionals } = parseCommandArgs("validate", argv, {
      ...COMMON_OPTIONS,
      year: { type: "string" },
      json: { type: "boolean" },
      annotate: { type: "string" },
      unit: { type: "string", multiple: true },
      "max-change": { type: "string" },
    });
    const year = parseYear(values.year, "validate");
    if (positionals.length === 0) {
      throw new HpError("usage", "hp validate behöver minst en fil eller mapp, till exempel hp validate sheets/exempel --year 2025.");
    }
    const y = await openForCommand(values, env, year);
    const { yc, definition } = y;
    const maxChange = parseShare(values["max-change"]) ?? y.maxChange;
    const units = values.unit?.map((u) => u.trim());
    for (const unit of units ?? []) {
      if (!yc.units.some((u) => u.id === unit) && unit !== CENTRAL) {
        throw new HpError("usage", `Enheten "${unit}" finns inte ${yc.year}. Giltiga: ${yc.units.map((u) => u.id).join(", ")}, ${CENTRAL}.`);
      }
    }
    const options = { yc, definition, history: y.history, maxChange, imported: await importedIndicators(y.imports, year), ...(units ? { units } : {}) };
    const result = await validateSource(await y.source(positionals), options, { keep: values.annotate !== undefined });
    // An approved unit whose file has changed since: said plainly, first, with the values that differ.
    const previous = await y.store.current(year);
    const approvals = applyApprovals(yc, definition, result, previous?.snapshot, y.now);
    result.findings = sortFindings([...result.findings, ...approvals.findings]);
    if (values.json) {
      io.out(JSON.stringify({ findings: result.findings.map(findingJson) }, null, 2));
    } else {
      for (const [unit, changes] of approvals.changes) io.out(`${changedSinceApproval(reporterName(yc, definition, unit), changes)}\n`);
      io.out(formatFindings(result.findings, yc, definition.sheets.central, result.workbooks));
    }
    if (values.annotate !== undefined) {
      const written = await writeAnnotatedCopies(values.annotate, await annotateLoaded(result.loaded ?? [], result.findings, definition, y.now));
      // With --json, stdout is the JSON alone.
      const tell = values.json ? io.err : io.out;
      tell(written.length === 0 ? "Inga arbetsböcker kunde läsas, så inga kopior skrevs." : `Kopior med fynden markerade:`);
      for (const path of written) tell(`  ${displayPath(path)}`);
    }
    return countErrors(result.findings) > 0 ? EXIT.findings : EXIT.ok;
  },
};
