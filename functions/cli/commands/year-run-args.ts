/**
 * The arguments `hp aggregate` and `hp run` share, and what they make of them: the year's
 * catalogue, the history, the submissions to read, and where to write.
 */
import type { YearCatalogue } from "../../catalogue/catalogue-for-year.js";
import type { ReportSink } from "../../output/report-sink.js";
import type { AggregateYearInput } from "../../pipeline/aggregate-year.js";
import { HpError } from "../../shared/errors.js";
import { parseCommandArgs, parseShare, parseYear } from "../args.js";
import { type Env, openForCommand } from "../context.js";
import type { OpenedYear } from "../../wiring/open-year.js";
import { COMMON_OPTIONS } from "./command.js";

export const YEAR_RUN_HELP = `  --input SÖKVÄG       En fil eller mapp med ifyllda mallar (kan upprepas)
  --year ÅR            Rapporteringsåret
  --out MAPP           Mappen som filerna skrivs till
  --no-store           Spara inte året i historiken
  --max-change ANDEL   Varna när ett värde ändrats mer än ANDEL mot förra året`;

export interface YearRun {
  opened: OpenedYear;
  yc: YearCatalogue;
  sink: ReportSink;
  store: boolean;
  /** The input for aggregateYear and runYear. */
  input: AggregateYearInput;
}

export async function parseYearRun(command: string, argv: string[], env: Env): Promise<YearRun> {
  const { values } = parseCommandArgs(command, argv, {
    ...COMMON_OPTIONS,
    input: { type: "string", multiple: true },
    year: { type: "string" },
    out: { type: "string" },
    "no-store": { type: "boolean" },
    "max-change": { type: "string" },
  });
  const year = parseYear(values.year, command);
  if (!values.input?.length) throw new HpError("usage", `hp ${command} behöver --input, till exempel --input sheets/exempel.`);
  if (!values.out) throw new HpError("usage", `hp ${command} behöver --out, till exempel --out out/.`);
  const opened = await openForCommand(values, env, year);
  const { yc } = opened;
  const store = !values["no-store"];
  return {
    opened,
    yc,
    sink: await opened.sink(values.out),
    store,
    input: {
      yc,
      definition: opened.definition,
      history: opened.history,
      source: await opened.source(values.input),
      maxChange: parseShare(values["max-change"]) ?? opened.maxChange,
      now: opened.now,
      ...(store ? { store: opened.store } : {}),
    },
  };
}
