/**
 * Checks across the rows of a tab: parts that add up to their total, and values that moved a
 * lot against last year (unconfirmed until the reporter explains them).
 */
import { groupBy } from "../shared/group-by.js";
import { breakdownParts } from "../catalogue/catalogue-for-year.js";
import { figureOf, isShare } from "../catalogue/figure.js";
import type { Catalogue } from "../catalogue/schema.js";
import { beyondNoise } from "../catalogue/noise.js";
import { History } from "../history/history.js";
import { formatNumber, formatPercent, formatPercentagePoints, joinSv } from "../shared/format-sv.js";
import { ADDITIVE_FIELDS, INPUT_FIELD_NAMES, type InputField } from "../shared/vocabulary.js";
import type {
  TabReading,
} from "../submission/read-submission.js";
import { type Finding, finding } from "../model/findings.js";
import type { FoundRow, ValidationOptions } from "./options.js";

/**
 * Parts add up to the total (women + men = total), field by field. When every part is given,
 * their sum must equal the total; when some part is `..`, blank or has its own error, the
 * parts that are given must not already exceed the total. Each field is checked on its own,
 * so an error in one part's numerator does not hide a wrong sum of denominators. A total that
 * does not add up is marked invalid.
 */
export function checkPartsAddUp(
  found: FoundRow[],
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
    if (!total || parts.length === 0 || parts.length > expectedParts) continue;
    for (const field of ADDITIVE_FIELDS[indicator.measure]) {
      const totalValue = total.observation[field];
      if (typeof totalValue !== "number") continue;
      let sum = 0;
      // A part missing from the tab is unknown, like a part that is `..`, blank or not a number.
      let complete = parts.length === expectedParts;
      for (const p of parts) {
        const v = p.observation[field];
        if (typeof v === "number") sum += v;
        else if (p.observation.status !== "not-applicable") complete = false;
      }
      const wrong = complete ? sum !== totalValue : sum > totalValue;
      if (!wrong) continue;
      // The parts and the total disagree: which is wrong is for the reporter to say, so the
      // total stays out of the aggregates until it is fixed.
      total.observation.status = "invalid";
      const given = parts.filter((p) => typeof p.observation[field] === "number");
      const labels = given.map((p) => p.row.part.label.toLocaleLowerCase("sv-SE"));
      const message = complete
        ? `${INPUT_FIELD_NAMES[field]}: ${joinSv(labels)} blir tillsammans ${formatNumber(sum)}, men totalt är ${formatNumber(totalValue)}.`
        : `${INPUT_FIELD_NAMES[field]}: redan ${joinSv(labels)} blir tillsammans ${formatNumber(sum)}, mer än totalt ${formatNumber(totalValue)}, fast alla delar inte är ifyllda.`;
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
          message,
          "Rätta totalen eller delarna så att de stämmer.",
        ),
      );
    }
  }
}

/**
 * A warning when a value – the total or any part of a breakdown – moves more than the
 * configured share against last year. Until the reporter explains it in the row's Kommentar
 * (which confirms it), the value counts as unconfirmed. Shares are described in procentenheter.
 */
export function checkYearOverYear(
  found: FoundRow[],
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
    if (Math.abs(change) <= options.maxChange || Math.abs(current - previous) < options.yc.catalogue.comparison.minAbsoluteChange) continue;
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
