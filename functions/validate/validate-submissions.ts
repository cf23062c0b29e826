/**
 * Validates what was read from the workbooks against the year's catalogue. Every rule works
 * on one cell, row, tab or unit at a time and adds findings; nothing stops the others. The
 * values that pass come out as observations, with their status and where they came from.
 */
import { groupBy } from "../shared/group-by.js";
import { breakdownParts, CITY, statusItems } from "../catalogue/catalogue-for-year.js";
import { covers } from "../catalogue/load-catalogue.js";
import {
  nameKey,
  type TabReading,
  type WorkbookReading,
} from "../submission/read-submission.js";
import { CENTRAL, expectedReporters, reporterName, rowKey, rowsFor } from "../template/layout.js";
import { cellText } from "../workbook/grid.js";
import { capFindingsPerTab, type Finding, type FindingLocation, finding } from "../model/findings.js";
import type { ValidationResult } from "../model/records.js";
import type { FoundRow, ValidationOptions } from "./options.js";
import { checkPartsAddUp, checkYearOverYear } from "./cross-checks.js";
import { validateActivities, validateSelfAssessments } from "./local-work.js";
import { type ReadyState, readyState } from "./ready.js";
import { validateRow } from "./row-rules.js";

export type { ValidationOptions } from "./options.js";

/**
 * The units a check is about: those asked for; else, for one workbook made for one unit, that
 * unit (its file says nothing about the others); none for one workbook that is not a
 * template at all; else every unit of the year.
 */
function unitsInScope(readings: WorkbookReading[], options: ValidationOptions): string[] {
  const all = expectedReporters(options.yc);
  if (options.units) return all.filter((r) => options.units!.includes(r));
  if (readings.length === 1 && readings[0]!.meta === undefined) {
    // One workbook that could not be read as a template says nothing about which units are missing.
    return [];
  }
  const scope = readings.length === 1 ? readings[0]!.meta?.scope : undefined;
  return scope && scope !== "alla" && all.includes(scope) ? [scope] : all;
}

export function validateSubmissions(readings: WorkbookReading[], options: ValidationOptions): ValidationResult {
  const result: ValidationResult = {
    findings: readings.flatMap((r) => r.findings),
    submissions: [],
    observations: [],
    selfAssessments: [],
    activities: [],
    received: [],
    duplicated: [],
    importedRows: [],
  };
  // In a shared workbook every unit fills only its own tab; an untouched tab is not a submission.
  const readiness = new Map<TabReading, ReadyState>();
  const tabs = readings
    .flatMap((r) => r.tabs)
    .filter((tab) => {
      const findings: Finding[] = [];
      const ready = readyState(tab, options.definition, (f) => findings.push(f));
      if (!ready.marked && !isFilled(tab) && cellText(tab.ready?.mark.cell) === undefined) return false;
      readiness.set(tab, ready);
      result.findings.push(...findings);
      return true;
    });
  const byReporter = groupBy(tabs, (t) => t.reporter);

  for (const [reporter, list] of byReporter) {
    const [first, ...others] = list;
    for (const other of others) {
      result.findings.push(
        finding(
          "UNIT_DUPLICATE",
          { file: other.file, sheet: other.sheet, unit: reporter },
          `${reporterName(options.yc, options.definition, reporter)} finns redan i ${first!.file}, fliken "${first!.sheet}". Ingen av dem räknas förrän bara en finns kvar.`,
          "Ta bort den inlämning som inte ska gälla.",
        ),
      );
    }
    if (others.length > 0) result.duplicated.push(reporter);
    else result.received.push(reporter);
    for (const tab of list) validateTab(tab, options, result, others.length === 0);
  }

  const scope = unitsInScope(readings, options);
  if (options.units) {
    // Asked about some units only: what is said about the others is left out.
    result.findings = result.findings.filter((f) => f.unit === null || scope.includes(f.unit));
  }
  for (const reporter of scope) {
    if (byReporter.has(reporter)) continue;
    result.findings.push(
      finding(
        "UNIT_MISSING",
        { file: readings.length === 1 ? readings[0]!.file : "(alla filer)", unit: reporter },
        `Ingen ifylld flik från ${reporterName(options.yc, options.definition, reporter)} för ${options.yc.year}.`,
        "Påminn enheten om att lämna in, eller lägg till dess fil.",
      ),
    );
  }
  for (const tab of tabs) {
    const ready = readiness.get(tab)!;
    const own = result.findings.filter((f) => f.file === tab.file && f.sheet === tab.sheet);
    const errors = own.filter((f) => f.severity === "error").length;
    if (ready.marked && errors > 0) {
      result.findings.push(
        finding(
          "READY_WITH_ERRORS",
          { file: tab.file, sheet: tab.sheet, cell: ready.address, unit: tab.reporter },
          `Fliken är markerad som klar att lämna in, men kontrollen hittade ${errors === 1 ? "ett fel" : `${errors} fel`}. Enheten räknas inte som inlämnad förrän ${errors === 1 ? "felet är rättat" : "felen är rättade"}.`,
          "Rätta de markerade cellerna; markeringen kan stå kvar.",
        ),
      );
    }
    result.submissions.push({
      reporter: tab.reporter,
      file: tab.file,
      sheet: tab.sheet,
      ready: ready.marked,
      readyBy: ready.by,
      submittedAt: ready.marked ? (ready.at?.toISOString() ?? null) : null,
      ...(ready.marked && ready.typed ? { readyTyped: ready.typed.toISOString() } : {}),
      changedAt: tab.saved?.toISOString() ?? null,
      ...(tab.approved === undefined ? {} : { approved: tab.approved }),
      ...(tab.link ? { link: tab.link } : {}),
      errors,
      warnings: own.length - errors + (ready.marked && errors > 0 ? 1 : 0),
    });
  }
  result.findings = capFindingsPerTab(result.findings, options.yc.catalogue.workbookLimits.findingsPerTab);
  return result;
}

