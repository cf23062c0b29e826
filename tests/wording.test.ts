/**
 * The wording rules, one row each: the numbers in, the Swedish out. A sentence must never
 * contradict its numbers (direction follows the sign, ±0 is never "fel håll"), say "trend"
 * with fewer than three years, hide that it covers only some units, or get procentenhet's
 * number wrong.
 */
import { describe, expect, it } from "vitest";
import { judgeSeries, type Trend } from "../functions/aggregate/trends.js";
import { beyondNoise } from "../functions/catalogue/noise.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { comparisonSentence } from "../functions/report/analysis.js";
import { formatChange, showNumber } from "../functions/report/report-model.js";
import { formatPercentagePoints, sortSv } from "../functions/shared/format-sv.js";

const catalogue = await loadCatalogue();
const indicator = (id: string) => catalogue.indicators.find((i) => i.id === id)!;
const SURVEY = indicator("fa1-chef-prioritera");
const VFU = indicator("tp-vfu-platser");
const TURNOVER = indicator("tp-personalrorlighet");

const trend = (t: Partial<Trend>): Trend => ({
  indicator: "x",
  unit: "stockholm",
  year: 2025,
  kind: "change",
  years: [2024, 2025],
  units: Array.from({ length: 15 }, (_, i) => `u${i}`),
  expected: 15,
  value: null,
  previous: null,
  change: null,
  slope: null,
  points: 2,
  wrongWay: false,
  notable: true,
  ...t,
});

