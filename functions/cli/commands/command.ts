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
  "history-dir": { type: "string" },
} as const satisfies OptionSpec;

/** Help lines for COMMON_OPTIONS, shown by every command that takes them. */
export const COMMON_HELP = `  --catalogue MAPP     Katalogen (standard: sheets/catalogue, eller HP_CATALOGUE_DIR)
  --history FIL        Medföljande historik (standard: sheets/historik/historik.csv, eller HP_HISTORY_FILE)
  --history-dir MAPP   Historikmappen med sparade år (standard: data/historik, eller HP_HISTORY_DIR)`;
