/**
 * `npm run demo`: the product's first impression on the bundled example data. Writes the
 * 2025 template, then checks and aggregates the example workbooks (Skarpnäck's has deliberate
 * mistakes) into out/, with the Excel report. History is kept in out/historik so that the
 * demo leaves the project's own history folder alone. Exit status 0 when everything ran,
 * whatever the findings.
 */
import { join } from "node:path";
import { main } from "../functions/cli/main.js";
import { projectRoot } from "../functions/shared/paths.js";

const root = projectRoot();
const out = join(root, "out");
console.log("1/2 Mallen för 2025\n");
const template = await main(["template", "--year", "2025", "--out", join(out, "mall-2025.xlsx")]);
console.log("\n2/2 Kontroll och sammanställning av exempelfilerna i sheets/exempel (Skarpnäck har avsiktliga fel)\n");
const aggregate = await main([
  "aggregate",
  "--input",
  join(root, "sheets", "exempel"),
  "--year",
  "2025",
  "--out",
  out,
  "--history-dir",
  join(out, "historik"),
]);
if (template !== 0 || aggregate > 1) process.exitCode = 1;
else console.log("\nKlart. Se hp validate sheets/exempel --year 2025 för fynden i detalj.");
