import { HpError } from "../../shared/errors.js";
import { countErrors, findingJson } from "../../model/findings.js";
import { formatFindings } from "../../validate/format-findings.js";
import { validateSource } from "../../validate/validate-source.js";
import { parseCommandArgs, parseShare, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const validateCommand: Command = {
  name: "validate",
  summary: "Kontrollera ifyllda arbetsböcker mot indikatorkatalogen",
  usage: `hp validate SÖKVÄG... --year ÅR [--json] [--max-change ANDEL]

Läser ifyllda mallar och kontrollerar dem mot katalogen. SÖKVÄG är en fil eller en mapp;
en arbetsbok kan innehålla alla flikar eller en enhet.

Flaggor:
  --year ÅR            Rapporteringsåret, till exempel 2025
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
      "max-change": { type: "string" },
    });
    const year = parseYear(values.year, "validate");
    if (positionals.length === 0) {
      throw new HpError("usage", "hp validate behöver minst en fil eller mapp, till exempel hp validate sheets/exempel --year 2025.");
    }
    const y = await openForCommand(values, env, year);
    const { yc, definition } = y;
    const maxChange = parseShare(values["max-change"]) ?? y.maxChange;
    const result = await validateSource(await y.source(positionals), { yc, definition, history: y.history, maxChange });
    if (values.json) {
      io.out(JSON.stringify({ findings: result.findings.map(findingJson) }, null, 2));
    } else {
      io.out(formatFindings(result.findings, yc, definition.sheets.central, result.workbooks));
    }
    return countErrors(result.findings) > 0 ? EXIT.findings : EXIT.ok;
  },
};
