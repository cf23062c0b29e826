import { resolve } from "node:path";
import { catalogueForYear } from "../../catalogue/catalogue-for-year.js";
import { aggregateYear, hasErrors } from "../../pipeline/aggregate-year.js";
import { reportModelOf, writeAggregateOutputs } from "../../pipeline/write-outputs.js";
import { HpError } from "../../shared/errors.js";
import { displayPath } from "../../shared/paths.js";
import { XlsxFileSource } from "../../submission/source.js";
import { templateDefinition } from "../../template/definition.js";
import { summaryLine } from "../../validate/format-findings.js";
import { parseCommandArgs, parseShare, parseYear } from "../args.js";
import { loadContext, storeLocation } from "../context.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const aggregateCommand: Command = {
  name: "aggregate",
  summary: "Kontrollera och sammanställ ett år, med Excelrapporten",
  usage: `hp aggregate --input SÖKVÄG... --year ÅR --out MAPP [--no-store]

Kontrollerar inlämningarna, sammanställer dem med tidigare år och skriver till MAPP:
  aggregates.json          alla värden per enhet och för staden, år för år, med trender
  findings.json            fynden från kontrollen
  uppfoljning-ÅR.xlsx      Excelrapporten
Året sparas i historikmappen (den förra versionen behålls). Rader med fel räknas inte.

Flaggor:
  --input SÖKVÄG       En fil eller mapp med ifyllda mallar (kan upprepas)
  --year ÅR            Rapporteringsåret
  --out MAPP           Mappen som filerna skrivs till
  --no-store           Spara inte året i historikmappen
  --max-change ANDEL   Varna när ett värde ändrats mer än ANDEL mot förra året
${COMMON_HELP}

Slutstatus: 0 inga fel, 1 fel i inlämningarna (filerna skrivs ändå), 2 kunde inte köras.`,
  async run(argv, io, env) {
    const { values } = parseCommandArgs("aggregate", argv, {
      ...COMMON_OPTIONS,
      input: { type: "string", multiple: true },
      year: { type: "string" },
      out: { type: "string" },
      "no-store": { type: "boolean" },
      "max-change": { type: "string" },
    });
    const year = parseYear(values.year, "aggregate");
    if (!values.input?.length) throw new HpError("usage", "hp aggregate behöver --input, till exempel --input sheets/exempel.");
    if (!values.out) throw new HpError("usage", "hp aggregate behöver --out, till exempel --out out/.");
    const ctx = await loadContext(values, env);
    const yc = catalogueForYear(ctx.catalogue, year);
    const definition = templateDefinition();
    const result = await aggregateYear({
      yc,
      definition,
      history: ctx.history,
      source: new XlsxFileSource(values.input),
      maxChange: parseShare(values["max-change"]) ?? ctx.catalogue.yearOverYearWarningShare,
      now: ctx.config.now,
      ...(values["no-store"] ? {} : { store: ctx.store }),
    });
    const model = reportModelOf(result, definition, yc);
    const files = await writeAggregateOutputs(resolve(values.out), result, model, definition, ctx.config.now);
    const r = result.reporting;
    io.out(summaryLine(result.validation.findings, result.validation.workbooks));
    io.out(`Rapportering ${year}: ${r.received} av ${r.expected} inlämnade, ${r.valid} utan fel, ${r.onTime} i tid.`);
    if (!values["no-store"]) io.out(`Året är sparat i historiken ${storeLocation(ctx.config)}.`);
    io.out("Skrivna filer:");
    for (const file of Object.values(files)) io.out(`  ${displayPath(file)}`);
    return hasErrors(result) ? EXIT.findings : EXIT.ok;
  },
};
