import { loadCatalogue } from "../catalogue/load-catalogue.js";
import type { Catalogue } from "../catalogue/schema.js";
import { gcsBucket, GcsHistoryStore } from "../history/gcs-store.js";
import { History, readHistoryCsv } from "../history/history.js";
import { combinedHistory, type HistoryStore, LocalHistoryStore } from "../history/store.js";
import { displayPath } from "../shared/paths.js";
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
  const store: HistoryStore = config.bucket
    ? new GcsHistoryStore(await gcsBucket(config.bucket, config.storageEndpoint))
    : new LocalHistoryStore(config.historyDir);
  const baseline = config.historyFile ? await readHistoryCsv(config.historyFile) : History.empty();
  const history = await combinedHistory(baseline, store);
  return { config, catalogue, history, store };
}

/** Where the history store is, as the user should see it. */
export function storeLocation(config: CliConfig): string {
  return config.bucket ? `gs://${config.bucket}/historik` : displayPath(config.historyDir);
}
