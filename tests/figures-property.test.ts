/**
 * Property-based tests of the figures a board sees, over random runs: which units report,
 * which are rejected or unconfirmed, and which groups are small enough to suppress.
 *
 * - Published parts add up to the published total.
 * - No comparison mixes unit sets: each is made over one set of units with confirmed values
 *   in every year it compares, and states when that set is not every expected unit.
 * - No suppressed figure can be recovered from what is published. The attacker here is written
 *   independently of the project's audit: it collects every equation a reader can form from
 *   the published rows (parts = total, units = city, merged units = their successor, and each
 *   like-for-like comparison's sum), and asks by rank whether a hidden figure is determined.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AggregateRow, aggregate } from "../functions/aggregate/aggregate.js";
import type { Fact } from "../functions/aggregate/facts.js";
import type { Trend } from "../functions/aggregate/trends.js";
import { covers, loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { recoveredBy } from "./support/recover.js";
import type { Catalogue } from "../functions/catalogue/schema.js";

const catalogue = await loadCatalogue();
const STATES = ["ok", "ok", "ok", "absent", "invalid", "unconfirmed", "tiny"] as const;
type State = (typeof STATES)[number];

interface Scenario {
  indicator: string;
  years: number[];
  field: "value" | "respondents";
  small: number;
}
const COUNT: Scenario = { indicator: "fa3-ledarutvecklingsprogram", years: [2024, 2025], field: "value", small: 3 };
// A survey across the 2020 merger: respondents obey the same sums.
const SURVEY: Scenario = { indicator: "fa1-paverka-arbetet", years: [2018, 2019, 2020], field: "respondents", small: 5 };

function unitsOf(year: number) {
  return catalogue.units.filter((u) => covers(u.years, year)).map((u) => u.id);
}

const unitDraw = fc.record({ state: fc.constantFrom(...STATES), k: fc.integer({ min: 0, max: 30 }), m: fc.integer({ min: 0, max: 30 }) });

function factsFor(s: Scenario, draws: Record<number, { state: State; k: number; m: number }[]>): Fact[] {
  const facts: Fact[] = [];
  for (const year of s.years) {
    unitsOf(year).forEach((unit, i) => {
      const d = draws[year]![i % draws[year]!.length]!;
      if (d.state === "absent") return;
      const [k, m] = d.state === "tiny" ? [Math.min(d.k, s.small - 1) || 1, d.m + s.small] : [d.k + s.small, d.m + s.small];
      for (const [breakdown, n] of [["K", k], ["M", m], ["T", k + m]] as const) {
        const invalid = d.state === "invalid" && breakdown === "T";
        facts.push({
          year,
          unit,
          indicator: s.indicator,
          breakdown,
          status: invalid ? "missing" : "ok",
          value: invalid ? undefined : s.field === "value" ? n : 70,
          numerator: undefined,
          denominator: undefined,
          respondents: invalid || s.field === "value" ? undefined : n,
          ...(invalid ? { invalid: true } : {}),
          ...(d.state === "unconfirmed" && breakdown === "T" && year === s.years.at(-1) ? { unconfirmed: true } : {}),
        });
      }
    });
  }
  return facts;
}

const sizeOf = (s: Scenario, r: AggregateRow) => (s.field === "value" ? (r.value as number) : r.respondents);

function checkPartsAddUp(s: Scenario, rows: AggregateRow[]) {
  const own = rows.filter((r) => r.aggregation !== "unweighted-mean");
  for (const r of own.filter((r) => r.breakdown === "T" && r.status === "ok")) {
    const parts = own.filter((p) => p.unit === r.unit && p.year === r.year && p.breakdown !== "T");
    if (parts.length === 0 || !parts.every((p) => p.status === "ok")) continue;
    expect(parts.reduce((a, p) => a + sizeOf(s, p)!, 0), `${r.unit} ${r.year}`).toBe(sizeOf(s, r));
  }
}

function checkLikeForLike(s: Scenario, facts: Fact[], trends: Trend[], cat: Catalogue) {
  const city = trends.find((t) => t.unit === "stockholm")!;
  if (city.kind === "none") return;
  const usable = (unit: string, year: number) => {
    const f = facts.find((x) => x.unit === unit && x.year === year && x.breakdown === "T");
    return f !== undefined && f.status === "ok" && !f.unconfirmed;
  };
  for (const unit of city.units) for (const year of city.years) expect(usable(unit, year), `${unit} ${year}`).toBe(true);
  expect(city.units.length / city.expected).toBeGreaterThanOrEqual(cat.coverage.minShareForComparison);
  if (s.field === "value") {
    const sum = (year: number) => city.units.reduce((a, u) => a + (facts.find((f) => f.unit === u && f.year === year && f.breakdown === "T")!.value as number), 0);
    expect(city.value).toBe(sum(city.year));
    expect(city.previous).toBe(sum(city.year - 1));
  }
}

describe.each([
  { name: "a count by sex, 2024–2025", scenario: COUNT },
  { name: "survey respondents across the 2020 merger", scenario: SURVEY },
])("published figures, $name", ({ scenario }) => {
  const draws = fc.record(Object.fromEntries(scenario.years.map((y) => [y, fc.array(unitDraw, { minLength: 17, maxLength: 17 })])));
  it("add up, compare like with like, and never give a suppressed figure away", () => {
    fc.assert(
      fc.property(draws, (d) => {
        const facts = factsFor(scenario, d as Record<number, { state: State; k: number; m: number }[]>);
        const { rows, trends } = aggregate(catalogue, facts, scenario.years.at(-1)!);
        checkPartsAddUp(scenario, rows);
        checkLikeForLike(scenario, facts, trends, catalogue);
        expect(recoveredBy(rows, trends, scenario.field)).toEqual([]);
      }),
      { numRuns: 150, seed: 20251123 },
    );
  });
});

it("closes the 2020 merger gap: a unit hidden in 2019 stays hidden beside the merged row", () => {
  // Äldreförvaltningen's men are too few; Hägersten-Liljeholmen and Älvsjö are published as
  // the merged Hägersten-Älvsjö row. Before the audit, city − others − merged gave it away.
  const facts: Fact[] = [];
  for (const unit of unitsOf(2019)) {
    const [k, m] = unit === "aldreforvaltningen" ? [40, 3] : unit === "alvsjo" ? [30, 6] : [50, 20];
    for (const [b, n] of [["K", k], ["M", m], ["T", k + m]] as const) {
      facts.push({ year: 2019, unit, indicator: SURVEY.indicator, breakdown: b, status: "ok", value: 70, respondents: n, numerator: undefined, denominator: undefined });
    }
  }
  const { rows, trends } = aggregate(catalogue, facts, 2019);
  expect(rows.find((r) => r.unit === "aldreforvaltningen" && r.breakdown === "M")).toMatchObject({ status: "suppressed" });
  expect(recoveredBy(rows, trends, SURVEY.field)).toEqual([]);
});
