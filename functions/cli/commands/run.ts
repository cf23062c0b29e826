import { resolve } from "node:path";
import { catalogueForYear } from "../../catalogue/catalogue-for-year.js";
import { hasErrors } from "../../pipeline/aggregate-year.js";
import { runYear } from "../../pipeline/run-year.js";
import { launchChromium } from "../../render/pdf-printer.js";
import { HpError } from "../../shared/errors.js";
import { displayPath } from "../../shared/paths.js";
import { XlsxFileSource } from "../../submission/source.js";
import { templateDefinition } from "../../template/definition.js";
import { summaryLine } from "../../validate/format-findings.js";
import { parseCommandArgs, parseShare, parseYear } from "../args.js";
import { loadContext, storeLocation } from "../context.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const runCommand: Command = {
  name: "run",
  summary: "Hela körningen: kontroll, sammanställning, Excel och PDF",
  usage: `hp run --input SÖKVÄG... --year ÅR --out MAPP [--no-store]

Kontrollerar inlämningarna, sammanställer dem och skriver till MAPP:
  uppfoljning-ÅR.pdf       nämndrapporten
  uppfoljning-ÅR.xlsx      Excelrapporten
  enheter/ÅR-ENHET.pdf     en sida per enhet
  aggregates.json          alla värden, med trender och rapporteringsgrad
  findings.json            fynden från kontrollen
Filerna skrivs under tillfälligt namn och byts in när de är hela, så tidigare filer finns
kvar om något går fel. En enhet med fel får ändå sin sida; raderna med fel räknas inte.

Flaggor:
  --input SÖKVÄG       En fil eller mapp med ifyllda mallar (kan upprepas)
  --year ÅR            Rapporteringsåret
  --out MAPP           Mappen som filerna skrivs till
  --no-store           Spara inte året i historikmappen
  --max-change ANDEL   Varna när ett värde ändrats mer än ANDEL mot förra året
${COMMON_HELP}

Miljö: HP_CHROMIUM_PATH pekar ut en annan Chromium än den som följer med @sparticuz/chromium.

Slutstatus: 0 klart utan fel, 1 klart men inlämningarna har fel, 2 kunde inte köras eller
någon PDF kunde inte skapas.`,
  async run(argv, io, env) {
    const { values } = parseCommandArgs("run", argv, {
      ...COMMON_OPTIONS,
      input: { type: "string", multiple: true },
      year: { type: "string" },
      out: { type: "string" },
      "no-store": { type: "boolean" },
      "max-change": { type: "string" },
    });
    const year = parseYear(values.year, "run");
    if (!values.input?.length) throw new HpError("usage", "hp run behöver --input, till exempel --input sheets/exempel.");
    if (!values.out) throw new HpError("usage", "hp run behöver --out, till exempel --out out/.");
    const ctx = await loadContext(values, env);
    const yc = catalogueForYear(ctx.catalogue, year);
    const result = await runYear({
      yc,
      definition: templateDefinition(),
      history: ctx.history,
      source: new XlsxFileSource(values.input),
      maxChange: parseShare(values["max-change"]) ?? ctx.catalogue.yearOverYearWarningShare,
      now: ctx.config.now,
      ...(values["no-store"] ? {} : { store: ctx.store }),
      outDir: resolve(values.out),
      launchPrinter: () => launchChromium({ executablePath: ctx.config.chromiumPath }),
      progress: (line) => io.out(line),
    });
    const v = result.aggregate.validation;
    io.out("");
    io.out(summaryLine(v.findings, v.workbooks));
    if (!values["no-store"]) io.out(`Året är sparat i historiken ${storeLocation(ctx.config)}.`);
    io.out("Skrivna filer:");
    for (const file of result.files) io.out(`  ${displayPath(file)}`);
    for (const f of result.failures) io.err(`Kunde inte skapas: ${f.what}: ${f.message}`);
    if (result.failures.length > 0) return EXIT.failed;
    return hasErrors(result.aggregate) ? EXIT.findings : EXIT.ok;
  },
};
