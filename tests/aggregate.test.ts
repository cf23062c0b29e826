import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { aggregate } from "../functions/aggregate/aggregate.js";
import type { Fact } from "../functions/aggregate/facts.js";
import { judgeSeries } from "../functions/aggregate/trends.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { EXAMPLES, hp, tempDir } from "./helpers.js";

/** Reads the example workbooks with exceljs directly, not through our reader. */
async function rawExampleValues() {
  const values = new Map<string, Record<string, unknown>>();
  for (const unit of ["rinkeby-kista", "spanga-tensta", "hasselby-vallingby", "bromma", "kungsholmen", "norrmalm", "ostermalm", "sodermalm", "enskede-arsta-vantor", "skarpnack", "farsta", "hagersten-alvsjo", "skarholmen", "socialforvaltningen", "aldreforvaltningen", "central-rapportering"]) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(EXAMPLES, `2025-${unit}.xlsx`));
    const ws = wb.worksheets.find((w) => w.state === "visible" && w.name !== "Instruktioner")!;
    let cols: unknown[] = [];
    ws.eachRow((row) => {
      const v = row.values as unknown[];
      if (v.includes("Id") && v.includes("Uppdelning")) cols = v;
      else if (cols.length && typeof v[cols.indexOf("Id")] === "string") {
        const get = (h: string) => v[cols.indexOf(h)];
        values.set(`${get("Id")}|${get("Enhet")}|${get("Uppdelning")}`, {
          value: get("Värde"),
          numerator: get("Täljare"),
          denominator: get("Nämnare"),
          respondents: get("Antal svarande"),
        });
      }
    });
  }
  return values;
}

