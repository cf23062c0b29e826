import { loadCatalogue } from "../catalogue/load-catalogue.js";
import type { Catalogue } from "../catalogue/schema.js";
import { type History, readHistoryCsv } from "../history/history.js";
import { type CliConfig, readCliConfig } from "./config.js";

/** What every command needs: configuration, the catalogue and earlier years. */
export interface Context {
  config: CliConfig;
  catalogue: Catalogue;
  history: History;
}

export async function loadContext(
  flags: { catalogue?: string | undefined; history?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<Context> {
  const config = readCliConfig(flags, env);
  const catalogue = await loadCatalogue(config.catalogueDir);
  const history = await readHistoryCsv(config.historyFile);
  return { config, catalogue, history };
}
