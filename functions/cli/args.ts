/**
 * Argument parsing on node:util parseArgs, with Swedish messages for the mistakes people make.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { HpError } from "../shared/errors.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandArgs<O extends OptionSpec>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const option = /'(-{1,2}[^'\s]+)/.exec(message)?.[1];
    const code = (error as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new HpError("usage", `Okänd flagga ${option ?? ""} för hp ${command}. Se hp ${command} --help.`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new HpError("usage", `Flaggan ${option ?? ""} behöver ett värde. Se hp ${command} --help.`);
    }
    throw new HpError("usage", `Felaktiga argument till hp ${command}: ${message}`);
  }
}

/** A year flag: required, four digits. */
export function parseYear(value: string | undefined, command: string): number {
  if (value === undefined) throw new HpError("usage", `hp ${command} behöver --year, till exempel --year 2025.`);
  if (!/^\d{4}$/.test(value.trim())) {
    throw new HpError("usage", `--year ska vara ett årtal med fyra siffror, inte "${value}".`);
  }
  return Number(value);
}

/** "0,5", "0.5" or "50 %" → 0.5. */
export function parseShare(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().replace(",", ".");
  const percent = t.endsWith("%");
  const n = Number(percent ? t.slice(0, -1).trim() : t);
  if (!Number.isFinite(n) || n <= 0) {
    throw new HpError("usage", `--max-change ska vara en andel större än 0, till exempel 0,5 eller 50 %, inte "${text}".`);
  }
  return percent ? n / 100 : n;
}
