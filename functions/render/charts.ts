/**
 * Charts as SVG, drawn in Node at render time with Observable Plot on a server-side DOM
 * (linkedom): the city's trend over the years and a comparison of the units this year. Each
 * chart carries a text alternative (role="img", aria-label and a <title>) that says what it
 * shows in words.
 */
import type { ReportModel } from "../report/report-model.js";
import type { IndicatorTable } from "../report/report-model.js";
import { MARKS, SUPPRESSED } from "../report/legend.js";
import { showNumber } from "../report/report-model.js";
import { formatNumber, joinSv, sortSv, svCollator } from "../shared/format-sv.js";

export interface Chart {
  /** Trusted markup made here from catalogue names and numbers; never from reporters' text. */
  svg: string;
  alt: string;
  caption: string;
  /** Under the chart: the axis rule, and the units that are missing or suppressed in it. */
  notes: string[];
}

const STYLE = { fontFamily: "Source Sans 3, sans-serif", fontSize: "9px", background: "white", color: "#1a1a1a" };

/**
 * The one axis rule for shares: from the nearest ten at or below the lowest value to the
 * nearest ten at or above the highest, within 0–100, so differences show and the start is
 * written out under the chart. Counts always start at zero.
 */
export function shareDomain(values: readonly number[]): [number, number] {
  const low = Math.max(0, Math.floor(Math.min(...values) / 10) * 10);
  const high = Math.min(100, Math.max(low + 10, Math.ceil(Math.max(...values) / 10) * 10));
  return [low, high];
}

function axisNote(percent: boolean, domain: [number, number]): string {
  return percent
    ? `Skalan går från ${formatNumber(domain[0], 0)} till ${formatNumber(domain[1], 0)} %${domain[0] > 0 ? "; den börjar inte på noll" : ""}.`
    : "Skalan börjar på noll.";
}

