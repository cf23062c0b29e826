import { loadCatalogue } from "../catalogue/load-catalogue.js";
import type { Catalogue } from "../catalogue/schema.js";
import { type History, readHistoryCsv } from "../history/history.js";
import { combinedHistory, type HistoryStore, LocalHistoryStore } from "../history/store.js";
import { type CliConfig, readCliConfig } from "./config.js";

/** What every command needs: configuration, the catalogue and earlier years. */
export interface Context {
  config: CliConfig;
  catalogue: Catalogue;
  /** The bundled baseline with every stored year in place of the baseline's. */
  history: History;
  store: HistoryStore;
}

export async function loadContext(
  flags: { catalogue?: string | undefined; history?: string | undefined; "history-dir"?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<Context> {
  const config = readCliConfig(flags, env);
  const catalogue = await loadCatalogue(config.catalogueDir);
  const store = new LocalHistoryStore(config.historyDir);
  const history = await combinedHistory(await readHistoryCsv(config.historyFile), store);
  return { config, catalogue, history, store };
}
