/**
 * Charts as SVG, drawn in Node at render time with Observable Plot on a server-side DOM
 * (linkedom): the city's trend over the years and a comparison of the units this year. Each
 * chart carries a text alternative (role="img", aria-label and a <title>) that says what it
 * shows in words.
 */
import type { ReportModel } from "../report/report-model.js";
import type { IndicatorTable } from "../report/report-model.js";
import { formatNumber, formatPercent } from "../shared/format-sv.js";

export interface Chart {
  /** Trusted markup made here from catalogue names and numbers; never from reporters' text. */
  svg: string;
  alt: string;
  caption: string;
}

const STYLE = { fontFamily: "Source Sans 3, sans-serif", fontSize: "9px", background: "white", color: "#1a1a1a" };

export async function indicatorCharts(model: ReportModel, table: IndicatorTable): Promise<Chart[]> {
  const Plot = await import("@observablehq/plot");
  const { parseHTML } = await import("linkedom");
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const show = (v: number) => (table.percent ? formatPercent(v) : formatNumber(v, 0));
  const charts: Chart[] = [];

  const city = table.rows.find((r) => r.isCity)!;
  const trend = table.years
    .map((year, i) => ({ year, value: city.cells[i]!.value }))
    .filter((p): p is { year: number; value: number } => p.value !== null);
  if (trend.length >= 2) {
    const values = trend.map((p) => p.value);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const domain = table.percent
      ? [Math.max(0, Math.floor(low - 5)), Math.min(100, Math.ceil(high + 5))]
      : [0, Math.ceil(high * 1.15)];
    const svg = Plot.plot({
      document,
      className: "hp-chart",
      width: 320,
      height: 170,
      marginLeft: 40,
      style: STYLE,
      x: { label: null, tickFormat: "d", ticks: Math.min(trend.length, 6) },
      y: { label: table.percent ? "procent" : "antal", domain, grid: true, tickFormat: (d: number) => formatNumber(d, 0) },
      marks: [
        Plot.lineY(trend, { x: "year", y: "value", stroke: "#00698c", strokeWidth: 2 }),
        Plot.dot(trend, { x: "year", y: "value", fill: "#00698c", r: 2.5 }),
      ],
    });
    const first = trend[0]!;
    const last = trend.at(-1)!;
    const alt = `Linjediagram: stadens värde ${first.year}–${last.year}, från ${show(first.value)} till ${show(last.value)}.`;
    charts.push(finish(svg as unknown as SvgNode, alt, `Staden ${first.year}–${last.year}`));
  }

  const units = table.rows
    .filter((r) => !r.isCity && r.cells.at(-1)!.value !== null)
    .map((r) => ({ name: r.name, value: r.cells.at(-1)!.value as number }))
    .sort((a, b) => b.value - a.value);
  if (units.length >= 2) {
    const cityValue = city.cells.at(-1)!.value;
    const svg = Plot.plot({
      document,
      className: "hp-chart",
      width: 320,
      height: 40 + units.length * 12,
      marginLeft: 118,
      style: STYLE,
      x: { label: table.percent ? "procent" : "antal", grid: true, tickFormat: (d: number) => formatNumber(d, 0), ...(table.percent ? { domain: [0, 100] } : {}) },
      y: { label: null, domain: units.map((u) => u.name) },
      marks: [
        Plot.barX(units, { x: "value", y: "name", fill: "#9ac2d3" }),
        ...(cityValue !== null ? [Plot.ruleX([cityValue], { stroke: "#1a1a1a", strokeDasharray: "3,2" })] : []),
      ],
    });
    const low = units.at(-1)!;
    const high = units[0]!;
    const alt =
      `Stapeldiagram: enheternas värden ${model.year}, från ${show(low.value)} (${low.name}) till ${show(high.value)} (${high.name})` +
      (cityValue !== null ? `; staden ${show(cityValue)}, streckad linje.` : ".");
    charts.push(finish(svg as unknown as SvgNode, alt, `Enheterna ${model.year}, streckad linje: staden`));
  }
  return charts;
}

/** The part of a DOM element used here (the project compiles without the DOM library). */
interface SvgNode {
  setAttribute(name: string, value: string): void;
  insertBefore(node: unknown, before: unknown): unknown;
  firstChild: unknown;
  outerHTML: string;
  ownerDocument: { createElement(name: string): { textContent: string | null } };
}

function finish(svg: SvgNode, alt: string, caption: string): Chart {
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", alt);
  const title = svg.ownerDocument.createElement("title");
  title.textContent = alt;
  svg.insertBefore(title, svg.firstChild);
  return { svg: svg.outerHTML, alt, caption };
}
