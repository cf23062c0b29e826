import type { CliIo } from "../io.js";
import type { OptionSpec } from "../args.js";

/** A subcommand of `hp`. `run` returns the exit status; HpErrors are mapped by the caller. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number>;
}

export const COMMON_OPTIONS = {
  catalogue: { type: "string" },
  history: { type: "string" },
} as const satisfies OptionSpec;