describe("hp aggregate", () => {
  it("gives city-wide values that match an independent recomputation from the example inputs", async () => {
    const out = await tempDir();
    const run = await hp("aggregate", "--input", EXAMPLES, "--year", "2025", "--out", out, "--no-store");
    expect(run.code).toBe(1); // Skarpnäck's deliberate mistakes
    const { rows } = JSON.parse(await readFile(join(out, "2025", "aggregates.json"), "utf8"));
    const city = (indicator: string, aggregation: string, breakdown = "T") =>
      rows.find((r: Record<string, unknown>) => r.indicator === indicator && r.unit === "stockholm" && r.year === 2025 && r.breakdown === breakdown && r.aggregation === aggregation);

    const raw = await rawExampleValues();
    const units = [...new Set([...raw.keys()].filter((k) => k.startsWith("tp-vfu-platser|")).map((k) => k.split("|")[1]!))];
    expect(units).toHaveLength(15);
    const total = (id: string, field: string, breakdown = "Totalt", skip: string[] = []) =>
      units.filter((u) => !skip.includes(u)).reduce((s, u) => s + Number(raw.get(`${id}|${u}|${breakdown}`)![field]), 0);

    // Skarpnäck handed in with errors, so none of its own values count: a sum without it is
    // withheld, with its number nowhere, and says who is missing and why.
    for (const id of ["tp-vfu-platser", "tp-socionomkonsulter", "fa1-hot-vald-incidenter"]) {
      expect(city(id, "sum"), id).toMatchObject({ value: null, text: "..*", status: "withheld", units: { included: 14, expected: 15 } });
      expect(city(id, "sum").missingUnits).toEqual([{ unit: "skarpnack", reason: "submitted-with-errors" }]);
      expect(city(id, "sum")).not.toHaveProperty("numerator");
    }
    // A share of sums over the 14 admitted units: Skarpnäck's own turnover is out, numerator and denominator alike.
    const tn = total("tp-personalrorlighet", "numerator", "Totalt", ["Skarpnäck"]);
    const td = total("tp-personalrorlighet", "denominator", "Totalt", ["Skarpnäck"]);
    expect(city("tp-personalrorlighet", "ratio-of-sums")).toMatchObject({ numerator: tn, denominator: td, status: "partial", text: expect.stringMatching(/\*$/) });
    expect(city("tp-personalrorlighet", "ratio-of-sums").value).toBeCloseTo(Math.round((tn / td) * 1000) / 10, 5);
    // A ratio of sums, never a mean of percentages.
    const n = total("fa2-introduktionsutbildning", "numerator");
    const d = total("fa2-introduktionsutbildning", "denominator");
    expect(city("fa2-introduktionsutbildning", "ratio-of-sums")).toMatchObject({ numerator: n, denominator: d });
    expect(city("fa2-introduktionsutbildning", "ratio-of-sums").value).toBeCloseTo((n / d) * 100, 1);
    const meanOfPercentages =
      units.reduce((s, u) => {
        const v = raw.get(`fa2-introduktionsutbildning|${u}|Totalt`)!;
        return s + (Number(v.numerator) / Number(v.denominator)) * 100;
      }, 0) / units.length;
    expect(city("fa2-introduktionsutbildning", "unweighted-mean").value).toBeCloseTo(meanOfPercentages, 1);
    // A mean weighted by respondents, for women separately too.
    for (const [breakdown, label] of [["T", "Totalt"], ["K", "Kvinnor"]] as const) {
      const weighted = units.reduce((s, u) => {
        const v = raw.get(`fa1-paverka-arbetet|${u}|${label}`)!;
        return s + Number(v.value) * Number(v.respondents);
      }, 0);
      const respondents = total("fa1-paverka-arbetet", "respondents", label);
      expect(city("fa1-paverka-arbetet", "weighted-mean", breakdown).value).toBeCloseTo(weighted / respondents, 1);
      expect(city("fa1-paverka-arbetet", "weighted-mean", breakdown).respondents).toBe(respondents);
    }
  });

  it("keeps rows with errors out, and the unit as not valid", async () => {
    const out = await tempDir();
    await hp("aggregate", "--input", EXAMPLES, "--year", "2025", "--out", out, "--no-store");
    const { rows, reporting } = JSON.parse(await readFile(join(out, "2025", "aggregates.json"), "utf8"));
    // Every one of Skarpnäck's own values, the valid ones too, is ".." with the reason.
    const own = rows.filter((r: Record<string, unknown>) => r.unit === "skarpnack" && r.year === 2025 && ["fa1-hot-vald-incidenter", "tp-vfu-platser", "tp-personalrorlighet"].includes(r.indicator as string));
    expect(own.length).toBeGreaterThan(5);
    for (const r of own) expect(r).toMatchObject({ status: "missing", value: null, text: "..", reason: "submitted-with-errors" });
    // Skarpnäck marked its tab ready, but with errors it has not handed in: "klar med fel".
    expect(reporting[0]).toMatchObject({ expected: 16, started: 16, received: 15, onTime: 14, approved: 0, admitted: 15, rule: "submitted" });
    expect(reporting[0].units.find((u: { reporter: string }) => u.reporter === "skarpnack")).toMatchObject({
      started: true,
      ready: true,
      received: false,
      admitted: false,
      reason: "submitted-with-errors",
      errors: 7,
      state: "klar med fel",
      submittedAt: "2026-02-10T00:00:00.000Z",
    });
  });

  it("writes byte-identical files for the same input and clock", async () => {
    const env = { SOURCE_DATE_EPOCH: "1771000000" };
    const [a, b] = [await tempDir(), await tempDir()];
    const { hpWithEnv } = await import("./helpers.js");
    await hpWithEnv(env, "aggregate", "--input", EXAMPLES, "--year", "2025", "--out", a, "--no-store");
    await hpWithEnv(env, "aggregate", "--input", EXAMPLES, "--year", "2025", "--out", b, "--no-store");
    for (const name of ["aggregates.json", "findings.json", "uppfoljning-2025.xlsx", "oppna-data-2025.csv", "oppna-data-2025.json"]) {
      expect(Buffer.compare(await readFile(join(a, "2025", name)), await readFile(join(b, "2025", name))), name).toBe(0);
    }
  });
});

