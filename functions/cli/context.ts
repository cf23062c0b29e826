/**
 * How a command gets what it needs: its flags and the environment go through the one
 * configuration schema, and the wiring root opens the catalogue or the year from it.
 */
import { type Config, type ConfigFlags, readConfig } from "../wiring/config.js";
import { type Opened, type OpenedYear, openCatalogue, openYear } from "../wiring/open-year.js";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The configuration of a command: the environment and the command's flags through the one
 * schema, here and nowhere else in the CLI (the functions' edge is handlers.ts).
 */
export function commandConfig(env: Env, flags: ConfigFlags = {}): Config {
  return readConfig(env, "cli", flags);
}

export async function openForCommand(flags: ConfigFlags, env: Env): Promise<Opened>;
export async function openForCommand(flags: ConfigFlags, env: Env, year: number): Promise<OpenedYear>;
export async function openForCommand(flags: ConfigFlags, env: Env, year?: number): Promise<Opened | OpenedYear> {
  const config = commandConfig(env, flags);
  return year === undefined ? openCatalogue(config) : openYear(config, year);
}
