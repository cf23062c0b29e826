/**
 * Makes the bundled example data: history for 2016–2024 (sheets/historik/historik.csv) and
 * filled 2025 workbooks for every unit and the central tab (sheets/exempel/), from
 * example-data.ts. Seeded, so every run writes the same values.
 *
 * Run: npm run examples
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { parseHistoryCsv } from "../functions/history/history.js";
import { workbookBytes } from "../functions/shared/deterministic-zip.js";
import { projectRoot } from "../functions/shared/paths.js";
import { templateDefinition } from "../functions/template/definition.js";
import { EXAMPLE_KEYWORD } from "../functions/workbook/read-xlsx.js";
import { CENTRAL } from "../functions/template/layout.js";
import { buildTemplateWorkbook } from "../functions/template/write-template-xlsx.js";
import { EXAMPLE_YEAR, FIRST_YEAR, fillWorkbook, generate, markReady, NOW, type Row, toCsv } from "./example-data.js";

const LATE = new Date("2026-02-18T00:00:00Z");
const ON_TIME = new Date("2026-02-10T00:00:00Z");
const READY_BY = ["Anna Lindqvist", "Omar Haddad", "Karin Berg", "Johan Ek"];

async function main() {
  const root = projectRoot();
  const catalogue = await loadCatalogue();
  const history: Row[] = [];
  for (let year = FIRST_YEAR; year < EXAMPLE_YEAR; year++) history.push(...generate(catalogue, year));
  const historyCsv = toCsv(history);
  await mkdir(join(root, "sheets", "historik"), { recursive: true });
  await writeFile(join(root, "sheets", "historik", "historik.csv"), historyCsv);

  const yc = catalogueForYear(catalogue, EXAMPLE_YEAR);
  const current = generate(catalogue, EXAMPLE_YEAR);
  const out = join(root, "sheets", "exempel");
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const definition = templateDefinition();
  const historyIndex = parseHistoryCsv(historyCsv, "historik.csv");
  for (const reporter of [...yc.units.map((u) => u.id), CENTRAL]) {
    const unit = yc.units.find((u) => u.id === reporter);
    const wb = await buildTemplateWorkbook({ yc, definition, history: historyIndex, only: reporter, now: NOW });
    await fillWorkbook(wb, unit?.name ?? definition.sheets.central, current, catalogue, unit);
    // Every tab is marked ready; Skärholmen only after the deadline, so the rate has a late unit.
    const late = unit?.id === "skarholmen";
    markReady(wb.getWorksheet(unit?.name ?? definition.sheets.central)!, READY_BY[reporter.length % READY_BY.length]!, late ? LATE : ON_TIME);
    if (late) wb.modified = LATE;
    // Reports on these files say they are examples (functions/workbook/read-xlsx EXAMPLE_KEYWORD).
    wb.keywords = EXAMPLE_KEYWORD;
    const name = `${EXAMPLE_YEAR}-${unit ? unit.id : "central-rapportering"}.xlsx`;
    await writeFile(join(out, name), await workbookBytes(wb, NOW));
  }
  console.log(`Historik ${FIRST_YEAR}–${EXAMPLE_YEAR - 1}: ${history.length} rader. Exempelfiler för ${EXAMPLE_YEAR} i sheets/exempel/.`);
}

await main();
