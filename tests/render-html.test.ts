import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { aggregateYear } from "../functions/pipeline/aggregate-year.js";
import { reportModelOf } from "../functions/pipeline/write-outputs.js";
import { renderBoardHtml, renderDistrictHtml } from "../functions/render/render-reports.js";
import { XlsxFileSource } from "../functions/submission/source.js";
import { context, EXAMPLES, ROOT } from "./helpers.js";

const DATE = new Date("2026-03-02T09:00:00Z");

async function exampleRun() {
  const { catalogue, history, definition } = await context();
  const yc = catalogueForYear(catalogue, 2025);
  const result = await aggregateYear({ yc, definition, history, source: new XlsxFileSource([EXAMPLES], ROOT), maxChange: 0.5, now: DATE });
  return { yc, result, model: reportModelOf(result, definition, yc) };
}

/** Fonts are embedded as base64; the golden file keeps the rest readable. */
const normalise = (html: string) => html.replace(/base64,[A-Za-z0-9+/=]{100,}/g, "base64,…");

/** Compares with a golden file; writes it when missing, except on CI where a missing file fails. */
async function expectGolden(name: string, html: string) {
  const file = join(ROOT, "tests", "golden", name);
  if (!existsSync(file)) {
    if (process.env.CI) throw new Error(`Golden file ${name} is missing; run the tests locally to write it.`);
    await mkdir(join(ROOT, "tests", "golden"), { recursive: true });
    await writeFile(file, html);
  }
  expect(html === (await readFile(file, "utf8")), `${name} differs from tests/golden/${name}`).toBe(true);
}

describe("the report HTML", () => {
  it("renders the board report as in the golden file, the same every time", async () => {
    const { model, result } = await exampleRun();
    const first = await renderBoardHtml(model, result.aggregates.trends, DATE);
    const second = await renderBoardHtml(model, result.aggregates.trends, DATE);
    expect(second.html).toBe(first.html);
    await expectGolden("board-report-2025.html", normalise(first.html));
    expect(first.footerTemplate).toContain('Sida <span class="pageNumber"></span> (<span class="totalPages"></span>)');
    expect(first.headerTemplate).toContain("Dnr SOF 2026/1342");
  });

  it("renders a district page as in the golden file", async () => {
    const { model, result, yc } = await exampleRun();
    const bromma = yc.units.find((u) => u.id === "bromma")!;
    const page = await renderDistrictHtml(model, bromma, result.aggregates.trends, result.validation.observations, DATE);
    await expectGolden("district-bromma-2025.html", normalise(page.html));
  });

  it("is accessible: language, title, headings in order, table headers, charts with text alternatives", async () => {
    const { model, result } = await exampleRun();
    const { html } = await renderBoardHtml(model, result.aggregates.trends, DATE);
    expect(html).toMatch(/^<!doctype html>\n<html lang="sv">/);
    expect(html).toContain("<title>Uppföljning 2025 av Stockholms stads handlingsplan för en hållbar arbetssituation inom socialtjänsten</title>");
    // A gemensamt tjänsteutlåtande's sections, in the city's order, the decision first.
    const sections = [
      "Förvaltningarnas förslag till beslut",
      "Sammanfattning",
      "Bakgrund",
      "Ärendet",
      "Ärendets beredning",
      "Analys",
      "Förvaltningarnas synpunkter och förslag",
      "Bilagor",
      "Bilaga 3. Indikatordefinitioner",
    ];
    const at = sections.map((heading) => html.search(new RegExp(`<h2[^>]*>${heading}</h2>`)));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const area of model.yc.plan.focusAreas) expect(html).toContain(`Fokusområde ${area.number}: ${area.title}</h3>`);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    // Headings never skip a level: h1, then h2, h3, h4 in order.
    let level = 1;
    for (const m of html.matchAll(/<h([1-6])[\s>]/g)) {
      expect(Number(m[1])).toBeLessThanOrEqual(level + 1);
      level = Number(m[1]);
    }
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(20);
    for (const svg of svgs) {
      expect(svg).toContain('role="img"');
      expect(svg).toMatch(/aria-label="[^"]{20,}"/);
    }
    expect(html).not.toMatch(/<th(?=[\s>])(?![^>]*scope=)[^>]*>/);
    expect(html).toContain(
      "Andelen positiva svar på frågan ”Min chef hjälper mig att prioritera när jag ber om det” minskade från 72,7\u00a0% år 2024 till 69,7\u00a0% år 2025 (−3,0 procentenheter). Trenden 2021–2025 går åt fel håll.",
    );
  });
});
