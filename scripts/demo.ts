/**
 * `npm run demo`: the product's first impression. Runs the whole pipeline (hp run) on the
 * bundled example data into out/: the template, then check → aggregate → Excel and PDF
 * reports and a page per district. Skarpnäck's workbook has deliberate mistakes, so the run
 * reports them and still makes every report. The year is stored in the history folder every
 * command uses by default (data/historik), and the demo ends with the template for the next
 * year, which shows this year's values. Exit status 0 when everything was made.
 */
import { join } from "node:path";
import { main } from "../functions/cli/main.js";
import { projectRoot } from "../functions/shared/paths.js";

const root = projectRoot();
const out = join(root, "out");
console.log("Mallen för 2025\n");
const template = await main(["template", "--year", "2025", "--out", join(out, "mall-2025.xlsx")]);
console.log("\nHela körningen på exempeldata (Skarpnäck har avsiktliga fel)\n");
const run = await main([
  "run",
  "--input",
  join(root, "sheets", "exempel"),
  "--year",
  "2025",
  "--out",
  out,
]);
// The year is stored, so next year's template shows it: last year's values, self-assessments
// beside this year's, and the activities still going on carried over.
console.log("\nMallen för 2026, med 2025 års värden och aktiviteter\n");
const next = run > 1 ? 1 : await main(["template", "--year", "2026", "--out", join(out, "mall-2026.xlsx")]);
if (template !== 0 || run > 1 || next !== 0) process.exitCode = 1;
else {
  console.log(`
Klart. Nämndrapporten är out/2025/uppfoljning-2025.pdf (och som Word-fil .docx), Excelrapporten
out/2025/uppfoljning-2025.xlsx och de öppna data out/2025/oppna-data-2025.csv och .json;
sidorna per enhet ligger i out/2025/enheter/. Varifrån en siffra kommer:
npx hp explain tp-vfu-platser --year 2025 --unit bromma. Förvaltningarnas
egen text till rapporten står i sheets/rapporttext/2025.md. Mallarna är
out/mall-2025.xlsx och out/mall-2026.xlsx (med 2025 års värden). Fynden i detalj:
npx hp validate sheets/exempel --year 2025`);
}