describe("sentences about a comparison", () => {
  it.each([
    {
      name: "a fall over every unit, two years: a change, not a trend",
      indicator: SURVEY,
      t: trend({ previous: 72.7, value: 69.7, change: -3, wrongWay: true }),
      text: "Andelen positiva svar på frågan ”Min chef hjälper mig att prioritera när jag ber om det” minskade från 72,7\u00a0% år 2024 till 69,7\u00a0% år 2025 (−3,0 procentenheter). Förändringen mot förra året går åt fel håll.",
    },
    {
      name: "three years or more: a trend, with its years",
      indicator: SURVEY,
      t: trend({ kind: "trend", years: [2021, 2022, 2023, 2024, 2025], previous: 72.7, value: 69.7, change: -3, wrongWay: true }),
      text: "Andelen positiva svar på frågan ”Min chef hjälper mig att prioritera när jag ber om det” minskade från 72,7\u00a0% år 2024 till 69,7\u00a0% år 2025 (−3,0 procentenheter). Trenden 2021–2025 går åt fel håll.",
    },
    {
      name: "a count over 14 of 15 units says so",
      indicator: VFU,
      t: trend({ previous: 447, value: 475, change: 28, units: Array.from({ length: 14 }, (_, i) => `u${i}`) }),
      text: "Antalet VFU-platser som erbjudits socionomstudenter ökade från 447 år 2024 till 475 år 2025 (+28), bland de 14 av 15 enheter som har jämförbara uppgifter båda åren.",
    },
    {
      name: "a trend over fewer units names the years",
      indicator: VFU,
      t: trend({ kind: "trend", years: [2023, 2024, 2025], previous: 120, value: 140, change: 20, units: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"] }),
      text: "Antalet VFU-platser som erbjudits socionomstudenter ökade från 120 år 2024 till 140 år 2025 (+20), bland de 13 av 15 enheter som har jämförbara uppgifter alla år 2023–2025.",
    },
    {
      name: "one procentenhet is singular",
      indicator: TURNOVER,
      t: trend({ previous: 13.5, value: 12.5, change: -1 }),
      text: "Personalrörlighet bland socialsekreterare och biståndshandläggare minskade från 13,5\u00a0% år 2024 till 12,5\u00a0% år 2025 (−1,0 procentenhet).",
    },
    {
      name: "no change is said as no change",
      indicator: SURVEY,
      t: trend({ previous: 68.04, value: 67.98, change: -0.06 }),
      text: "Andelen positiva svar på frågan ”Min chef hjälper mig att prioritera när jag ber om det” var oförändrad, 68,0\u00a0% år 2024 och 2025.",
    },
    {
      name: "a withheld comparison says why and claims nothing",
      indicator: VFU,
      t: trend({ kind: "none", withheld: "För få enheter har lämnat jämförbara uppgifter för att jämföra staden med förra året (3 av 16)." }),
      text: "För få enheter har lämnat jämförbara uppgifter för att jämföra staden med förra året (3 av 16).",
    },
  ])("$name", ({ indicator: ind, t, text }) => {
    expect(comparisonSentence(ind, t)).toBe(text);
  });
});

describe("the wrong-way flag", () => {
  const base = { indicator: SURVEY.id, unit: "stockholm", year: 2025, units: [], expected: 0 };
  const series = (values: number[], n = 4000) => values.map((value, i) => ({ year: 2025 - values.length + 1 + i, value, base: n }));
  it.each([
    { name: "a falling trend whose last year is flat is not flagged (never ±0 fel håll)", values: [80, 76, 72, 68, 68], wrongWay: false },
    { name: "a falling trend whose last year rises is not flagged", values: [75, 72, 69.7, 69.7, 71.8], wrongWay: false },
    { name: "a falling trend that goes on falling is flagged", values: [80, 78, 76, 74, 72], wrongWay: true },
    { name: "two years with a large fall: flagged as a change", values: [80, 77], wrongWay: true },
    { name: "a unit's fall from 31/35 to 35/42 is one or two people, not flagged", values: [88.6, 83.3], n: 38, wrongWay: false },
  ])("$name", ({ values, n, wrongWay }) => {
    const t = judgeSeries(SURVEY, base, series(values, n), catalogue.comparison);
    expect(t.wrongWay).toBe(wrongWay);
    expect(t.kind).toBe(values.length >= 3 ? "trend" : "change");
  });

  it("needs more than two people and more than chance for a share", () => {
    const point = (value: number, base: number) => ({ year: 2025, value, base });
    expect(beyondNoise(TURNOVER, point(88.6, 35), point(83.3, 42))).toBe(false);
    expect(beyondNoise(TURNOVER, point(80, 4000), point(76, 4000))).toBe(true);
    expect(beyondNoise(VFU, point(7, 0), point(9, 0))).toBe(false);
    expect(beyondNoise(VFU, point(7, 0), point(45, 0))).toBe(true);
  });
});

describe("numbers in a column and changes", () => {
  it.each([
    { name: "a share always has one decimal", value: 77, percent: true, text: "77,0\u00a0%" },
    { name: "a share keeps its decimal", value: 77.64, percent: true, text: "77,6\u00a0%" },
    { name: "a count has none", value: 1234.4, percent: false, text: "1\u00a0234" },
  ])("$name", ({ value, percent, text }) => {
    expect(showNumber(value, percent)).toBe(text);
  });

  it.each([
    { name: "a rise in procentenheter", change: 2.46, percent: true, text: "+2,5 procentenheter" },
    { name: "exactly one procentenhet", change: -1, percent: true, text: "−1,0 procentenhet" },
    { name: "a change that rounds to zero is ±0", change: -0.04, percent: true, text: "±0,0 procentenheter" },
    { name: "a count", change: 28, percent: false, text: "+28" },
  ])("$name", ({ change, percent, text }) => {
    expect(formatChange(change, percent)).toBe(text);
  });

  it("says procentenhet in the singular only for one", () => {
    expect(formatPercentagePoints(1)).toBe("1,0 procentenhet");
    expect(formatPercentagePoints(0.96)).toBe("1,0 procentenhet");
    expect(formatPercentagePoints(2)).toBe("2,0 procentenheter");
  });
});

it("sorts names in Swedish order", () => {
  expect(sortSv(["Äldreförvaltningen", "Skärholmen", "Östermalm", "Skarpnäck", "Bromma", "Älvsjö"])).toEqual([
    "Bromma",
    "Skarpnäck",
    "Skärholmen",
    "Äldreförvaltningen",
    "Älvsjö",
    "Östermalm",
  ]);
});
