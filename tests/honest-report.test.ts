/**
 * What the board reads on the bundled example data, read back from the rendered report:
 * Skarpnäck marked its tab ready with 7 errors, so none of its own values count: the city sums
 * it belongs to are incomplete and withheld, and its draft 7 → 45 student placements appear
 * nowhere. Three admitted units changed a value a lot without explaining it: unconfirmed,
 * counted in the city value, kept out of comparisons. Nothing may present any of it plainly.
 */
import { describe, expect, it } from "vitest";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { aggregateYear } from "../functions/pipeline/aggregate-year.js";
import { reportModelOf } from "../functions/pipeline/write-outputs.js";
import { renderBoardHtml, renderDistrictHtml } from "../functions/render/render-reports.js";
import { XlsxFileSource } from "../functions/submission/source.js";
import { context, EXAMPLES, ROOT } from "./helpers.js";

const DATE = new Date("2026-03-02T09:00:00Z");
const { catalogue, history, definition } = await context();
const yc = catalogueForYear(catalogue, 2025);
const result = await aggregateYear({ yc, definition, history, source: new XlsxFileSource([EXAMPLES], ROOT), maxChange: 0.5, now: DATE });
const model = reportModelOf(result, definition, yc);
const board = (await renderBoardHtml(model, result.aggregates.trends, DATE)).html;
const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<svg[\s\S]*?<\/svg>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
const section = (html: string, from: string, to: string) => html.slice(html.indexOf(from), html.indexOf(to, html.indexOf(from)));

