import { hasErrors } from "../../pipeline/aggregate-year.js";
import { runYear } from "../../pipeline/run-year.js";
import { displayPath } from "../../shared/paths.js";
import { summaryLine } from "../../validate/format-findings.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP } from "./command.js";
import { withYearRun, YEAR_RUN_HELP, YEAR_RUN_SAFETY } from "./year-run-args.js";

export const runCommand: Command = {
  name: "run",
  summary: "Hela körningen: kontroll, sammanställning, Excel och PDF",
  usage: `hp run --input SÖKVÄG... --year ÅR --out MAPP [--no-store]

Kontrollerar inlämningarna, sammanställer dem och skriver till MAPP/ÅR:
  uppfoljning-ÅR.pdf       nämndrapporten
  uppfoljning-ÅR.xlsx      Excelrapporten
  enheter/ÅR-ENHET.pdf     en sida per enhet
  aggregates.json          alla värden, med trender och rapporteringsgrad
  findings.json            fynden från kontrollen
En enhet med fel får ändå sin sida; raderna med fel räknas inte.

${YEAR_RUN_SAFETY}

Flaggor:
${YEAR_RUN_HELP}
${COMMON_HELP}

Miljö: HP_CHROMIUM_PATH pekar ut en annan Chromium än den som följer med @sparticuz/chromium.

Slutstatus: 0 klart utan fel, 1 klart men inlämningarna har fel, 2 kunde inte köras eller
någon PDF kunde inte skapas.`,
  run: (argv, io, env) =>
    withYearRun("run", argv, env, io, async ({ opened, sink, store, input }) => {
    const result = await runYear({ ...input, sink, launchPrinter: opened.launchPrinter, progress: (line) => io.out(line) });
    const v = result.aggregate.validation;
    io.out("");
    io.out(summaryLine(v.findings, v.workbooks));
    if (store) io.out(`Året är sparat i historiken ${opened.storeLocation}.`);
    io.out("Skrivna filer:");
    for (const file of result.files) io.out(`  ${displayPath(file)}`);
    const internal = result.files.filter((f) => !result.published.includes(f));
    if (internal.length > 0) {
      io.out(`Till rapportläsarna: Excelrapporten och PDF:erna. ${internal.map((f) => displayPath(f)).join(" och ")} är projektledarens och delas inte.`);
    }
    for (const f of result.failures) io.err(`Kunde inte skapas: ${f.what}: ${f.message}`);
    if (result.failures.length > 0) return EXIT.failed;
    return hasErrors(result.aggregate) ? EXIT.findings : EXIT.ok;
    }),
};
