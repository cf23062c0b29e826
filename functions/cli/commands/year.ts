import { join } from "node:path";
import { trashFile } from "../../google/create-spreadsheet.js";
import { checklist, spreadsheetChecks } from "../../google/preflight.js";
import { localWorkOf } from "../../history/store.js";
import { reportingWindow, type RegisteredYear, scheduledYear, stockholmDate } from "../../history/year-register.js";
import { commandOwner, osUser } from "../../lock/year-lock.js";
import { HpError } from "../../shared/errors.js";
import { formatLongDate } from "../../shared/format-sv.js";
import { displayPath } from "../../shared/paths.js";
import { writeFileAtomic } from "../../shared/write-file-atomic.js";
import { writeTemplateXlsx } from "../../template/write-template-xlsx.js";
import { commandConfig } from "../context.js";
import { openCatalogue, openYear, type OpenedYear } from "../../wiring/open-year.js";
import { parseCommandArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { publishIfGiven } from "./catalogue.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";
import { createSharedSpreadsheet, EDITORS_HELP, readEditors } from "./sheet.js";

export const yearCommand: Command = {
  name: "year",
  summary: "Öppna ett rapporteringsår, eller visa de öppnade åren",
  usage: `hp year open ÅR --editors FIL.yaml [--folder MAPP-ID] [--catalogue MAPP]
hp year open ÅR --spreadsheet ID [--replace]
hp year list

hp year open öppnar ett rapporteringsår, utan att funktionerna behöver installeras om:
  1. kontrollerar katalogen för året (året ska stå i years.yaml med sista dag);
     med --catalogue och HP_BUCKET publiceras katalogen först, så att funktionerna använder den;
  2. skapar årets kalkylark i den delade enhetens mapp och delar det med redigerarna
     (med --spreadsheet: kontrollerar ett kalkylark som redan finns i stället);
  3. registrerar året och kalkylarket (i HP_BUCKET, annars i historikmappen).
De schemalagda körningarna arbetar från nästa körning med det senaste öppnade året vars
rapporteringsperiod pågår: från öppnandet till en tid efter sista dag (years.yaml).
Utan Google (HP_BACKEND=local) skrivs årets mall som .xlsx i utmappen i stället för kalkylarket.

hp year list visar åren i katalogen: sista dag, om och när de öppnades, kalkylarket och
rapporteringsperioden, och vilket år de schemalagda körningarna arbetar med i dag.

${EDITORS_HELP}

Flaggor:
  --editors FIL        Redigerare per enhet (YAML, som ovan)
  --folder MAPP-ID     Mappen i den delade enheten (standard: HP_DRIVE_FOLDER_ID)
  --spreadsheet ID     Registrera ett kalkylark som redan finns (skapat med hp sheet create, eller av en person
                       och delat med tjänstekontot som redigerare)
  --replace            Byt kalkylarket för ett år som redan är öppnat (det förra registreringen sparas)
${COMMON_HELP}`,
  async run(argv, io, env) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseCommandArgs(`year ${sub ?? ""}`.trim(), rest, {
      ...COMMON_OPTIONS,
      editors: { type: "string" },
      folder: { type: "string" },
      spreadsheet: { type: "string" },
      replace: { type: "boolean" },
    });
    const config = commandConfig(env, values);
    if (sub === "list") return listYears(await openCatalogue(config), io);
    if (sub !== "open") throw new HpError("usage", "Använd hp year open ÅR eller hp year list. Se hp year --help.");
    const text = positionals[0];
    if (!text || !/^\d{4}$/.test(text) || positionals.length > 1) throw new HpError("usage", "Ange året med fyra siffror: hp year open 2026.");
    const year = Number(text);
    await publishIfGiven(config, io, "hp year open");
    const y = await openYear(config, year);
    const before = await y.register.get(year);
    if (before && !values.replace) {
      throw new HpError("usage", `${year} är redan öppnat${before.spreadsheetUrl ? ` med ${before.spreadsheetUrl}` : ""}. Ange --replace för att byta årets kalkylark.`);
    }
    return y.lock.withLock(year, commandOwner(`year open ${year}`), async () => {
      const entry = await openTheYear(y, values, io);
      try {
        await y.register.record(entry, values.replace === true);
      } catch (error) {
        // A spreadsheet made here but not registered would be one nobody's runs use: to the trash.
        if (entry.spreadsheetId && !values.spreadsheet) {
          await trashFile(await y.google(), entry.spreadsheetId).catch(() => undefined);
          io.err(`Kalkylarket ${entry.spreadsheetId} kunde inte registreras och är lagt i papperskorgen.`);
        }
        throw error;
      }
      const window = reportingWindow(y.catalogue, entry)!;
      io.out(`${year} är öppnat och registrerat i ${y.register.location}.`);
      io.out(`De schemalagda körningarna arbetar med ${year} från ${formatLongDate(window.from)} till ${formatLongDate(window.to)} (sista dag för inlämning ${formatLongDate(y.yc.deadline)}).`);
      return 0;
    });
  },
};