describe("aggregation rules", () => {
  const fact = (unit: string, breakdown: string, value: number, respondents: number): Fact => ({
    year: 2025,
    unit,
    indicator: "fa1-paverka-arbetet",
    breakdown,
    status: "ok",
    value,
    respondents,
    numerator: undefined,
    denominator: undefined,
  });

  it("suppresses a second district when one suppressed district could be recovered from the city total", async () => {
    const catalogue = await loadCatalogue();
    // Survey results need at least 5 respondents. Östermalm has 3 and is suppressed; with the
    // city total and the other two published, Östermalm = city − Bromma − Farsta, so one more
    // district (the smaller, Bromma) must be hidden too.
    const facts = [fact("ostermalm", "T", 90, 3), fact("bromma", "T", 70, 40), fact("farsta", "T", 80, 60)];
    const { rows } = aggregate(catalogue, facts, 2025);
    const byUnit = Object.fromEntries(rows.filter((r) => r.aggregation !== "unweighted-mean").map((r) => [r.unit, r]));
    expect(byUnit.ostermalm).toMatchObject({ status: "suppressed", suppression: "primary", value: null });
    expect(byUnit.bromma).toMatchObject({ status: "suppressed", suppression: "secondary", value: null });
    expect(byUnit.bromma).not.toHaveProperty("respondents");
    expect(byUnit.farsta).toMatchObject({ status: "ok", value: 80 });
    // The other twelve units sent nothing: the city figure is partial and says so.
    expect(byUnit.stockholm).toMatchObject({ status: "partial", respondents: 103, units: { included: 3, expected: 15 } });
    expect(byUnit.stockholm!.value).toBeCloseTo((90 * 3 + 70 * 40 + 80 * 60) / 103, 10);
    // The unweighted mean would give the hidden figures away too.
    expect(rows.find((r) => r.aggregation === "unweighted-mean" && r.breakdown === "T")).toMatchObject({ status: "suppressed" });
  });

  it("suppresses the other sex within a unit when one is too small", async () => {
    const catalogue = await loadCatalogue();
    const facts = [fact("bromma", "K", 70, 37), fact("bromma", "M", 90, 3), fact("bromma", "T", 71, 40)];
    const { rows } = aggregate(catalogue, facts, 2025);
    const bromma = Object.fromEntries(rows.filter((r) => r.unit === "bromma").map((r) => [r.breakdown, r.status]));
    expect(bromma).toEqual({ K: "suppressed", M: "suppressed", T: "ok" });
  });

  it("maps the units merged in 2020 so that the trend runs through the merger", async () => {
    const catalogue = await loadCatalogue();
    const vfu = (unit: string, year: number, value: number): Fact => ({
      year,
      unit,
      indicator: "tp-vfu-platser",
      breakdown: "T",
      status: "ok",
      value,
      numerator: undefined,
      denominator: undefined,
      respondents: undefined,
    });
    const facts = [vfu("hagersten-liljeholmen", 2019, 8), vfu("alvsjo", 2019, 4), vfu("hagersten-alvsjo", 2020, 13), vfu("hagersten-alvsjo", 2021, 14)];
    const { rows, trends } = aggregate(catalogue, facts, 2021);
    expect(rows.find((r) => r.unit === "hagersten-alvsjo" && r.year === 2019)).toMatchObject({
      value: 12,
      mappedFrom: ["hagersten-liljeholmen", "alvsjo"],
    });
    // The mapped row is not counted twice in the city.
    expect(rows.find((r) => r.unit === "stockholm" && r.year === 2019)).toMatchObject({ value: 12 });
    expect(trends.find((t) => t.unit === "hagersten-alvsjo")).toMatchObject({ points: 3, slope: 1, years: [2019, 2020, 2021] });
  });

  it.each([
    { name: "a falling share of a rising indicator", direction: "increase", series: [80, 78, 75], wrongWay: true },
    { name: "a rising share of a rising indicator", direction: "increase", series: [75, 78, 80], wrongWay: false },
    { name: "a flat series", direction: "increase", series: [80, 80.4, 79.8], wrongWay: false },
    { name: "rising turnover", direction: "decrease", series: [12, 13.5, 15], wrongWay: true },
    { name: "two years, a large fall", direction: "increase", series: [80, 77], wrongWay: true },
    { name: "two years, a small fall", direction: "increase", series: [80, 79], wrongWay: false },
    { name: "no desired direction", direction: "none", series: [10, 20, 30], wrongWay: false },
  ] as const)("flags $name: wrong way = $wrongWay", async ({ direction, series, wrongWay }) => {
    const catalogue = await loadCatalogue();
    const indicator = { ...catalogue.indicators.find((i) => i.id === "fa1-paverka-arbetet")!, direction };
    // A city-sized group: 4 000 respondents a year, so chance plays no part.
    const points = series.map((value, i) => ({ year: 2025 - series.length + 1 + i, value, base: 4000 }));
    const base = { indicator: indicator.id, unit: "stockholm", year: 2025, units: [], expected: 0 };
    expect(judgeSeries(indicator, base, points, catalogue.comparison).wrongWay).toBe(wrongWay);
  });
});
