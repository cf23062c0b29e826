import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { createYearSpreadsheet } from "../../google/create-spreadsheet.js";
import { describeGoogleError } from "../../google/errors.js";
import { localWorkOf } from "../../history/store.js";
import { shareFile } from "../../google/share.js";
import { HpError } from "../../shared/errors.js";
import { z } from "../../shared/zod.js";
import { expectedReporters } from "../../template/layout.js";
import { parseCommandArgs, parseYear } from "../args.js";
import { openForCommand } from "../context.js";
import { type Command, COMMON_HELP, COMMON_OPTIONS } from "./command.js";

const EditorsSchema = z.strictObject({
  projectLeaders: z.array(z.email()).min(1),
  units: z.record(z.string(), z.array(z.email())),
});

export const sheetCommand: Command = {
  name: "sheet",
  summary: "Skapa årets gemensamma Google-kalkylark",
  usage: `hp sheet create --year ÅR --editors FIL.yaml [--folder MAPP-ID]

Skapar årets kalkylark i Google Sheets från samma mall som .xlsx-filen: instruktioner, en flik
per enhet och central rapportering, datavalidering, anteckningar och skyddade områden.
Varje enhets gula celler kan bara ändras av enhetens redigerare, projektledarna och
funktionernas tjänstekonto (som skriver tillbaka kontrollen). Förra årets värden fylls i.
Kalkylarket skapas i en mapp i en delad enhet (shared drive), eftersom ett tjänstekonto inte
kan äga filer. Skriver kalkylarkets id och länk.

FIL.yaml anger redigerarna:
  projectLeaders: [projektledare@stockholm.se]
  units:
    skarpnack: [rapportor@stockholm.se]
    central: [hr@stockholm.se]

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
    if (!values.editors) throw new HpError("usage", "hp sheet create behöver --editors FIL.yaml med projektledare och redigerare per enhet.");
    const editorsText = await readFile(values.editors, "utf8").catch(() => {
      throw new HpError("usage", `Filen ${values.editors} finns inte eller kan inte läsas.`);
    });
    const editors = EditorsSchema.safeParse(parseYaml(editorsText));
    if (!editors.success) {
      throw new HpError("usage", `${values.editors} har fel: ${editors.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    const y = await openForCommand(values, env, year);
    const { yc } = y;
    const known = new Set(expectedReporters(yc));
    const unknown = Object.keys(editors.data.units).filter((u) => !known.has(u));
    if (unknown.length > 0) throw new HpError("usage", `${values.editors}: okända enheter ${unknown.join(", ")}.`);

    const folder = values.folder ?? y.config.google.driveFolderId;
    if (!folder) throw new HpError("usage", "hp sheet create behöver --folder MAPP-ID (en mapp i en delad enhet) eller HP_DRIVE_FOLDER_ID.");
    const clients = await y.google();
    const serviceAccount = await clients.identity();
    if (!serviceAccount) {
      throw new HpError("usage", "Ange funktionernas tjänstekonto med HP_SERVICE_ACCOUNT, så att det kan skriva tillbaka kontrollen i de skyddade flikarna.");
    }
    try {
      const created = await createYearSpreadsheet(clients, {
        yc,
        definition: y.definition,
        history: y.history,
        lastYear: await localWorkOf(y.store, year - 1),
        editors: editors.data.units,
        projectLeaders: editors.data.projectLeaders,
        serviceAccount,
      }, folder);
      const everyone = [...editors.data.projectLeaders, ...Object.values(editors.data.units).flat()];
      await shareFile(clients, created.id, everyone, "writer", true);
      io.out(`Kalkylarket för ${year} är skapat och delat med ${new Set(everyone).size} personer.`);
      io.out(`Id:    ${created.id}`);
      io.out(`Länk:  ${created.url}`);
      io.out(`Sätt HP_SPREADSHEET_ID=${created.id} i funktionernas miljö.`);
      return 0;
    } catch (error) {
      if (error instanceof HpError) throw error;
      throw new HpError("io", `Kalkylarket kunde inte skapas: ${describeGoogleError(error)}`);
    }
  },
};