export async function indicatorCharts(model: ReportModel, table: IndicatorTable): Promise<Chart[]> {
  const Plot = await import("@observablehq/plot");
  const { parseHTML } = await import("linkedom");
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const show = (v: number) => showNumber(v, table.percent);
  const charts: Chart[] = [];

  const city = table.rows.find((r) => r.isCity)!;
  // A point that is partial, unconfirmed or a draft is drawn hollow with its mark beside it.
  const trend = table.years
    .map((year, i) => ({ year, value: city.cells[i]!.value, mark: city.cells[i]!.marks.map((m) => MARKS[m].symbol).join("") }))
    .filter((p): p is { year: number; value: number; mark: string } => p.value !== null);
  const marked = trend.filter((p) => p.mark !== "");
  if (trend.length >= 2) {
    const values = trend.map((p) => p.value);
    const domain: [number, number] = table.percent ? shareDomain(values) : [0, Math.ceil(Math.max(...values) * 1.15) || 1];
    const svg = Plot.plot({
      document,
      className: "hp-chart",
      width: 320,
      height: 170,
      marginLeft: 40,
      style: STYLE,
      // One tick per year with a value, written as a whole year, never twice.
      x: { label: null, type: "point", domain: trend.map((p) => p.year), tickFormat: (d: number) => String(d) },
      y: { label: table.percent ? "procent" : "antal", domain, grid: true, tickFormat: (d: number) => formatNumber(d, 0) },
      marks: [
        Plot.lineY(trend, { x: "year", y: "value", stroke: "#00698c", strokeWidth: 2 }),
        Plot.dot(
          trend.filter((p) => p.mark === ""),
          { x: "year", y: "value", fill: "#00698c", r: 2.5 },
        ),
        Plot.dot(marked, { x: "year", y: "value", fill: "white", stroke: "#00698c", strokeWidth: 1.5, r: 3 }),
        Plot.text(marked, { x: "year", y: "value", text: "mark", dy: -9, fill: "#1a1a1a", fontWeight: "bold" }),
      ],
    });
    const first = trend[0]!;
    const last = trend.at(-1)!;
    const gaps = table.years.filter((y, i) => y >= first.year && city.cells[i]!.value === null);
    const notes = [axisNote(table.percent, domain)];
    if (gaps.length > 0) notes.push(`Inget värde för staden som kan visas: ${gaps.join(", ")} (se tabellen).`);
    if (marked.length > 0) {
      const kinds = [...new Set(marked.flatMap((p) => city.cells[table.years.indexOf(p.year)]!.marks))];
      notes.push(`Ofyllda punkter är märkta som i tabellen: ${joinSv(kinds.map((m) => `${MARKS[m].symbol} ${MARKS[m].short}`))}.`);
    }
    const alt = `Linjediagram: stadens värde ${first.year}–${last.year}, från ${show(first.value)} till ${show(last.value)}.`;
    charts.push(finish(svg as unknown as SvgNode, alt, `Staden ${first.year}–${last.year}`, notes));
  }

  const unitRows = table.rows.filter((r) => !r.isCity);
  const units = unitRows
    .filter((r) => r.cells.at(-1)!.value !== null)
    .map((r) => {
      const cell = r.cells.at(-1)!;
      const mark = cell.marks.map((m) => MARKS[m].symbol).join("");
      return { name: mark ? `${r.name} (${mark})` : r.name, value: cell.value as number };
    })
    .sort((a, b) => b.value - a.value || svCollator.compare(a.name, b.name));
  if (units.length >= 2) {
    const cityValue = city.cells.at(-1)!.value;
    const values = units.map((u) => u.value);
    const median = medianOf(values);
    const domain: [number, number] = table.percent
      ? shareDomain(cityValue !== null ? [...values, cityValue] : values)
      : [0, Math.ceil(Math.max(...values) * 1.1) || 1];
    // Shares: a dot per unit and the city's value; counts: bars against the units' median,
    // never against the city's sum, which is of another size.
    const reference = table.percent ? cityValue : median;
    const svg = Plot.plot({
      document,
      className: "hp-chart",
      width: 320,
      height: 40 + units.length * 12,
      marginLeft: 118,
      style: STYLE,
      x: { label: table.percent ? "procent" : "antal", grid: true, domain, tickFormat: (d: number) => formatNumber(d, 0) },
      y: { label: null, domain: units.map((u) => u.name) },
      marks: [
        table.percent
          ? Plot.dot(units, { x: "value", y: "name", fill: "#00698c", r: 3 })
          : Plot.barX(units, { x: "value", y: "name", fill: "#9ac2d3" }),
        ...(reference !== null ? [Plot.ruleX([reference], { stroke: "#1a1a1a", strokeDasharray: "3,2" })] : []),
      ],
    });
    const low = units.at(-1)!;
    const high = units[0]!;
    const referenceText = table.percent ? "staden" : "enheternas median";
    const alt =
      `${table.percent ? "Punktdiagram" : "Stapeldiagram"}: enheternas värden ${model.year}, från ${show(low.value)} (${low.name}) till ${show(high.value)} (${high.name})` +
      (reference !== null ? `; ${referenceText} ${show(reference)}, streckad linje.` : ".");
    const notes = [axisNote(table.percent, domain), ...absentNote(unitRows)];
    charts.push(finish(svg as unknown as SvgNode, alt, `Enheterna ${model.year}, streckad linje: ${referenceText}`, notes));
  }
  return charts;
}

/** "Saknas: Skarpnäck (..); skyddade: Östermalm (×)": the units a chart cannot show. */
function absentNote(rows: IndicatorTable["rows"]): string[] {
  const missing = rows.filter((r) => r.cells.at(-1)!.value === null && r.cells.at(-1)!.status !== "suppressed" && r.cells.at(-1)!.status !== "not-applicable");
  const suppressed = rows.filter((r) => r.cells.at(-1)!.status === "suppressed");
  const parts: string[] = [];
  const names = (list: typeof rows, symbol: string) => joinSv(sortSv(list.map((r) => r.name)).map((n) => `${n} (${symbol})`));
  if (missing.length > 0) parts.push(`saknas: ${names(missing, missing[0]!.cells.at(-1)!.text)}`);
  if (suppressed.length > 0) parts.push(`skyddade: ${names(suppressed, SUPPRESSED.symbol)}`);
  if (parts.length === 0) return [];
  const text = parts.join("; ");
  return [`${text.charAt(0).toLocaleUpperCase("sv-SE")}${text.slice(1)}.`];
}

/** The median of the units' values, which counts are compared with. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The part of a DOM element used here (the project compiles without the DOM library). */
interface SvgNode {
  setAttribute(name: string, value: string): void;
  insertBefore(node: unknown, before: unknown): unknown;
  firstChild: unknown;
  outerHTML: string;
  ownerDocument: { createElement(name: string): { textContent: string | null } };
}

function finish(svg: SvgNode, alt: string, caption: string, notes: string[]): Chart {
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", alt);
  const title = svg.ownerDocument.createElement("title");
  title.textContent = alt;
  svg.insertBefore(title, svg.firstChild);
  return { svg: svg.outerHTML, alt, caption, notes };
}
