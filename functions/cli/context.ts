/**
 * How a command gets what it needs: its flags and the environment go through the one
 * configuration schema, and the wiring root opens the catalogue or the year from it.
 */
import type { ConfigFlags } from "../wiring/config.js";
import { readConfig } from "../wiring/config.js";
import { type Opened, type OpenedYear, openCatalogue, openYear } from "../wiring/open-year.js";

export type Env = Readonly<Record<string, string | undefined>>;

export async function openForCommand(flags: ConfigFlags, env: Env): Promise<Opened>;
export async function openForCommand(flags: ConfigFlags, env: Env, year: number): Promise<OpenedYear>;
export async function openForCommand(flags: ConfigFlags, env: Env, year?: number): Promise<Opened | OpenedYear> {
  const config = readConfig(env, "cli", flags);
  return year === undefined ? openCatalogue(config) : openYear(config, year);
}
