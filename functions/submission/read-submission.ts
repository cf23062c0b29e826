/**
 * Finds what a filled workbook holds, by the template definition: its identity, which tab is
 * which unit, and the rows of each section, located by header text rather than position so
 * that inserted columns, sorted rows and blank rows do not matter. Values are not judged
 * here; that is validation's job. Problems of structure become findings.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { type Finding, finding } from "../model/findings.js";
import type {
  TemplateDefinition,
} from "../template/definition.js";
import { CENTRAL, expectedReporters, reporterName } from "../template/layout.js";
import { META_KEYS, type TemplateMeta } from "../template/template-meta.js";
import { cellText, type SheetGrid, type WorkbookGrid } from "../workbook/grid.js";

import { readTab } from "./read-tab.js";
import { nameKey, type WorkbookReading } from "./readings.js";

export type { ActivityReading, CellRef, IndicatorRowReading, SelfAssessmentReading, TabReading, WorkbookReading } from "./readings.js";
export { nameKey } from "./readings.js";

export function readSubmission(grid: WorkbookGrid, yc: YearCatalogue, def: TemplateDefinition): WorkbookReading {
  const file = grid.file;
  const findings: Finding[] = [];
  const reading: WorkbookReading = { file, meta: undefined, tabs: [], findings };

  const metaSheet = grid.sheets.find((s) => s.name === def.sheets.meta);
  const meta = metaSheet ? readMeta(metaSheet) : undefined;
  if (!meta) {
    findings.push(
      finding(
        "TEMPLATE_FOREIGN",
        { file },
        "Filen är inte en mall för uppföljningen av handlingsplanen (den saknar mallens informationsflik).",
        `Hämta årets mall (hp template --year ${yc.year}) och för över uppgifterna till den.`,
      ),
    );
    return reading;
  }
  reading.meta = meta;
  if (meta.year !== yc.year) {
    findings.push(
      finding(
        "TEMPLATE_WRONG_YEAR",
        { file },
        `Filen är mallen för ${meta.year}, men det är ${yc.year} som kontrolleras.`,
        `Använd mallen för ${yc.year}.`,
      ),
    );
    return reading;
  }
  if (meta.plan !== yc.plan.id) {
    findings.push(
      finding("TEMPLATE_WRONG_PLAN", { file }, `Filen hör till planen ${meta.plan}, inte ${yc.plan.id}.`, `Använd mallen för ${yc.year}.`),
    );
    return reading;
  }
  if (meta.templateVersion !== def.version) {
    findings.push(
      finding(
        "TEMPLATE_WRONG_VERSION",
        { file },
        `Filen är mallversion ${meta.templateVersion}, men den här versionen av systemet läser version ${def.version}.`,
        `Hämta den aktuella mallen för ${yc.year} och för över uppgifterna till den.`,
      ),
    );
    return reading;
  }

  const ours = new Set([def.sheets.instructions, def.sheets.meta, def.sheets.lists, def.sheets.status, def.sheets.text, def.sheets.results]);
  const unitsByName = new Map<string, string>([
    ...yc.units.map((u) => [nameKey(u.name), u.id] as const),
    [nameKey(def.sheets.central), CENTRAL],
  ]);
  const validReporters = new Set(expectedReporters(yc));
  const expectedName = (reporter: string) => reporterName(yc, def, reporter);

  for (const sheet of grid.sheets) {
    if (ours.has(sheet.name)) continue;
    const tab = readTab(sheet, file, def, validReporters, unitsByName, findings, {
      saved: grid.modified,
      readySeen: grid.readySeen,
      approvedTabs: grid.approvedTabs,
      tabLinks: grid.tabLinks,
    });
    if (!tab) continue;
    if (nameKey(sheet.name) !== nameKey(expectedName(tab.reporter))) {
      findings.push(
        finding(
          "TAB_RENAMED",
          { file, sheet: sheet.name, unit: tab.reporter },
          `Fliken heter "${sheet.name}" men innehåller ${expectedName(tab.reporter)}. Den lästes ändå.`,
          `Byt tillbaka namnet till "${expectedName(tab.reporter)}".`,
        ),
      );
    }
    reading.tabs.push(tab);
  }

  if (meta.scope !== "alla" && !reading.tabs.some((t) => t.reporter === meta.scope)) {
    findings.push(
      finding(
        "TAB_MISSING",
        { file, unit: meta.scope },
        `Filen är mallen för ${expectedName(meta.scope)}, men fliken "${expectedName(meta.scope)}" saknas.`,
        "Använd en ny mall för enheten, eller byt tillbaka flikens namn.",
      ),
    );
  }
  return reading;
}

/** The template identity a meta tab holds (plan, year, version), or undefined when it holds none. */
export function readMeta(sheet: SheetGrid): TemplateMeta | undefined {
  const values = new Map<string, string>();
  for (let r = 1; r <= sheet.rowCount; r++) {
    const key = cellText(sheet.cell(r, 1));
    const value = cellText(sheet.cell(r, 2));
    if (key && value) values.set(key, value);
  }
  const get = (k: keyof TemplateMeta) => values.get(META_KEYS[k]);
  const year = Number(get("year"));
  const version = Number(get("templateVersion"));
  const plan = get("plan");
  if (!plan || !Number.isInteger(year) || !Number.isInteger(version)) return undefined;
  return {
    plan,
    year,
    templateVersion: version,
    catalogueVersion: get("catalogueVersion") ?? "",
    scope: get("scope") ?? "alla",
  };
}
