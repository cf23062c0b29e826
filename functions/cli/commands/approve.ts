/**
 * `hp approve` and `hp reopen`: the project leader approves a unit that is ready without errors,
 * or opens an approved one again with a reason. Both hold the year's lock and are recorded in
 * the year's history with who and when.
 */
import { osUser } from "../../lock/year-lock.js";
import { approveUnit, reopenUnit, unitOf } from "../../pipeline/approve-unit.js";
import { HpError } from "../../shared/errors.js";
import { formatStockholmTime } from "../../shared/format-sv.js";
import { reporterName } from "../../template/layout.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP } from "./command.js";
import { withYearRun } from "./year-run-args.js";

const WHO = `  --by NAMN            Vem som gör det (standard: ditt användarnamn på datorn)`;

function who(given: unknown): string {
  if (typeof given === "string" && given.trim()) return given.trim();
  const user = osUser();
  if (!user) throw new HpError("usage", "Skriv vem du är med --by NAMN.");
  return user;
}

export const approveCommand: Command = {
  name: "approve",
  summary: "Godkänn en enhet som är klar att lämna in",
  usage: `hp approve --year ÅR --unit ENHET [--input SÖKVÄG] [--by NAMN]

Godkänner enheten: den ska vara markerad Klar att lämna in och sakna fel. Värdena som enheten
har nu sparas i årets historik tillsammans med godkännandet (vem och när). Därefter används de
godkända värdena i varje körning, även om filen ändras; ändras den sägs det i kontrollen.
Öppna enheten igen med hp reopen.

Flaggor:
  --year ÅR            Rapporteringsåret
  --unit ENHET         Enhetens id eller namn, till exempel bromma
  --input SÖKVÄG       Filen eller mappen med inlämningarna (standard: HP_INPUT_DIR)
${WHO}
${COMMON_HELP}

Slutstatus: 0 godkänd, 2 kunde inte godkännas (orsaken skrivs ut).`,
  run: (argv, io, env) =>
    withYearRun(
      "approve",
      argv,
      env,
      io,
      async ({ opened, values, input }) => {
        const unit = unitOf(opened.yc, opened.definition, requiredUnit(values.unit, "approve"));
        const snapshot = await approveUnit({ ...input, store: opened.store }, unit, who(values.by));
        const event = snapshot.approvals!.at(-1)!;
        io.out(`${reporterName(opened.yc, opened.definition, unit)} är godkänd ${formatStockholmTime(new Date(event.at))} av ${event.by}.`);
        io.out(`Godkännandet och enhetens värden är sparade i historiken ${opened.storeLocation}.`);
        return EXIT.ok;
      },
      { writesFiles: false, inputOptional: true, options: { unit: { type: "string" }, by: { type: "string" } } },
    ),
};

export const reopenCommand: Command = {
  name: "reopen",
  summary: "Öppna en godkänd enhet igen, med en orsak",
  usage: `hp reopen --year ÅR --unit ENHET --reason TEXT [--by NAMN]

Öppnar en godkänd enhet igen, så att ändringar i dess fil används i nästa körning. Orsaken,
vem och när sparas i årets historik.

Flaggor:
  --year ÅR            Rapporteringsåret
  --unit ENHET         Enhetens id eller namn
  --reason TEXT        Varför enheten öppnas (krävs)
${WHO}
${COMMON_HELP}

Slutstatus: 0 öppnad, 2 kunde inte öppnas (orsaken skrivs ut).`,
  run: (argv, io, env) =>
    withYearRun(
      "reopen",
      argv,
      env,
      io,
      async ({ opened, values }) => {
        const unit = unitOf(opened.yc, opened.definition, requiredUnit(values.unit, "reopen"));
        const reason = typeof values.reason === "string" ? values.reason.trim() : "";
        if (!reason) throw new HpError("usage", "hp reopen behöver --reason, till exempel --reason \"Fel antal svarande i enkäten\".");
        await reopenUnit(opened.store, opened.yc, opened.definition, { unit, by: who(values.by), reason, now: opened.now });
        io.out(`${reporterName(opened.yc, opened.definition, unit)} är öppnad igen. Ändringar i enhetens fil används från nästa körning.`);
        return EXIT.ok;
      },
      { writesFiles: false, inputOptional: true, options: { unit: { type: "string" }, by: { type: "string" }, reason: { type: "string" } } },
    ),
};

function requiredUnit(value: unknown, command: string): string {
  if (typeof value !== "string" || !value.trim()) throw new HpError("usage", `hp ${command} behöver --unit ENHET, till exempel --unit bromma.`);
  return value;
}
