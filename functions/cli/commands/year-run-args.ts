/**
 * The arguments `hp aggregate` and `hp run` share, and what they make of them: holding the
 * year's lock, the year's catalogue, the history, the submissions to read, and where to write.
 */
import { randomUUID } from "node:crypto";
import type { YearCatalogue } from "../../catalogue/catalogue-for-year.js";
import { commandOwner, runOwner } from "../../lock/year-lock.js";
import type { ReportSink } from "../../output/report-sink.js";
import type { AggregateYearInput } from "../../pipeline/aggregate-year.js";
import { HpError } from "../../shared/errors.js";
import { commandConfig, type Env } from "../context.js";
import { type OpenedYear, withOpenYear } from "../../wiring/open-year.js";
import { type OptionSpec, parseCommandArgs, parseShare, parseYear } from "../args.js";
import type { CliIo } from "../io.js";
import { COMMON_OPTIONS } from "./command.js";

export const YEAR_RUN_HELP = `  --input SÖKVÄG       En fil eller mapp med ifyllda mallar (kan upprepas)
  --year ÅR            Rapporteringsåret
  --out MAPP           Mappen som filerna skrivs till (i undermappen ÅR)
  --no-store           Spara inte året i historiken
  --max-change ANDEL   Varna när ett värde ändrats mer än ANDEL mot förra året`;

/** Told in every year run's help: the lock and the output set. */
export const YEAR_RUN_SAFETY = `Bara en körning åt gången får skriva ett år: en andra körning för samma år nekas direkt
med besked om vem som kör sedan när. Ett lås som en avbruten körning lämnat tas över när
processen inte längre finns på datorn, annars efter 15 minuter.
Filerna skrivs först i en egen mapp under MAPP/.korningar/ och blir gällande alla på en gång,
tillsammans med historiken, när allt är klart: MAPP/ÅR pekar då på den nya uppsättningen.
Avbryts körningen är den förra uppsättningen kvar, hel.`;

export interface YearRun {
  opened: OpenedYear;
  /** The command's own flags' values, beyond those every year run takes. */
  values: Record<string, string | boolean | string[] | undefined>;
  yc: YearCatalogue;
  sink: ReportSink;
  store: boolean;
  /** The input for aggregateYear and runYear. */
  input: AggregateYearInput;
}

/** What a command adds to a year run: its own flags, and whether it writes files (--out). */
export interface YearRunSpec {
  options?: OptionSpec;
  writesFiles?: boolean;
  /** Without --input, the configured input (HP_INPUT_DIR, or the Google spreadsheet). */
  inputOptional?: boolean;
}

/** Parses a year run's arguments and does the work holding the year's lock. */
export async function withYearRun<T>(
  command: string,
  argv: string[],
  env: Env,
  io: CliIo,
  work: (run: YearRun) => Promise<T>,
  { options = {}, writesFiles = true, inputOptional = false }: YearRunSpec = {},
): Promise<T> {
  const { values } = parseCommandArgs(command, argv, {
    ...options,
    ...COMMON_OPTIONS,
    input: { type: "string", multiple: true },
    year: { type: "string" },
    out: { type: "string" },
    "no-store": { type: "boolean" },
    "max-change": { type: "string" },
  });
  const year = parseYear(values.year, command);
  if (!inputOptional && !values.input?.length) throw new HpError("usage", `hp ${command} behöver --input, till exempel --input sheets/exempel.`);
  if (writesFiles && !values.out) throw new HpError("usage", `hp ${command} behöver --out, till exempel --out out/.`);
  const maxChange = parseShare(values["max-change"]);
  const config = commandConfig(env, values);
  const runId = randomUUID();
  const store = !values["no-store"];
  return withOpenYear(
    config,
    year,
    runOwner(commandOwner(command), runId),
    async (opened) =>
      work({
        opened,
        values: values as YearRun["values"],
        yc: opened.yc,
        sink: await opened.sink(values.out),
        store,
        input: {
          yc: opened.yc,
          definition: opened.definition,
          history: opened.history,
          source: await opened.source(values.input?.length ? values.input : undefined),
          maxChange: maxChange ?? opened.maxChange,
          now: opened.now,
          runId,
          imports: opened.imports,
          ...(store ? { store: opened.store } : {}),
        },
      }),
    { notice: (line) => io.err(line) },
  );
}