describe("the board report on the example data", () => {
  it("never prints the incomplete incident total as a plain number beside a complete one", () => {
    const incidents = section(board, 'id="fa1-hot-vald-incidenter"', "</section>");
    const cityRow = /<tr class="city">([\s\S]*?)<\/tr>/.exec(incidents)![1]!;
    expect(cityRow).not.toContain(">475<");
    expect(cityRow).toContain(">..*<");
    expect(text(incidents)).toContain("Staden 2025: summan redovisas inte, eftersom den bara omfattar 14 av 15 enheter. Saknas: Skarpnäck (lämnade in med fel).");
    expect(text(board)).not.toMatch(/\b475\b/);
  });

  it("publishes city parts that add up to the city total wherever both are shown", () => {
    const city = result.aggregates.rows.filter((r) => r.unit === "stockholm" && r.aggregation === "sum");
    let checked = 0;
    for (const total of city.filter((r) => r.breakdown === "T" && r.status === "ok")) {
      const parts = city.filter((r) => r.indicator === total.indicator && r.year === total.year && r.breakdown !== "T");
      if (parts.length === 0 || parts.some((p) => p.status !== "ok")) continue;
      expect(parts.reduce((a, p) => a + (p.value as number), 0), `${total.indicator} ${total.year}`).toBe(total.value);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
    // Skarpnäck's parts went out with its total, so the 2025 breakdown is as incomplete as the total.
    const parts2025 = city.filter((r) => r.indicator === "fa1-hot-vald-incidenter" && r.year === 2025 && r.breakdown !== "T");
    for (const p of parts2025) expect(p.missingUnits?.map((m) => m.unit) ?? [], p.breakdown).toContain("skarpnack");
  });

  it("shows none of Skarpnäck's draft values, and marks the admitted units' unexplained changes as unconfirmed", () => {
    const vfu = section(board, 'id="tp-vfu-platser"', "</section>");
    const cityRow = /<tr class="city">([\s\S]*?)<\/tr>/.exec(vfu)![1]!;
    // 45 was Skarpnäck's draft; 174 the city sum with it. Neither reaches the board.
    expect(cityRow).toContain(">..*<");
    expect(text(board)).not.toMatch(/\b174\b/);
    expect(/<th scope="row">Skarpnäck<\/th>(<td[^>]*>[^<]*<\/td>\s*)*/.exec(vfu)![0]).not.toContain(">45<");
    expect(text(vfu)).toContain("Saknas: Skarpnäck (lämnade in med fel).");
    const incidents = text(section(board, 'id="fa1-hot-vald-incidenter"', "</section>"));
    expect(incidents).toContain("Obekräftat 2025: Skärholmen (socialpsykiatri), Socialförvaltningen (missbruk) och Södermalm (missbruk).");
    // The summary names the withheld sum, and says nothing about how it changed.
    const summary = text(section(board, "<h2>Sammanfattning", "<h2>Bakgrund"));
    expect(summary).toContain("redovisas inte, eftersom de inte omfattar alla förvaltningar: Incidenter om hot, våld och otillåten påverkan, Socionomkonsulter och VFU-platser.");
    expect(summary).not.toMatch(/VFU[^.]*(ökade|minskade|→)/);
    expect(text(section(board, "Analys</h2>", "Förvaltningarnas synpunkter"))).not.toMatch(/VFU/);
  });

  it("has no sentence that contradicts its numbers", () => {
    const all = text(board);
    expect(all).not.toMatch(/±0[^.]*fel håll/);
    expect(all).not.toMatch(/[+−±]1,0 procentenheter/);
    for (const m of all.matchAll(/ökade från ([\d,]+)[^\d]+år \d{4} till ([\d,]+)/g)) {
      expect(Number(m[2]!.replace(",", ".")), m[0]).toBeGreaterThan(Number(m[1]!.replace(",", ".")));
    }
    for (const m of all.matchAll(/minskade från ([\d,]+)[^\d]+år \d{4} till ([\d,]+)/g)) {
      expect(Number(m[2]!.replace(",", ".")), m[0]).toBeLessThan(Number(m[1]!.replace(",", ".")));
    }
    // "Trenden" only with three years or more.
    for (const m of all.matchAll(/Trenden (\d{4})–(\d{4})/g)) expect(Number(m[2]) - Number(m[1])).toBeGreaterThanOrEqual(2);
  });

  it("labels every year once on a chart's axis, and names the units a chart leaves out", () => {
    for (const svg of board.match(/<svg[\s\S]*?<\/svg>/g)!) {
      const years = [...svg.matchAll(/<text[^>]*>(20\d\d)<\/text>/g)].map((m) => m[1]);
      expect(new Set(years).size, years.join(",")).toBe(years.length);
    }
    const incidents = section(board, 'id="fa1-hot-vald-incidenter"', "</section>");
    expect(text(incidents)).toContain("Saknas: Skarpnäck (..).");
    expect(text(incidents)).toContain("streckad linje: enheternas median");
  });

  it("states the coverage and comparison rules in the legend", () => {
    const legend = text(section(board, "<h3>Teckenförklaring", "Fokusområde 1"));
    expect(legend).toContain("En summa för staden där någon väntad enhet saknas redovisas inte (..)");
    expect(legend).toContain("Jämförelser mellan år görs på samma enheter alla jämförda år");
    expect(legend).toContain("Obekräftat värde");
  });
});

describe("a district page on the example data", () => {
  const skarpnack = yc.units.find((u) => u.id === "skarpnack")!;
  it("says why its values are not shown, lists the unit's findings without their draft values, and compares with the median", async () => {
    const page = text((await renderDistrictHtml(model, skarpnack, result.aggregates.trends, result.validation.observations, DATE)).html);
    expect(page).toContain("Skarpnäck lämnade in med 7 fel för 2025. De värden som enheten själv rapporterar för 2025 visas därför inte (..) och ingår inte i stadens värden.");
    expect(page).toMatch(/VFU-platser 7 \.\. Median \d+/);
    expect(page).not.toContain("Obekräftade värden");
    expect(page).not.toMatch(/\b45\b/);
    expect(page).toContain("Kontrollens fynd");
    expect(page).toContain("cell H13");
    expect(page).toContain("cell H24 Stor förändring mot förra året som inte är förklarad");
    expect(page).toMatch(/Median \d+/);
    expect(page).not.toMatch(/Staden 4\d\d\b/);
  });

  it("says so on the page of a unit that did not submit", async () => {
    const without = await aggregateYear({
      yc,
      definition,
      history,
      source: new XlsxFileSource([`${EXAMPLES}/2025-bromma.xlsx`, `${EXAMPLES}/2025-central-rapportering.xlsx`], ROOT),
      maxChange: 0.5,
      now: DATE,
    });
    const m = reportModelOf(without, definition, yc);
    const farsta = yc.units.find((u) => u.id === "farsta")!;
    const page = text((await renderDistrictHtml(m, farsta, without.aggregates.trends, without.validation.observations, DATE)).html);
    expect(page).toContain("Farsta har inte lämnat in för 2025. De värden som enheten själv rapporterar för 2025 visas därför inte (..)");
    expect(page).toMatch(/VFU-platser \d+ \.\. Median \d+/);
    // With 1 of 15 units in, the board report makes no claim about the city's counts.
    const b = text((await renderBoardHtml(m, without.aggregates.trends, DATE)).html);
    expect(b).toContain("För få enheter har lämnat jämförbara uppgifter för att jämföra staden med förra året (1 av 15).");
    expect(b).not.toMatch(/Antalet [^.]* (ökade|minskade) från/);
  });
});
