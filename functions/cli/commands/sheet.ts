import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { createYearSpreadsheet } from "../../google/create-spreadsheet.js";
import { describeGoogleError } from "../../google/errors.js";
import { shareFile } from "../../google/share.js";
import { localWorkOf } from "../../history/store.js";
import { HpError } from "../../shared/errors.js";
import { z } from "../../shared/zod.js";
import { expectedReporters } from "../../template/layout.js";
import type { OpenedYear } from "../../wiring/open-year.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import type { CliIo } from "../io.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

const EditorsSchema = z.strictObject({
  projectLeaders: z.array(z.email()).min(1),
  units: z.record(z.string(), z.array(z.email())),
});
type Editors = z.infer<typeof EditorsSchema>;

export const EDITORS_HELP = `FIL.yaml anger redigerarna:
  projectLeaders: [projektledare@stockholm.se]
  units:
    skarpnack: [rapportor@stockholm.se]
    central: [hr@stockholm.se]`;

export const sheetCommand: Command = {
  name: "sheet",
  summary: "Skapa ett Google-kalkylark för ett år (utan att registrera det)",
  usage: `hp sheet create --year ÅR --editors FIL.yaml [--folder MAPP-ID]

Skapar årets kalkylark i Google Sheets från samma mall som .xlsx-filen: instruktioner, en flik
per enhet och central rapportering, datavalidering, anteckningar och skyddade områden.
Varje enhets gula celler kan bara ändras av enhetens redigerare, projektledarna och
funktionernas tjänstekonto (som skriver tillbaka kontrollen). Förra årets värden fylls i.
Kalkylarket skapas i en mapp i en delad enhet (shared drive), eftersom ett tjänstekonto inte
kan äga filer. Skriver kalkylarkets id och länk.

Vanligen öppnar man året med hp year open ÅR, som skapar kalkylarket och registrerar det så
att de schemalagda körningarna använder det. hp sheet create skapar bara kalkylarket.

${EDITORS_HELP}

Flaggor:
  --year ÅR            Rapporteringsåret
  --editors FIL        Redigerare per enhet (YAML, som ovan)
  --folder MAPP-ID     Mappen i den delade enheten (standard: HP_DRIVE_FOLDER_ID)
${COMMON_HELP}

Google-åtkomst: tjänstekontots nycklar via Application Default Credentials
(GOOGLE_APPLICATION_CREDENTIALS eller gcloud auth application-default login).`,
  async run(argv, io, env) {
    const [sub, ...rest] = argv;
    if (sub !== "create") throw new HpError("usage", "Använd hp sheet create --year ÅR --editors FIL.yaml.");
    const { values } = parseCommandArgs("sheet create", rest, {
      ...COMMON_OPTIONS,
      year: { type: "string" },
      editors: { type: "string" },
      folder: { type: "string" },
    });
    const year = parseYear(values.year, "sheet create");
    const y = await openForCommand(values, env, year);
    const editors = await readEditors(values.editors, y, "hp sheet create");
    const created = await createSharedSpreadsheet(y, editors, values.folder, io);
    io.out(`Registrera det för de schemalagda körningarna med hp year open ${year} --spreadsheet ${created.id}.`);
    return 0;
  },
};

/** The editors file, checked against the year's units. */
export async function readEditors(path: string | undefined, y: OpenedYear, command: string): Promise<Editors> {
  if (!path) throw new HpError("usage", `${command} behöver --editors FIL.yaml med projektledare och redigerare per enhet.`);
  const text = await readFile(path, "utf8").catch(() => {
    throw new HpError("usage", `Filen ${path} finns inte eller kan inte läsas.`);
  });
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new HpError("usage", `${path} är inte giltig YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const editors = EditorsSchema.safeParse(data);
  if (!editors.success) {
    throw new HpError("usage", `${path} har fel: ${editors.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const known = new Set(expectedReporters(y.yc));
  const unknown = Object.keys(editors.data.units).filter((u) => !known.has(u));
  if (unknown.length > 0) throw new HpError("usage", `${path}: okända enheter ${unknown.join(", ")}.`);
  return editors.data;
}

/** Creates the year's spreadsheet in the shared-drive folder and shares it with its editors. */
export async function createSharedSpreadsheet(y: OpenedYear, editors: Editors, folderFlag: string | undefined, io: CliIo): Promise<{ id: string; url: string }> {
  const folder = folderFlag ?? y.config.google.driveFolderId;
  if (!folder) throw new HpError("usage", "Ange --folder MAPP-ID (en mapp i en delad enhet) eller HP_DRIVE_FOLDER_ID.");
  const clients = await y.google();
  const serviceAccount = await clients.identity();
  if (!serviceAccount) {
    throw new HpError("usage", "Ange funktionernas tjänstekonto med HP_SERVICE_ACCOUNT, så att det kan skriva tillbaka kontrollen i de skyddade flikarna.");
  }
  try {
    const created = await createYearSpreadsheet(
      clients,
      {
        yc: y.yc,
        definition: y.definition,
        history: y.history,
        lastYear: await localWorkOf(y.store, y.year - 1),
        editors: editors.units,
        projectLeaders: editors.projectLeaders,
        serviceAccount,
      },
      folder,
    );
    const everyone = [...editors.projectLeaders, ...Object.values(editors.units).flat()];
    await shareFile(clients, created.id, everyone, "writer", true);
    io.out(`Kalkylarket för ${y.year} är skapat och delat med ${new Set(everyone).size} personer.`);
    io.out(`Id:    ${created.id}`);
    io.out(`Länk:  ${created.url}`);
    return created;
  } catch (error) {
    if (error instanceof HpError) throw error;
    throw new HpError("io", `Kalkylarket kunde inte skapas: ${describeGoogleError(error)}`);
  }
}
