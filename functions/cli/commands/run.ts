import { recordRun, type RunSummary, runYearSummary, type Step, summarySentence } from "../../cloud/run-steps.js";
import { commandOwner } from "../../lock/year-lock.js";
import { hasErrors } from "../../pipeline/aggregate-year.js";
import { draftsSentence, runYear } from "../../pipeline/run-year.js";
import { displayPath } from "../../shared/paths.js";
import { summaryLine } from "../../validate/format-findings.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP } from "./command.js";
import { withYearRun, YEAR_RUN_HELP, YEAR_RUN_SAFETY } from "./year-run-args.js";

export const runCommand: Command = {
  name: "run",
  summary: "Hela körningen: kontroll, sammanställning, Excel och PDF",
  usage: `hp run --input SÖKVÄG... --year ÅR --out MAPP [--no-store] [--text FIL] [--forhandsvisning]

Kontrollerar inlämningarna, sammanställer dem och skriver till MAPP/ÅR:
  uppfoljning-ÅR.pdf       nämndrapporten (gemensamt tjänsteutlåtande)
  uppfoljning-ÅR.docx      samma nämndrapport som redigerbar Word-fil
  uppfoljning-ÅR.xlsx      Excelrapporten
  enheter/ÅR-ENHET.pdf     en sida per enhet
  aggregates.json          alla värden, med trender och rapporteringsgrad
  findings.json            fynden från kontrollen
En enhet med fel får ändå sin sida. Bara enheter som har lämnat in (markerat klart, utan fel)
eller som är godkända räknas i stadens värden (years.yaml, admission); övrigas värden står som
.. med orsak i alla tabeller och sparas inte som årets värden.

Med --forhandsvisning görs samma filer med utkasten med, märkta †, i MAPP/forhandsvisning-ÅR.
Varje sida och flik säger FÖRHANDSVISNING; inget sparas i historiken och inget är till
rapportläsarna.

Förvaltningarnas egen text till nämndrapporten (Ärendet, Ärendets beredning, Analys,
Förvaltningarnas synpunkter och förslag och en kommentar per indikator) läses från
sheets/rapporttext/ÅR.md (HP_TEXT_DIR), från --text FIL, eller med Google från kalkylarkets
flik Rapporttext. Rubriker med ## namnger avsnitten, till exempel "## Analys" eller
"## Kommentar: fa1-paverka". Där ingen text finns visas ett förslag, märkt "Förslag till
text, ej granskad", och körningen säger vilka avsnitt det gäller.

${YEAR_RUN_SAFETY}

Flaggor:
${YEAR_RUN_HELP}
  --text FIL           Förvaltningarnas text till nämndrapporten (Markdown)
  --forhandsvisning    Förhandsvisning med utkast, bara för projektledaren
${COMMON_HELP}

Miljö: HP_CHROMIUM_PATH pekar ut en annan Chromium än den som följer med @sparticuz/chromium.

Slutstatus: 0 klart utan fel, 1 klart men inlämningarna eller rapporttexten har fel, 2 kunde
inte köras eller någon PDF kunde inte skapas.`,
  run: (argv, io, env) =>
    withYearRun("run", argv, env, io, async ({ opened, sink, store, input, values }) => {
    const officialsText = await opened.officialsText(typeof values.text === "string" ? values.text : undefined);
    for (const problem of officialsText.problems) io.err(`Rapporttexten: ${problem}`);
    const preview = values.forhandsvisning === true;
    const startedAt = new Date();
    const steps: Step[] = preview ? ["preview"] : ["validate", "report"];
    // Runs from the terminal are in the project leader's history on the page too; a preview
    // leaves nothing in the history folder, not even a line in the run log.
    const run = { id: input.runId!, year: opened.year, steps, by: `${commandOwner("run")} (terminalen)`, startedAt };
    const log = async (ok: boolean, result: string, summary?: RunSummary) =>
      preview ? undefined : recordRun(opened.runLog, run, ok, result, summary, (line) => io.err(line));
    let result: Awaited<ReturnType<typeof runYear>>;
    try {
      result = await runYear({ ...input, preview, sink, launchPrinter: opened.launchPrinter, progress: (line) => io.out(line), officialsText });
    } catch (error) {
      await log(false, (error as Error).message);
      throw error;
    }
    const summary = runYearSummary(opened.yc, result, steps);
    await log(
      result.failures.length === 0,
      result.failures.length === 0 ? summarySentence(summary) : `Rapporter kunde inte skapas: ${result.failures.map((f) => f.what).join(", ")}`,
      summary,
    );
    const v = result.aggregate.validation;
    io.out("");
    io.out(summaryLine(v.findings, v.workbooks));
    if (preview) io.out("Förhandsvisning med utkast: inget sparades i historiken, och filerna är bara för projektledaren.");
    else if (store) io.out(`Året är sparat i historiken ${opened.storeLocation}.`);
    io.out("Skrivna filer:");
    for (const file of result.files) io.out(`  ${displayPath(file)}`);
    const internal = result.files.filter((f) => !result.published.includes(f));
    if (internal.length > 0 && !preview) {
      io.out(`Till rapportläsarna: Excelrapporten, PDF:erna, Word-filen och de öppna data (oppna-data-*.csv och .json). ${internal.map((f) => displayPath(f)).join(" och ")} är projektledarens och delas inte.`);
    }
    for (const f of result.failures) io.err(`Kunde inte skapas: ${f.what}: ${f.message}`);
    if (result.drafts.length > 0) io.out(draftsSentence(result.drafts, officialsText.source));
    if (result.failures.length > 0) return EXIT.failed;
    return hasErrors(result.aggregate) || officialsText.problems.length > 0 ? EXIT.findings : EXIT.ok;
    }, { options: { text: { type: "string" }, forhandsvisning: { type: "boolean" } } }),
};
