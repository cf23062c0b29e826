/**
 * `hp explain`: where each published figure of an indicator came from, from the year's
 * current run as it published them (MAPP/ÅR/aggregates.json). Reads only.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { catalogueForYear, CITY, type YearCatalogue } from "../../catalogue/catalogue-for-year.js";
import { unitOf } from "../../pipeline/approve-unit.js";
import type { TemplateDefinition } from "../../template/definition.js";
import { explainLines, type PublishedRun } from "../../report/explain.js";
import { HpError } from "../../shared/errors.js";
import { displayPath } from "../../shared/paths.js";
import { CENTRAL } from "../../template/layout.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import { EXIT } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const explainCommand: Command = {
  name: "explain",
  summary: "Varifrån en indikators siffror kommer: fil, flik och cell, import, eller stadens regel och enheter",
  usage: `hp explain INDIKATOR --year ÅR [--unit ENHET] [--out MAPP]

Visar för varje siffra som årets senaste körning publicerade för indikatorn varifrån den
kommer: filen, fliken och cellerna där den skrevs in, importen (filens namn och SHA-256, och
raderna bakom en siffra som visas), eller, för staden, hur den räknas, av vilka enheter och
vilka som saknas och varför. Läser körningens aggregates.json i MAPP/ÅR; skriver ingenting.

INDIKATOR är indikatorns id (till exempel fa1-hot-vald-incidenter) eller dess korta namn.

Flaggor:
  --year ÅR            Rapporteringsåret
  --unit ENHET         Bara en enhet: id eller namn, eller "staden"
  --out MAPP           Mappen som körningen skrev till (standard: out)
${COMMON_HELP}

Slutstatus: 0 visad, 2 kunde inte köras (till exempel ingen körning för året).`,
  async run(argv, io, env) {
    const { values, positionals } = parseCommandArgs("explain", argv, {
      ...COMMON_OPTIONS,
      year: { type: "string" },
      unit: { type: "string" },
      out: { type: "string" },
    });
    const [wanted, ...extra] = positionals;
    if (!wanted || extra.length > 0) throw new HpError("usage", "hp explain tar en indikator, till exempel hp explain fa1-hot-vald-incidenter --year 2025.");
    const year = parseYear(values.year, "explain");
    const opened = await openForCommand(values, env);
    const yc = catalogueForYear(opened.catalogue, year);
    const key = wanted.trim().toLocaleLowerCase("sv-SE");
    const indicator = yc.indicators.find((i) => i.id === key || i.shortTitle.toLocaleLowerCase("sv-SE") === key);
    if (!indicator) throw new HpError("usage", `Indikatorn "${wanted}" finns inte ${year}. Välj en av: ${yc.indicators.map((i) => i.id).join(", ")}.`);
    const names = new Map<string, string>([...opened.catalogue.units.map((u) => [u.id, u.name] as const), [CITY.id, CITY.name], [CENTRAL, opened.definition.sheets.central]]);
    const unit = values.unit === undefined ? undefined : unitId(values.unit, yc, opened.definition);
    const file = join(resolve(values.out ?? "out"), String(year), "aggregates.json");
    const run = await readRun(file, year);
    const lines = explainLines(run, indicator, year, { yc, unitName: (id) => names.get(id) ?? id }, unit);
    io.out(lines.join("\n"));
    return EXIT.ok;
  },
};

/** A unit by id or name (as hp approve takes it), or the city: "staden", its id or its name. */
function unitId(wanted: string, yc: YearCatalogue, definition: TemplateDefinition): string {
  const key = wanted.trim().toLocaleLowerCase("sv-SE");
  return ["staden", CITY.id, CITY.name.toLocaleLowerCase("sv-SE")].includes(key) ? CITY.id : unitOf(yc, definition, wanted);
}

async function readRun(file: string, year: number): Promise<PublishedRun> {
  const shown = displayPath(file);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) throw new HpError("io", `Ingen körning för ${year} i ${shown}. Kör hp run --year ${year} --out MAPP först, eller ange mappen med --out.`);
  let run: PublishedRun;
  try {
    run = JSON.parse(text) as PublishedRun;
  } catch {
    throw new HpError("io", `${shown} är inte en läsbar körning (ogiltig JSON). Kör hp run för året igen.`);
  }
  if (!Array.isArray(run?.rows) || typeof run.generatedAt !== "string") throw new HpError("io", `${shown} är inte en körnings aggregates.json. Kör hp run för året igen.`);
  return run;
}
