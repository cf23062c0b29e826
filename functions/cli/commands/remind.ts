/**
 * `hp remind`: reminders by e-mail to the contacts of every unit that does not count yet, on
 * the days years.yaml says (or now, for the units named), each unit at most once a day. A dry
 * run lists who would get what and sends nothing; sending holds the year's lock.
 */
import { randomUUID } from "node:crypto";
import { commandOwner, osUser, runOwner } from "../../lock/year-lock.js";
import { unitOf } from "../../pipeline/approve-unit.js";
import { remindYear, type RemindResult } from "../../pipeline/remind-year.js";
import { rulesSentence } from "../../reminders/rules.js";
import { outcomeCounts, planLine } from "../../reminders/send-reminders.js";
import { type OpenedYear, withOpenYear } from "../../wiring/open-year.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { commandConfig, openForCommand } from "../context.js";
import { EXIT, type CliIo } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const remindCommand: Command = {
  name: "remind",
  summary: "Påminn enheter som inte har lämnat in, per e-post",
  usage: `hp remind --year ÅR [--input SÖKVÄG...] [--unit ENHET...] [--dry-run] [--by NAMN]

Skickar en påminnelse på svenska till kontakterna för varje enhet som ännu inte räknas i årets
värden: enhetens läge, vad som är kvar (fel, varningar, markera klar), sista dag och var
enhetens flik eller fil finns. En enhet som bara väntar på projektledarens godkännande påminns
inte. Påminnelser går ut de dagar som reminders i years.yaml säger (dagar före sista dag, på
sista dagen och regelbundet efter); med --unit skickas de till de enheterna nu, oavsett dag.
Ingen enhet påminns två gånger samma dag, vem som än skickar (sidan, schemat, kommandot).
Varje påminnelse, skickad eller inte (ogiltig adress, fel från e-postservern), sparas i
historikmappens påminnelselogg med vem, när och till vilka.

Kontakterna står i sheets/kontakter/ÅR.yaml (eller HP_CONTACTS_DIR). E-postservern är
HP_SMTP_URL (till exempel smtp://relay.example:587), avsändaren HP_MAIL_FROM och lösenordet
HP_SMTP_PASSWORD (aldrig i en fil).

Flaggor:
  --year ÅR            Rapporteringsåret
  --input SÖKVÄG       Filer eller mappar med inlämningarna (standard: HP_INPUT_DIR, eller
                       Google-kalkylarket med HP_BACKEND=google)
  --unit ENHET         Påminn den här enheten nu (id eller namn; kan upprepas)
  --dry-run            Visa vem som skulle få vad; skicka ingenting
  --by NAMN            Vem som skickar (standard: ditt användarnamn på datorn)
${COMMON_HELP}

Slutstatus: 0 skickat (eller inget att skicka), 1 någon påminnelse kunde inte skickas
(orsaken står i listan och i loggen), 2 kunde inte köras.`,
  async run(argv, io, env) {
    const { values } = parseCommandArgs("remind", argv, {
      ...COMMON_OPTIONS,
      year: { type: "string" },
      input: { type: "string", multiple: true },
      unit: { type: "string", multiple: true },
      "dry-run": { type: "boolean" },
      by: { type: "string" },
    });
    const year = parseYear(values.year, "remind");
    const by = (typeof values.by === "string" && values.by.trim()) || `${osUser() ?? "okänd användare"} (hp remind)`;
    const paths = values.input?.length ? values.input : undefined;
    const dryRun = values["dry-run"] === true;
    const work = async (y: OpenedYear) => ({
      rules: rulesSentence(y.catalogue.reminders),
      result: await remindYear(y, { dryRun, by, paths, units: values.unit?.map((u) => unitOf(y.yc, y.definition, u)) }),
    });
    // A dry run only reads: no lock, nothing written. Sending holds the year's lock.
    const { result, rules } = dryRun
      ? await work(await openForCommand(values, env, year))
      : await withOpenYear(commandConfig(env, values), year, runOwner(commandOwner("remind"), randomUUID()), work, { notice: (line) => io.err(line) });
    return report(io, result, rules, dryRun);
  },
};

function report(io: CliIo, result: RemindResult, rules: string, dryRun: boolean): number {
  io.out(rules);
  if (result.plan.nothingDue) {
    io.out(result.plan.nothingDue);
    return EXIT.ok;
  }
  if (dryRun) {
    io.out(`Provkörning: ingenting skickas. Kontakterna ur ${result.contactsWhere}.`);
    for (const p of result.plan.reminders) io.out(`  ${planLine(p)}`);
    return EXIT.ok;
  }
  const outcomes = result.outcomes ?? [];
  for (const o of outcomes) io.out(`  ${planLine(o.planned, o.record)}`);
  const { sent, problems } = outcomeCounts(outcomes);
  io.out(`${sent} ${sent === 1 ? "påminnelse skickad" : "påminnelser skickade"}${result.server ? ` via ${result.server}` : ""}${problems > 0 ? `, ${problems} med problem (se ovan)` : ""}. Loggen finns i historikmappen.`);
  return problems > 0 ? EXIT.findings : EXIT.ok;
}
