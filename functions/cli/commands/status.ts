/**
 * `hp status`: where every unit stands, in one table. Reads only: it takes no lock and writes
 * nothing, so it can be asked while a run goes on.
 */
import { admissionRuleSentence } from "../../aggregate/admission.js";
import { yearStatus, statusTable } from "../../pipeline/year-status.js";
import { formatLongDate } from "../../shared/format-sv.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const statusCommand: Command = {
  name: "status",
  summary: "Vilka enheter som har lämnat in, är godkända, har fel eller är sena",
  usage: `hp status --year ÅR [--input SÖKVÄG...] [--json]

Visar en rad per enhet: läge (inte påbörjad, pågår, klar med fel, inlämnad, godkänd, godkänd
men ändrad), om enheten räknas i stadens värden, när och av vem fliken markerades Klar att
lämna in, godkännandet, antal fel, varningar och obekräftade värden, om inlämningen kom i tid
och när filen senast ändrades. Läser bara; skriver ingenting.

Flaggor:
  --year ÅR            Rapporteringsåret
  --input SÖKVÄG       Filer eller mappar med inlämningarna (standard: HP_INPUT_DIR, eller
                       Google-kalkylarket med HP_BACKEND=google)
  --json               Skriv tabellen som JSON
${COMMON_HELP}

Slutstatus: 0 visad, 2 kunde inte köras.`,
  async run(argv, io, env) {
    const { values } = parseCommandArgs("status", argv, {
      ...COMMON_OPTIONS,
      year: { type: "string" },
      input: { type: "string", multiple: true },
      json: { type: "boolean" },
    });
    const y = await openForCommand(values, env, parseYear(values.year, "status"));
    const status = await yearStatus({
      yc: y.yc,
      definition: y.definition,
      history: y.history,
      maxChange: y.maxChange,
      now: y.now,
      source: await y.source(values.input?.length ? values.input : undefined),
      store: y.store,
      imports: y.imports,
    });
    if (values.json) {
      io.out(JSON.stringify(status, null, 2));
      return EXIT.ok;
    }
    const s = status.summary;
    io.out(`Uppföljning ${status.year}, sista dag ${formatLongDate(status.deadline)}`);
    io.out(`${s.received} av ${s.expected} har lämnat in (${s.onTime} i tid), ${s.approved} ${s.approved === 1 ? "godkänd" : "godkända"}, ${s.started} har börjat.`);
    io.out(`${s.admitted} av ${s.expected} räknas i stadens värden. ${admissionRuleSentence(s.rule)}`);
    io.out("");
    io.out(statusTable(status));
    return EXIT.ok;
  },
};
