
import { fieldRange, rangeText, ratioProblem, valueProblem } from "../catalogue/value-rules.js";
import { type CellReading, type CellSymbols, readNumberCell } from "../normalise/parse-cell.js";
import { formatNumber, formatPercent, lowerFirst } from "../shared/format-sv.js";
import { INPUT_FIELD_NAMES, type InputField } from "../shared/vocabulary.js";
import {
  type CellRef,
  type IndicatorRowReading,
  nameKey,
  type TabReading,
} from "../submission/read-submission.js";
import { CENTRAL, type IndicatorRow } from "../template/layout.js";
import { cellText } from "../workbook/grid.js";
import { type Finding, type FindingLocation, finding } from "../model/findings.js";
import type { Observation, ValueStatus } from "../model/records.js";
import { symbolsOf, type ValidationOptions } from "./options.js";

/** One indicator row: each input cell judged, and the observation it makes. */
export function validateRow(
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
    source: {
      file: tab.file,
      sheet: tab.sheet,
      row: reading.row,
      cells: row.fields.flatMap((f) => (reading.fields[f] ? [reading.fields[f].address] : [])),
    },
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
    const what = `${INPUT_FIELD_NAMES[field]} för ${indicator.shortTitle}, ${whose}${part.label.toLocaleLowerCase("sv-SE")}`;
    if (!ref) {
      push(
        finding(
          "COLUMN_MISSING",
          at,
          `Kolumnen ${INPUT_FIELD_NAMES[field]} saknas, så ${what.toLocaleLowerCase("sv-SE")} kan inte läsas.`,
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

    const cell = readNumberCell(ref.cell, symbolsOf(options.definition));
    const outcome = judgeNumber(cell, field, row, what, at, push, options);
    if (typeof outcome === "number") values[field] = outcome;
    else statuses.add(outcome);
  }

  if (indicator.measure === "ratio" && !checkRatio(values, row, reading, tab, push, symbolsOf(options.definition))) statuses.add("invalid");
  if (indicator.measure === "survey" && values.value !== undefined && values.respondents === undefined && !statuses.has("invalid")) {
    const ref = reading.fields.respondents;
    if (ref && readNumberCell(ref.cell, symbolsOf(options.definition)).kind !== "blank") {
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

  const range = fieldRange(row.indicator, field);
  if (range.percent) {
    const value = cell.percentFormatted ? cell.value * 100 : cell.value;
    if (valueProblem(range, value)) {
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
  switch (valueProblem(range, cell.value)) {
    case "not-integer":
      push(
        finding(
          "VALUE_NOT_INTEGER",
          at,
          `${what} ska vara ett heltal, inte ${formatNumber(cell.value, 4)}.`,
          field === "respondents" ? "Antal svarande är alltid ett heltal." : "Skriv antalet som ett heltal.",
        ),
      );
      return "invalid";
    case "out-of-range":
      push(
        finding(
          "VALUE_OUT_OF_RANGE",
          at,
          `${formatNumber(cell.value)} ligger utanför det tillåtna intervallet (${rangeText(range, formatNumber)}).`,
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
  symbols: CellSymbols,
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
    const problem = ratioProblem(n, d);
    if (problem === "numerator-exceeds-denominator") {
      push(
        finding(
          "NUMERATOR_EXCEEDS_DENOMINATOR",
          at(reading.fields.numerator),
          `Täljaren ${formatNumber(n)} är större än nämnaren ${formatNumber(d)}, så andelen skulle bli över 100 %.`,
          `Täljaren är ${lowerFirst(row.indicator.numeratorLabel ?? "")} och nämnaren ${lowerFirst(row.indicator.denominatorLabel ?? "")}.`,
        ),
      );
      return false;
    } else if (problem === "denominator-zero") {
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
    // The side without a number: told here only when it is marked missing (.. or –); a blank
    // side, or one the rules refused (0,12 as a count), has its own finding at its cell.
    const missing = n !== undefined ? reading.fields.denominator : reading.fields.numerator;
    const kind = missing ? readNumberCell(missing.cell, symbols).kind : "blank";
    if (kind === "not-available" || kind === "not-applicable") {
      push(
        finding(
          "RATIO_HALF_GIVEN",
          at(missing),
          "Bara en av täljare och nämnare är ifylld, så ingen andel kan räknas fram.",
          "Fyll i båda, eller skriv .. i båda om uppgiften saknas.",
        ),
      );
      return false;
    }
  }
  return true;
}