/** Makes (or checks) the year's spreadsheet, or the template file on the embedded default; returns the register entry. */
async function openTheYear(y: OpenedYear, values: { editors?: string; folder?: string; spreadsheet?: string }, io: CliIo): Promise<RegisteredYear> {
  const entry: RegisteredYear = {
    year: y.year,
    openedAt: y.now.toISOString(),
    openedBy: osUser() ?? "okänd användare",
    catalogueVersion: y.catalogue.version,
  };
  if (y.config.backend !== "google") {
    const out = join(y.config.outDir, `mall-${y.year}.xlsx`);
    const lastYear = await localWorkOf(y.store, y.year - 1);
    await writeFileAtomic(out, await writeTemplateXlsx({ yc: y.yc, definition: y.definition, history: y.history, lastYear, now: y.now }));
    io.out(`Mallen för ${y.year} är skriven till ${displayPath(out)}: skicka den till enheterna.`);
    return entry;
  }
  const clients = await y.google();
  if (values.spreadsheet) {
    const sa = (await clients.identity()) ?? "tjänstekontot";
    const checks = await spreadsheetChecks({ clients, spreadsheetId: values.spreadsheet, year: y.year, sheets: y.definition.sheets }, sa);
    if (checks.some((c) => !c.ok)) throw new HpError("usage", `Kalkylarket kan inte registreras för ${y.year}:\n${checklist(checks)}`);
    return { ...entry, spreadsheetId: values.spreadsheet, spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${values.spreadsheet}/edit` };
  }
  const editors = await readEditors(values.editors, y, "hp year open");
  const created = await createSharedSpreadsheet(y, editors, values.folder, io);
  return { ...entry, spreadsheetId: created.id, spreadsheetUrl: created.url };
}

async function listYears(opened: Awaited<ReturnType<typeof openCatalogue>>, io: CliIo): Promise<number> {
  const registered = await opened.register.list();
  const today = stockholmDate(opened.config.now());
  const current = opened.config.year ?? scheduledYear(opened.catalogue, registered, today)?.year;
  io.out(`Katalogen: ${opened.catalogueLocation}. Registret: ${opened.register.location}.`);
  for (const ry of opened.catalogue.reportingYears) {
    const entry = registered.find((r) => r.year === ry.year);
    const window = entry ? reportingWindow(opened.catalogue, entry) : undefined;
    const parts = [
      `sista dag ${formatLongDate(ry.deadline)}`,
      entry ? `öppnat ${formatLongDate(stockholmDate(new Date(entry.openedAt)))} av ${entry.openedBy}` : "inte öppnat med hp year open",
      ...(entry?.spreadsheetUrl ? [entry.spreadsheetUrl] : []),
      ...(window ? [`period ${formatLongDate(window.from)}–${formatLongDate(window.to)}`] : []),
    ];
    io.out(`${ry.year}${ry.year === current ? " ←" : "  "} ${parts.join(", ")}`);
  }
  io.out(
    current === undefined
      ? "Ingen rapporteringsperiod pågår i dag: de schemalagda körningarna gör ingenting."
      : `De schemalagda körningarna arbetar med ${current}${opened.config.year !== undefined ? " (HP_YEAR)" : ""}.`,
  );
  return 0;
}
