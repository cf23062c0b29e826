import { checklist } from "../../google/preflight.js";
import { HpError } from "../../shared/errors.js";
import { commandConfig } from "../context.js";
import { checkDeployment, currentYear } from "../../wiring/deployment.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const googleCommand: Command = {
  name: "google",
  summary: "Kontrollera att Google är rätt uppsatt för funktionerna",
  usage: `hp google check [--year ÅR]

Kontrollerar, som funktionernas tjänstekonto, det som körningarna behöver:
  - bucketen (HP_BUCKET) kan skrivas;
  - årets kalkylark finns, är mallen för året och kan läsas och ändras;
  - tjänstekontot är redigerare i alla skyddade områden (det skriver Kontroll och statusfliken);
  - rapportmappen (HP_DRIVE_FOLDER_ID) ligger i en delad enhet och tjänstekontot kan skapa filer där;
  - rapporterna kan delas med läsarna (HP_REPORT_READERS): en tillfällig mapp delas med dem,
    utan e-post, och läggs sedan i papperskorgen.
Skriver en checklista med åtgärden för varje fel, och avslutas med status 1 om något saknas.
Samma kontroll (utom delningen) loggas i början av varje schemalagd körning.

Flaggor:
  --year ÅR    Året (standard: det år de schemalagda körningarna arbetar med, annars det senaste)
${COMMON_HELP}`,
  async run(argv, io, env) {
    const [sub, ...rest] = argv;
    if (sub !== "check") throw new HpError("usage", "Använd hp google check. Se hp google --help.");
    const { values } = parseCommandArgs("google check", rest, { ...COMMON_OPTIONS, year: { type: "string" } });
    const config = commandConfig(env, values);
    const year = values.year !== undefined ? parseYear(values.year, "google check") : await currentYear(config);
    const checks = await checkDeployment(config, year, true);
    io.out(`Kontroll av Google för ${year}:\n${checklist(checks)}`);
    const failed = checks.filter((c) => !c.ok).length;
    if (failed === 0) {
      io.out("Allt som körningarna behöver finns på plats.");
      return EXIT.ok;
    }
    io.err(`${failed} ${failed === 1 ? "sak saknas" : "saker saknas"}: se åtgärderna ovan.`);
    return EXIT.findings;
  },
};
