import { readCatalogueSources } from "../../catalogue/load-catalogue.js";
import { publishCatalogue } from "../../catalogue/published-catalogue.js";
import { osUser } from "../../lock/year-lock.js";
import { HpError } from "../../shared/errors.js";
import { gcsBucket } from "../../shared/gcs-bucket.js";
import { displayPath } from "../../shared/paths.js";
import type { Config } from "../../wiring/config.js";
import { commandConfig } from "../context.js";
import { catalogueInForce } from "../../wiring/open-year.js";
import { parseCommandArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

export const catalogueCommand: Command = {
  name: "catalogue",
  summary: "Kontrollera katalogen, eller publicera den till funktionerna",
  usage: `hp catalogue check [--catalogue MAPP]
hp catalogue publish [--catalogue MAPP]

check kontrollerar katalogfilerna (plans, units, indicators, years) och säger vilken katalog
som gäller: den angivna mappen, annars den som är publicerad i HP_BUCKET, annars den som
följer med programmet.

publish kontrollerar katalogen i mappen och lägger den i HP_BUCKET, där funktionerna läser
den vid nästa körning, utan att installeras om. En katalog med fel publiceras inte. Den
förra versionen sparas i bucketen.

Flaggor:
${COMMON_HELP}`,
  async run(argv, io, env) {
    const [sub, ...rest] = argv;
    const { values } = parseCommandArgs(`catalogue ${sub ?? ""}`.trim(), rest, COMMON_OPTIONS);
    const config = commandConfig(env, values);
    if (sub === "check") {
      const { catalogue, location } = await catalogueInForce(config);
      io.out(
        `Katalogen ${location} är giltig (version ${catalogue.version}): ${catalogue.indicators.length} indikatorer, ${catalogue.units.length} enheter, år ${catalogue.reportingYears.map((y) => y.year).join(", ")}.`,
      );
      return 0;
    }
    if (sub !== "publish") throw new HpError("usage", "Använd hp catalogue check eller hp catalogue publish. Se hp catalogue --help.");
    await publish(config, io, "hp catalogue publish");
    return 0;
  },
};

/** Publishes the catalogue given with --catalogue or HP_CATALOGUE_DIR, when there is a bucket to publish to. */
export async function publishIfGiven(config: Config, io: CliIo, command: string): Promise<void> {
  if (config.catalogueGiven && config.bucket) await publish(config, io, command);
}

async function publish(config: Config, io: CliIo, command: string): Promise<void> {
  if (!config.bucket) throw new HpError("usage", `${command} behöver HP_BUCKET: katalogen publiceras i funktionernas bucket.`);
  const from = displayPath(config.catalogueDir);
  // publishCatalogue validates in full before it writes: a broken catalogue stops with file and line.
  const bucket = await gcsBucket(config.bucket, config.storageEndpoint);
  const { catalogue, changed } = await publishCatalogue(bucket, await readCatalogueSources(config.catalogueDir), from, osUser() ?? "okänd användare", config.now());
  io.out(
    changed
      ? `Katalogen i ${from} (version ${catalogue.version}) är publicerad i gs://${config.bucket}. Funktionerna använder den från nästa körning.`
      : `Katalogen i gs://${config.bucket} är redan version ${catalogue.version}.`,
  );
}
