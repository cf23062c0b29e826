/**
 * `npm run demo`: the product's first impression on the bundled example data. Writes the
 * 2025 template to out/ and validates the example workbooks, whose Skarpnäck file has
 * deliberate mistakes. Exit status 0 when both ran, whatever the findings.
 */
import { join } from "node:path";
import { main } from "../functions/cli/main.js";
import { projectRoot } from "../functions/shared/paths.js";

const root = projectRoot();
const out = join(root, "out");
console.log("1/2 Mallen för 2025\n");
const template = await main(["template", "--year", "2025", "--out", join(out, "mall-2025.xlsx")]);
console.log("\n2/2 Kontroll av exempelfilerna i sheets/exempel (Skarpnäck har avsiktliga fel)\n");
const validate = await main(["validate", join(root, "sheets", "exempel"), "--year", "2025"]);
if (template !== 0 || validate > 1) process.exitCode = 1;
else console.log(`\nKlart. Mallen ligger i ${join("out", "mall-2025.xlsx")}.`);
