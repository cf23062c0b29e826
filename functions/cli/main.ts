/**
 * The `hp` command: the project leader's and developers' way to run the pipeline locally.
 * Maps errors to exit statuses here, and nowhere deeper.
 */
import { isHpError } from "../shared/errors.js";
import { commandConfig } from "./context.js";
import { aggregateCommand } from "./commands/aggregate.js";
import { approveCommand, reopenCommand } from "./commands/approve.js";
import { catalogueCommand } from "./commands/catalogue.js";
import { explainCommand } from "./commands/explain.js";
import { googleCommand } from "./commands/google.js";
import { statusCommand } from "./commands/status.js";
import type { Command } from "./commands/command.js";
import { importHistoryCommand } from "./commands/import-history.js";
import { importCommand } from "./commands/import.js";
import { remindCommand } from "./commands/remind.js";
import { runCommand } from "./commands/run.js";
import { sheetCommand } from "./commands/sheet.js";
import { templateCommand } from "./commands/template.js";
import { validateCommand } from "./commands/validate.js";
import { yearCommand } from "./commands/year.js";
import { type CliIo, EXIT, processIo } from "./io.js";

export const COMMANDS: readonly Command[] = [
  templateCommand,
  validateCommand,
  statusCommand,
  approveCommand,
  reopenCommand,
  remindCommand,
  aggregateCommand,
  runCommand,
  importCommand,
  importHistoryCommand,
  explainCommand,
  yearCommand,
  catalogueCommand,
  sheetCommand,
  googleCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `hp – uppföljning av handlingsplanen för en hållbar arbetssituation inom socialtjänsten

Användning: hp KOMMANDO [flaggor]

Kommandon:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Skriv hp KOMMANDO --help för kommandots flaggor.`;
}

export async function main(argv: string[], io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(overview());
    return name === undefined ? EXIT.failed : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Okänt kommando "${name}".\n\n${overview()}`);
    return EXIT.failed;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io, env);
  } catch (error) {
    if (isHpError(error)) {
      io.err(error.message);
    } else {
      io.err(`Ett oväntat fel inträffade i hp ${name}: ${error instanceof Error ? error.message : String(error)}`);
      if (debugWanted(env)) io.err(error instanceof Error ? (error.stack ?? "") : "");
    }
    return EXIT.failed;
  }
}

/** HP_DEBUG, read through the configuration schema even when the rest of it is broken. */
function debugWanted(env: NodeJS.ProcessEnv): boolean {
  try {
    return commandConfig({ HP_DEBUG: env.HP_DEBUG }).debug;
  } catch {
    return false;
  }
}