/**
 * Whether anything was typed on the tab: a value, a self-assessment or an activity. What the
 * template put there (last year's unfinished activities, the plan's city-wide ones) counts only
 * once the reporter has given it a status or a follow-up of their own.
 */
export function isFilled(tab: TabReading): boolean {
  const central = tab.reporter === CENTRAL;
  return (
    tab.indicatorRows.some((r) => Object.values(r.fields).some((f) => cellText(f.cell) !== undefined)) ||
    (tab.selfAssessments ?? []).some((s) => cellText(s.score.cell) !== undefined) ||
    // A status chosen; on the central tab a follow-up written, on a unit's a row it added itself.
    (tab.activities ?? []).some((a) => cellText(a.status.cell) !== undefined || (central ? a.followUp !== undefined : a.previousStatus === undefined))
  );
}

function validateTab(tab: TabReading, options: ValidationOptions, result: ValidationResult, counts: boolean): void {
  const { yc } = options;
  const catalogue = yc.catalogue;
  const expected = new Map(rowsFor(yc, tab.reporter).map((r) => [rowKey(r.indicator.id, r.unitId, r.part.key), r]));
  const indicators = new Map(catalogue.indicators.map((i) => [i.id, i]));
  const unitIds = new Map<string, string>([
    ...yc.units.map((u) => [nameKey(u.name), u.id] as const),
    ...yc.units.map((u) => [u.id, u.id] as const),
    [nameKey(CITY.name), CITY.id],
  ]);
  const seen = new Map<string, number>();
  const retired = new Set<string>();
  const found: FoundRow[] = [];
  const push = (f: Finding) => result.findings.push(f);

  for (const reading of tab.indicatorRows) {
    const at: FindingLocation = { file: tab.file, sheet: tab.sheet, cell: reading.idAddress, unit: tab.reporter };
    const indicator = indicators.get(reading.id);
    if (!indicator) {
      push(
        finding(
          "INDICATOR_UNKNOWN",
          { ...at, indicator: reading.id },
          `Id:t ”${reading.id}” finns inte i indikatorkatalogen, så raden kan inte läsas.`,
          "Skriv tillbaka radens ursprungliga Id, eller ta bort raden.",
        ),
      );
      continue;
    }
    const ind = { ...at, indicator: indicator.id };
    if (!covers(indicator.years, yc.year)) {
      // Told once per indicator and tab, at its first row: rows cannot be deleted in the template.
      if (!retired.has(indicator.id)) {
        retired.add(indicator.id);
        const rows = tab.indicatorRows.filter((r) => r.id === indicator.id).length;
        const to = indicator.years.to ?? "";
        push(
          finding(
            "INDICATOR_RETIRED",
            ind,
            `Indikatorn ${indicator.shortTitle} (${indicator.id}) följdes ${indicator.years.from}–${to} och ingår inte i uppföljningen ${yc.year}. ${rows === 1 ? "Raden räknas" : `De ${rows} raderna räknas`} inte.`,
            rows === 1 ? `Lämna raden tom; den finns inte i mallen för ${yc.year}.` : `Lämna raderna tomma; de finns inte i mallen för ${yc.year}.`,
          ),
        );
      }
      continue;
    }
    const onCentral = tab.reporter === CENTRAL;
    if ((indicator.reportedBy === "central") !== onCentral) {
      push(
        finding(
          "INDICATOR_WRONG_TAB",
          ind,
          onCentral
            ? `${indicator.shortTitle} rapporteras av varje enhet på dess egen flik, inte här.`
            : `${indicator.shortTitle} rapporteras centralt på fliken ${options.definition.sheets.central}, inte av enheten.`,
          "Ta bort raden härifrån.",
        ),
      );
      continue;
    }
    const unitId = reading.unitText ? unitIds.get(nameKey(reading.unitText)) : onCentral ? undefined : tab.reporter;
    if (!unitId) {
      push(
        finding(
          "UNIT_UNKNOWN",
          { ...ind, cell: reading.unitAddress },
          reading.unitText
            ? `Enheten ”${reading.unitText}” finns inte ${yc.year}.`
            : "Raden saknar enhet i kolumnen Enhet.",
          "Skriv tillbaka enhetens namn som i mallen.",
        ),
      );
      continue;
    }
    if (!onCentral && unitId !== tab.reporter) {
      push(
        finding(
          "UNIT_WRONG_TAB",
          { ...ind, cell: reading.unitAddress, unit: tab.reporter },
          `Raden gäller ${reading.unitText}, men fliken är ${reporterName(options.yc, options.definition, tab.reporter)}s.`,
          "Flytta raden till rätt enhets flik.",
        ),
      );
      continue;
    }
    const parts =
      indicator.measure === "status"
        ? statusItems(indicator, yc.year).map((i) => ({ key: i.id, label: i.label }))
        : breakdownParts(catalogue, indicator.breakdown);
    const part = parts.find(
      (p) => reading.breakdownText !== undefined && (nameKey(p.label) === nameKey(reading.breakdownText) || p.key === reading.breakdownText),
    );
    const key = part ? rowKey(indicator.id, unitId, part.key) : undefined;
    const row = key ? expected.get(key) : undefined;
    if (!row || !key) {
      push(
        finding(
          "BREAKDOWN_UNKNOWN",
          { ...ind, cell: reading.breakdownAddress, unit: unitId },
          `Uppdelningen ”${reading.breakdownText ?? ""}” finns inte för ${indicator.shortTitle}. Giltiga: ${parts.map((p) => p.label).join(", ")}.`,
          "Skriv tillbaka uppdelningen som i mallen.",
        ),
      );
      continue;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      push(
        finding(
          "ROW_DUPLICATE",
          { ...ind, unit: unitId },
          `${indicator.shortTitle}, ${row.part.label}, finns redan på rad ${earlier}. Raden räknas inte.`,
          "Ta bort den rad som inte ska gälla.",
        ),
      );
      continue;
    }
    seen.set(key, reading.row);
    if (options.imported?.has(indicator.id)) {
      result.importedRows.push({ file: tab.file, sheet: tab.sheet, row: reading.row, year: yc.year, unit: unitId, indicator: indicator.id, breakdown: part!.key });
      continue;
    }
    const observation = validateRow(row, reading, tab, options, push);
    found.push({ row, reading, observation });
  }

  // Rows the template had that are gone, one finding per indicator and unit.
  const missing = groupBy(
    [...expected.entries()].filter(([key, row]) => !seen.has(key) && !options.imported?.has(row.indicator.id)).map(([, row]) => row),
    (row) => `${row.indicator.id}|${row.unitId}`,
  );
  for (const rows of missing.values()) {
    const { indicator, unitId, unitName } = rows[0]!;
    push(
      finding(
        "ROW_MISSING",
        { file: tab.file, sheet: tab.sheet, unit: unitId, indicator: indicator.id },
        `Raderna för ${indicator.shortTitle} (${rows.map((r) => r.part.label).join(", ")}) för ${unitName} saknas.`,
        "Använd en ny mall, eller skriv tillbaka raderna med Id och uppdelning.",
      ),
    );
  }

  checkPartsAddUp(found, tab, catalogue, push);
  checkYearOverYear(found, tab, options, push);
  if (counts) result.observations.push(...found.map((f) => f.observation));

  if (tab.reporter !== CENTRAL) validateSelfAssessments(tab, options, result, push);
  // The central tab's activities are the plan's city-wide ones.
  validateActivities(tab, options, result, push);
}
