/**
 * Validates what was read from the workbooks against the year's catalogue. Every rule works
 * on one cell, row, tab or unit at a time and adds findings; nothing stops the others. The
 * values that pass come out as observations, with their status and where they came from.
 */
import { groupBy } from "../shared/group-by.js";
import { breakdownParts, CITY, focusAreaLabel, statusItems, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { figureOf, isShare } from "../catalogue/figure.js";
import { covers } from "../catalogue/load-catalogue.js";
import type { Catalogue, FocusArea } from "../catalogue/schema.js";
import { beyondNoise } from "../catalogue/noise.js";
import { History } from "../history/history.js";
import { type CellReading, readNumberCell } from "../normalise/parse-cell.js";
import { formatNumber, formatPercent, formatPercentagePoints, joinSv, lowerFirst } from "../shared/format-sv.js";
import {
  ACTIVITY_STATUSES,
  ADDITIVE_FIELDS,
  type InputField,
} from "../shared/vocabulary.js";
import {
  type ActivityReading,
  type CellRef,
  type IndicatorRowReading,
  nameKey,
  type TabReading,
  type WorkbookReading,
} from "../submission/read-submission.js";
import type { TemplateDefinition } from "../template/definition.js";
import { CENTRAL, expectedReporters, type IndicatorRow, reporterName, rowKey, rowsFor } from "../template/layout.js";
import { cellText } from "../workbook/grid.js";
import { type Finding, type FindingLocation, finding, sortFindings } from "../model/findings.js";
import type { Observation, ValidationResult, ValueStatus } from "../model/records.js";

export interface ValidationOptions {
  yc: YearCatalogue;
  definition: TemplateDefinition;
  history: History;
  /** Warn when a value changes more than this share against last year (0.5 = 50 %). */
  maxChange: number;
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
  };
  // In a shared workbook every unit fills only its own tab; an untouched tab is not a submission.
  const tabs = readings.flatMap((r) => r.tabs).filter(isFilled);
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

  const expected = expectedReporters(options.yc);
  for (const reporter of expected) {
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
  result.findings = sortFindings(result.findings);
  for (const tab of tabs) {
    const own = result.findings.filter((f) => f.file === tab.file && f.sheet === tab.sheet);
    result.submissions.push({
      reporter: tab.reporter,
      file: tab.file,
      sheet: tab.sheet,
      submittedAt: tab.submittedAt?.toISOString() ?? null,
      errors: own.filter((f) => f.severity === "error").length,
      warnings: own.filter((f) => f.severity === "warning").length,
    });
  }
  return result;
}

/** Whether anything was typed on the tab: a value, a self-assessment or an activity. */
export function isFilled(tab: TabReading): boolean {
  return (
    tab.indicatorRows.some((r) => Object.values(r.fields).some((f) => cellText(f.cell) !== undefined)) ||
    (tab.selfAssessments ?? []).some((s) => cellText(s.score.cell) !== undefined) ||
    (tab.activities ?? []).length > 0
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
  const found: { row: IndicatorRow; reading: IndicatorRowReading; observation: Observation }[] = [];
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
      const to = indicator.years.to ?? "";
      push(
        finding(
          "INDICATOR_RETIRED",
          ind,
          `Indikatorn ${indicator.id} följdes ${indicator.years.from}–${to} och ingår inte i uppföljningen ${yc.year}. Raden räknas inte.`,
          "Ta bort raden.",
        ),
      );
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
          ind,
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
          { ...ind, unit: tab.reporter },
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
          { ...ind, unit: unitId },
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
    const observation = validateRow(row, reading, tab, options, push);
    found.push({ row, reading, observation });
  }

  // Rows the template had that are gone, one finding per indicator and unit.
  const missing = groupBy(
    [...expected.entries()].filter(([key]) => !seen.has(key)).map(([, row]) => row),
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

  if (tab.reporter !== CENTRAL) {
    validateSelfAssessments(tab, options, result, push);
    validateActivities(tab, options, result, push);
  }
}

const FIELD_NAMES: Record<InputField, string> = {
  value: "Värde",
  numerator: "Täljare",
  denominator: "Nämnare",
  respondents: "Antal svarande",
};

function validateRow(
  row: IndicatorRow,
  reading: IndicatorRowReading,
  tab: TabReading,
  options: ValidationOptions,
  push: (f: Finding) => void,
): Observation {
  const { indicator, part } = row;
  const { symbols } = options.definition;
  const observation: Observation = {
    year: options.yc.year,
    indicator: indicator.id,
    unit: row.unitId,
    breakdown: part.key,
    status: "ok",
    source: { file: tab.file, sheet: tab.sheet, row: reading.row },
    ...(reading.comment ? { comment: reading.comment } : {}),
  };
  const statuses = new Set<ValueStatus>();
  const values: Partial<Record<InputField, number>> = {};

  for (const field of row.fields) {
    const ref = reading.fields[field];
    const at: FindingLocation = {
      file: tab.file,
      sheet: tab.sheet,
      cell: ref?.address ?? reading.idAddress,
      unit: row.unitId,
      indicator: indicator.id,
    };
    // On the central tab a row is about some unit; say which.
    const whose = tab.reporter === CENTRAL ? `${row.unitName}, ` : "";
    const what = `${FIELD_NAMES[field]} för ${indicator.shortTitle}, ${whose}${part.label.toLocaleLowerCase("sv-SE")}`;
    if (!ref) {
      push(
        finding(
          "COLUMN_MISSING",
          at,
          `Kolumnen ${FIELD_NAMES[field]} saknas, så ${what.toLocaleLowerCase("sv-SE")} kan inte läsas.`,
          "Återställ kolumnen med sin rubrik, eller använd en ny mall.",
        ),
      );
      statuses.add("invalid");
      continue;
    }
    if (indicator.measure === "status") {
      const text = cellText(ref.cell);
      const allowed = indicator.statuses ?? [];
      const match = allowed.find((s) => nameKey(s) === nameKey(text ?? ""));
      if (!text) {
        push(finding("VALUE_REQUIRED", at, `Status saknas för ”${part.label}”.`, `Välj en av: ${allowed.join(", ")}.`));
        statuses.add("missing");
      } else if (text === symbols.notAvailable.symbol) {
        statuses.add("missing");
      } else if (!match) {
        push(finding("VALUE_NOT_IN_LIST", at, `”${text}” är ingen giltig status.`, `Välj en av: ${allowed.join(", ")}.`));
        statuses.add("invalid");
      } else {
        observation.value = match;
      }
      continue;
    }

    const cell = readNumberCell(ref.cell);
    const outcome = judgeNumber(cell, field, row, what, at, push, options);
    if (typeof outcome === "number") values[field] = outcome;
    else statuses.add(outcome);
  }

  if (indicator.measure === "ratio" && !checkRatio(values, row, reading, tab, push)) statuses.add("invalid");
  if (indicator.measure === "survey" && values.value !== undefined && values.respondents === undefined && !statuses.has("invalid")) {
    const ref = reading.fields.respondents;
    if (ref && readNumberCell(ref.cell).kind !== "blank") {
      push(
        finding(
          "RATIO_HALF_GIVEN",
          { file: tab.file, sheet: tab.sheet, cell: ref.address, unit: row.unitId, indicator: indicator.id },
          `Andelen ${formatPercent(values.value)} är ifylld men inte antalet svarande, som behövs för att väga samman resultatet.`,
          "Skriv antalet svarande.",
        ),
      );
      statuses.add("invalid");
    }
  }

  Object.assign(observation, values);
  observation.status = statuses.has("invalid")
    ? "invalid"
    : statuses.has("missing")
      ? "missing"
      : statuses.has("not-applicable")
        ? "not-applicable"
        : "ok";
  return observation;
}

/** Judges one numeric cell; returns the number, or the status it leaves the row in. */
function judgeNumber(
  cell: CellReading,
  field: InputField,
  row: IndicatorRow,
  what: string,
  at: FindingLocation,
  push: (f: Finding) => void,
  options: ValidationOptions,
): number | ValueStatus {
  const { notAvailable: na, notApplicable: nr } = options.definition.symbols;
  const symbolsHint = `Skriv ${na.symbol} om uppgiften saknas och ${nr.symbol} om det inte finns något att redovisa.`;
  switch (cell.kind) {
    case "blank":
      if (row.part.isTotal) {
        push(finding("VALUE_REQUIRED", at, `${what} är tom.`, `Fyll i värdet. ${symbolsHint}`));
      } else {
        push(finding("VALUE_PART_BLANK", at, `${what} är tom.`, `Fyll i värdet. ${symbolsHint}`));
      }
      return "missing";
    case "not-available":
      return "missing";
    case "not-applicable":
      return "not-applicable";
    case "invalid": {
      if (cell.reason === "ambiguous") {
        push(
          finding(
            "VALUE_AMBIGUOUS",
            at,
            `”${cell.shown}” kan läsas både som ett decimaltal och som ett tal med tusentalsavgränsare.`,
            "Skriv tusental med mellanslag (1 234) och decimaler med komma (1,5).",
          ),
        );
      } else if (cell.reason === "date") {
        push(
          finding(
            "VALUE_DATE",
            at,
            `Cellen innehåller ett datum (${cell.shown}), inte ett tal.`,
            "Excel kan ha gjort om talet till ett datum. Formatera cellen som Tal och skriv värdet igen.",
          ),
        );
      } else {
        push(finding("VALUE_NOT_NUMBER", at, `”${cell.shown}” är inte ett tal.`, `Skriv ett tal, till exempel 12 eller 12,5. ${symbolsHint}`));
      }
      return "invalid";
    }
    case "formula-error":
      push(finding("VALUE_FORMULA_ERROR", at, `Formeln i cellen ger felet ${cell.error}.`, "Rätta formeln eller skriv värdet direkt."));
      return "invalid";
    case "formula-without-result":
      push(
        finding(
          "VALUE_FORMULA_NO_RESULT",
          at,
          "Cellen har en formel utan sparat resultat, så värdet kan inte läsas.",
          "Öppna filen i Excel eller LibreOffice och spara den igen, eller skriv värdet direkt.",
        ),
      );
      return "invalid";
    case "number":
      break;
  }

  const { indicator } = row;
  const isPercent = field === "value" && indicator.measure === "survey";
  if (isPercent) {
    const value = cell.percentFormatted ? cell.value * 100 : cell.value;
    const range = indicator.range ?? { min: 0, max: 100 };
    if (value < range.min || value > range.max) {
      push(
        finding(
          "VALUE_OUT_OF_RANGE",
          at,
          `${formatPercent(value)} ligger utanför det tillåtna intervallet ${range.min}–${range.max} %.`,
          "Skriv andelen i procent, till exempel 74 eller 74 %.",
        ),
      );
      return "invalid";
    }
    if (!cell.percentFormatted && !cell.percentSign && value > 0 && value <= 1) {
      push(
        finding(
          "VALUE_LOOKS_LIKE_FRACTION",
          at,
          `${formatNumber(value, 2)} läses som ${formatPercent(value, 2)}. Menade ni ${formatPercent(value * 100)}?`,
          `Skriv procenttalet, till exempel ${formatNumber(value * 100)} eller ${formatPercent(value * 100)}.`,
        ),
      );
    }
    return value;
  }

  if (cell.percentSign) {
    push(
      finding(
        "VALUE_PERCENT_IN_COUNT",
        at,
        `${what} ska vara ett antal, inte en procentsats (”${formatPercent(cell.value)}”).`,
        "Skriv antalet som ett heltal.",
      ),
    );
    return "invalid";
  }
  if (!Number.isInteger(cell.value)) {
    push(
      finding(
        "VALUE_NOT_INTEGER",
        at,
        `${what} ska vara ett heltal, inte ${formatNumber(cell.value, 4)}.`,
        field === "respondents" ? "Antal svarande är alltid ett heltal." : "Skriv antalet som ett heltal.",
      ),
    );
    return "invalid";
  }
  const min = field === "value" ? (indicator.range?.min ?? 0) : 0;
  const max = field === "value" ? (indicator.range?.max ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  if (cell.value < min || cell.value > max) {
    const range = Number.isFinite(max) ? `${formatNumber(min)}–${formatNumber(max)}` : `minst ${formatNumber(min)}`;
    push(
      finding(
        "VALUE_OUT_OF_RANGE",
        at,
        `${formatNumber(cell.value)} ligger utanför det tillåtna intervallet (${range}).`,
        "Kontrollera värdet.",
      ),
    );
    return "invalid";
  }
  return cell.value;
}

function checkRatio(
  values: Partial<Record<InputField, number>>,
  row: IndicatorRow,
  reading: IndicatorRowReading,
  tab: TabReading,
  push: (f: Finding) => void,
): boolean {
  const { numerator: n, denominator: d } = values;
  const at = (ref: CellRef | undefined): FindingLocation => ({
    file: tab.file,
    sheet: tab.sheet,
    cell: ref?.address ?? reading.idAddress,
    unit: row.unitId,
    indicator: row.indicator.id,
  });
  if (n !== undefined && d !== undefined) {
    if (n > d) {
      push(
        finding(
          "NUMERATOR_EXCEEDS_DENOMINATOR",
          at(reading.fields.numerator),
          `Täljaren ${formatNumber(n)} är större än nämnaren ${formatNumber(d)}, så andelen skulle bli över 100 %.`,
          `Täljaren är ${lowerFirst(row.indicator.numeratorLabel ?? "")} och nämnaren ${lowerFirst(row.indicator.denominatorLabel ?? "")}.`,
        ),
      );
      return false;
    } else if (d === 0) {
      push(
        finding(
          "DENOMINATOR_ZERO",
          at(reading.fields.denominator),
          "Nämnaren är 0, så ingen andel kan räknas fram.",
          "Stämmer det, skriv – i både täljare och nämnare.",
        ),
      );
    }
  } else if ((n === undefined) !== (d === undefined)) {
    const given = n !== undefined ? reading.fields.denominator : reading.fields.numerator;
    const reading2 = given ? readNumberCell(given.cell) : undefined;
    if (reading2 && reading2.kind !== "blank" && reading2.kind !== "invalid") {
      push(
        finding(
          "RATIO_HALF_GIVEN",
          at(given),
          "Bara en av täljare och nämnare är ett tal, så ingen andel kan räknas fram.",
          "Fyll i båda, eller skriv .. i båda om uppgiften saknas.",
        ),
      );
      return false;
    }
  }
  return true;
}


/**
 * Parts add up to the total (women + men = total), when the total and every part are given.
 * Returns nothing; a total that does not add up is marked invalid.
 */
function checkPartsAddUp(
  found: { row: IndicatorRow; reading: IndicatorRowReading; observation: Observation }[],
  tab: TabReading,
  catalogue: Catalogue,
  push: (f: Finding) => void,
): void {
  const groups = groupBy(found, (f) => `${f.row.indicator.id}|${f.row.unitId}`);
  for (const group of groups.values()) {
    const indicator = group[0]!.row.indicator;
    if (indicator.breakdown === "none" || indicator.measure === "status") continue;
    const total = group.find((g) => g.row.part.isTotal);
    const parts = group.filter((g) => !g.row.part.isTotal);
    const expectedParts = breakdownParts(catalogue, indicator.breakdown).length - 1;
    if (!total || parts.length !== expectedParts) continue;
    for (const field of ADDITIVE_FIELDS[indicator.measure]) {
      const totalValue = total.observation[field];
      if (typeof totalValue !== "number") continue;
      let sum = 0;
      let complete = true;
      for (const p of parts) {
        const v = p.observation[field];
        // A part with its own error is not a number to add up; its finding says enough.
        if (p.observation.status === "invalid") complete = false;
        else if (typeof v === "number") sum += v;
        else if (p.observation.status !== "not-applicable") complete = false;
      }
      if (!complete || sum === totalValue) continue;
      // The parts and the total disagree: which is wrong is for the reporter to say, so the
      // total stays out of the aggregates until it is fixed.
      total.observation.status = "invalid";
      const labels = parts.map((p) => p.row.part.label.toLocaleLowerCase("sv-SE"));
      push(
        finding(
          "PARTS_NOT_TOTAL",
          {
            file: tab.file,
            sheet: tab.sheet,
            cell: total.reading.fields[field]?.address ?? total.reading.idAddress,
            unit: total.row.unitId,
            indicator: indicator.id,
          },
          `${FIELD_NAMES[field]}: ${joinSv(labels)} blir tillsammans ${formatNumber(sum)}, men totalt är ${formatNumber(totalValue)}.`,
          "Rätta totalen eller delarna så att de stämmer.",
        ),
      );
    }
  }
}


/**
 * Below this absolute change (in units, or percentage points for percentages) no change is
 * called large: from 1 to 2 managers is +100 %, and nothing to ask a reporter about.
 */
export const MIN_ABSOLUTE_CHANGE = 5;

/**
 * A warning when a value – the total or any part of a breakdown – moves more than the
 * configured share against last year. Until the reporter explains it in the row's Kommentar
 * (which confirms it), the value counts as unconfirmed. Shares are described in procentenheter.
 */
function checkYearOverYear(
  found: { row: IndicatorRow; reading: IndicatorRowReading; observation: Observation }[],
  tab: TabReading,
  options: ValidationOptions,
  push: (f: Finding) => void,
): void {
  for (const { row, reading, observation } of found) {
    if (observation.status !== "ok" || row.indicator.measure === "status") continue;
    if (reading.comment) continue; // the reporter has explained, and so confirmed, the change
    const current = figureOf(observation, row.indicator);
    const record = options.history.get(options.yc.year - 1, row.unitId, row.indicator.id, row.part.key);
    const previous = record ? History.figure(record, row.indicator) : undefined;
    if (typeof current !== "number" || typeof previous !== "number" || previous <= 0) continue;
    const change = (current - previous) / previous;
    if (Math.abs(change) <= options.maxChange || Math.abs(current - previous) < MIN_ABSOLUTE_CHANGE) continue;
    // A share of a small group swings by chance; only a change beyond that is worth asking about.
    const base = (r: { denominator?: number | undefined; respondents?: number | undefined }) =>
      row.indicator.measure === "ratio" ? r.denominator : r.respondents;
    const [before, after] = [base(record!), base(observation)];
    if (
      row.indicator.measure !== "count" &&
      before !== undefined &&
      after !== undefined &&
      !beyondNoise(row.indicator, { year: options.yc.year - 1, value: previous, base: before }, { year: options.yc.year, value: current, base: after })
    ) {
      continue;
    }
    observation.unconfirmed = true;
    const isPercent = isShare(row.indicator);
    const part = row.part.isTotal ? "" : `, ${row.part.label.toLocaleLowerCase("sv-SE")}`;
    const direction = current > previous ? "högre" : "lägre";
    const size = isPercent
      ? `${formatPercentagePoints(Math.abs(current - previous))} ${direction}`
      : `${formatPercent(Math.abs(change) * 100, 0)} ${direction}`;
    const show = (v: number) => (isPercent ? formatPercent(v) : formatNumber(v));
    const cellField: InputField = row.indicator.measure === "ratio" ? "numerator" : "value";
    push(
      finding(
        "CHANGE_LARGE",
        {
          file: tab.file,
          sheet: tab.sheet,
          cell: reading.fields[cellField]?.address ?? reading.idAddress,
          unit: row.unitId,
          indicator: row.indicator.id,
        },
        `${row.indicator.shortTitle}${part}: ${show(current)} är ${size} än förra årets ${show(previous)}. Värdet räknas som obekräftat.`,
        "Kontrollera värdet. Stämmer det, skriv en kort förklaring i Kommentar; då räknas det som bekräftat.",
      ),
    );
  }
}

function focusAreaFor(text: string, areas: FocusArea[]): FocusArea | undefined {
  const key = nameKey(text);
  const number = /^(\d+)\.?(\s|$)/.exec(text.trim())?.[1];
  return areas.find(
    (a) =>
      key === nameKey(focusAreaLabel(a)) ||
      key === nameKey(a.title) ||
      key === nameKey(a.shortTitle) ||
      (number !== undefined && Number(number) === a.number),
  );
}

function validateSelfAssessments(
  tab: TabReading,
  { yc }: ValidationOptions,
  result: ValidationResult,
  push: (f: Finding) => void,
): void {
  const areas = yc.plan.focusAreas;
  const base = { file: tab.file, sheet: tab.sheet, unit: tab.reporter };
  if (tab.selfAssessments === null) {
    push(
      finding(
        "SELF_ASSESSMENT_MISSING",
        base,
        "Självskattningen under Lokalt arbete saknas på fliken.",
        "Använd en ny mall, eller återställ avsnittet med sina rubriker.",
      ),
    );
    return;
  }
  const byArea = new Map<string, (typeof tab.selfAssessments)[number]>();
  for (const sa of tab.selfAssessments) {
    const area = focusAreaFor(sa.focusAreaText, areas);
    if (!area) {
      push(
        finding(
          "SELF_ASSESSMENT_UNKNOWN_AREA",
          { ...base, cell: sa.score.address },
          `”${sa.focusAreaText}” är inget av planens fokusområden.`,
          "Skriv tillbaka fokusområdets namn som i mallen.",
        ),
      );
      continue;
    }
    byArea.set(area.id, sa);
  }
  for (const area of areas) {
    const sa = byArea.get(area.id);
    const cell = sa ? readNumberCell(sa.score.cell) : ({ kind: "blank" } as const);
    const at = { ...base, cell: sa?.score.address ?? null };
    let score: number | null = null;
    if (cell.kind === "blank" || cell.kind === "not-available") {
      push(
        finding(
          "SELF_ASSESSMENT_MISSING",
          at,
          `Självskattning saknas för fokusområde ${area.number}, ${area.shortTitle.toLocaleLowerCase("sv-SE")}.`,
          "Skatta från 1 (långt ifrån önskat läge) till 5 (önskat läge är uppnått).",
        ),
      );
    } else if (cell.kind === "number" && Number.isInteger(cell.value) && cell.value >= 1 && cell.value <= 5) {
      score = cell.value;
    } else {
      const shown = cell.kind === "number" ? formatNumber(cell.value, 2) : cell.kind === "invalid" ? cell.shown : "–";
      push(
        finding(
          "SELF_ASSESSMENT_OUT_OF_RANGE",
          at,
          `Självskattningen ska vara en hel siffra från 1 till 5, inte ”${shown}”.`,
          "Skatta från 1 (långt ifrån önskat läge) till 5 (önskat läge är uppnått).",
        ),
      );
    }
    result.selfAssessments.push({
      unit: tab.reporter,
      focusArea: area.id,
      score,
      ...(sa?.comment ? { comment: sa.comment } : {}),
    });
  }
}

function validateActivities(
  tab: TabReading,
  { yc }: ValidationOptions,
  result: ValidationResult,
  push: (f: Finding) => void,
): void {
  if (tab.activities === null) return;
  const base = { file: tab.file, sheet: tab.sheet, unit: tab.reporter };
  for (const a of tab.activities as ActivityReading[]) {
    const areaText = cellText(a.focusArea.cell);
    const area = areaText ? focusAreaFor(areaText, yc.plan.focusAreas) : undefined;
    let ok = true;
    if (!a.activity) {
      push(
        finding(
          "ACTIVITY_NO_DESCRIPTION",
          { ...base, cell: a.focusArea.address },
          `Rad ${a.row} under aktiviteter har uppgifter men ingen beskrivning av aktiviteten.`,
          "Beskriv aktiviteten, eller töm raden.",
        ),
      );
      ok = false;
    }
    if (!areaText) {
      push(
        finding("ACTIVITY_NO_FOCUS_AREA", { ...base, cell: a.focusArea.address }, `Aktiviteten ”${a.activity}” saknar fokusområde.`, "Välj fokusområde i listan."),
      );
      ok = false;
    } else if (!area) {
      push(
        finding(
          "ACTIVITY_UNKNOWN_FOCUS_AREA",
          { ...base, cell: a.focusArea.address },
          `”${areaText}” är inget av planens fokusområden.`,
          "Välj fokusområde i listan.",
        ),
      );
      ok = false;
    }
    const statusText = cellText(a.status.cell);
    const status = statusText ? ACTIVITY_STATUSES.find((s) => nameKey(s) === nameKey(statusText)) : undefined;
    if (statusText && !status) {
      push(
        finding(
          "ACTIVITY_UNKNOWN_STATUS",
          { ...base, cell: a.status.address },
          `”${statusText}” är ingen giltig status.`,
          `Välj en av: ${ACTIVITY_STATUSES.join(", ")}.`,
        ),
      );
    }
    if (a.activity && !a.followUp) {
      push(
        finding(
          "ACTIVITY_NO_FOLLOW_UP",
          { ...base, cell: a.focusArea.address },
          `Det framgår inte hur aktiviteten ”${a.activity}” ska följas upp.`,
          "Beskriv i kolumnen för uppföljning hur ni ska se att aktiviteten gett effekt.",
        ),
      );
    }
    if (ok && area) {
      result.activities.push({
        unit: tab.reporter,
        focusArea: area.id,
        activity: a.activity,
        followUp: a.followUp ?? null,
        status: status ?? null,
      });
    }
  }
}

