import { reportingSentence } from "../../aggregate/admission.js";
import { aggregateYear, hasErrors } from "../../pipeline/aggregate-year.js";
import { standingLines } from "../../pipeline/year-status.js";
import { inOutputSet, reportModelOf, writeAggregateOutputs } from "../../pipeline/write-outputs.js";
import { displayPath } from "../../shared/paths.js";
import { summaryLine } from "../../validate/format-findings.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP } from "./command.js";
import { withYearRun, YEAR_RUN_HELP, YEAR_RUN_SAFETY } from "./year-run-args.js";

export const aggregateCommand: Command = {
  name: "aggregate",
  summary: "Kontrollera och sammanställ ett år, med Excelrapporten",
  usage: `hp aggregate --input SÖKVÄG... --year ÅR --out MAPP [--no-store]

Kontrollerar inlämningarna, sammanställer dem med tidigare år och skriver till MAPP/ÅR:
  aggregates.json          alla värden per enhet och för staden, år för år, med trender
  findings.json            fynden från kontrollen
  uppfoljning-ÅR.xlsx      Excelrapporten
Året sparas i historiken (den förra versionen behålls), med de värden som räknas: en enhet
som inte har lämnat in utan fel (eller, om katalogen kräver det, inte är godkänd) står som ..
MAPP/ÅR får bara dessa tre filer: PDF:er från en tidigare hp run följer inte med, eftersom
de inte längre stämmer med siffrorna.

${YEAR_RUN_SAFETY}

Flaggor:
${YEAR_RUN_HELP}
${COMMON_HELP}

Slutstatus: 0 inga fel, 1 fel i inlämningarna (filerna skrivs ändå), 2 kunde inte köras.`,
  run: (argv, io, env) =>
    withYearRun("aggregate", argv, env, io, async ({ opened, yc, sink, store, input }) => {
    const result = await aggregateYear(input);
    const model = reportModelOf(result, input.definition, yc);
    const files = await inOutputSet(sink, result, yc.units.map((u) => u.id), input.store, (set) => writeAggregateOutputs(set, result, model, input.definition, input.now));
    const r = result.reporting;
    io.out(summaryLine(result.validation.findings, result.validation.workbooks));
    io.out(`Rapportering ${yc.year}: ${reportingSentence(r)}`);
    for (const line of standingLines(yc, input.definition, r.units, ": värdena räknas inte.")) io.out(`  ${line}`);
    if (store) io.out(`Året är sparat i historiken ${opened.storeLocation}.`);
    io.out("Skrivna filer:");
    for (const file of files) io.out(`  ${displayPath(file.location)}`);
    return hasErrors(result) ? EXIT.findings : EXIT.ok;
    }),
};
