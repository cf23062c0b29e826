/**
 * The suppression attacker, written independently of the project's audit: it collects every
 * equation a reader can form from published figures (parts = total, units = city, merged units
 * = their successor, and each like-for-like comparison's sum), and asks by rank whether a
 * hidden figure is determined. It reads only which figures are shown and which are hidden, so
 * it runs on aggregate rows and on figures read back from a published file alike.
 */
import type { Trend } from "../../functions/aggregate/trends.js";

/** A figure as the attacker sees it: where it stands, and whether it is shown or hidden. */
export interface Figure {
  unit: string;
  year: number;
  breakdown: string;
  status: string;
  aggregation?: string | undefined;
  mappedFrom?: string[] | undefined;
}

const published = (r: Figure) => r.status === "ok" || r.status === "partial";

/** Every hidden figure a reader could work out exactly; empty when suppression holds. */
export function recoveredBy(rows: readonly Figure[], trends: readonly Trend[] = [], field: "value" | "respondents" = "value"): string[] {
  const own = rows.filter((r) => r.aggregation !== "unweighted-mean");
  const key = (r: { unit: string; year: number; breakdown: string }) => `${r.unit}|${r.year}|${r.breakdown}`;
  const byKey = new Map(own.map((r) => [key(r), r]));
  const hidden = own.filter((r) => r.status === "suppressed").map(key);
  if (hidden.length === 0) return [];
  const column = new Map(hidden.map((k, i) => [k, i]));
  const equations: number[][] = [];
  /** total − Σ parts = known; usable only when every figure in it is published or hidden. */
  const equation = (total: string | null, parts: string[]) => {
    const all = [...(total ? [total] : []), ...parts];
    if (!all.every((k) => byKey.has(k) && (published(byKey.get(k)!) || byKey.get(k)!.status === "suppressed"))) return;
    const row = new Array<number>(hidden.length).fill(0);
    for (const k of all) if (column.has(k)) row[column.get(k)!]! += k === total ? 1 : -1;
    if (row.some((v) => v !== 0)) equations.push(row);
  };
  for (const r of own) {
    if (r.breakdown === "T") equation(key(r), ["K", "M"].map((b) => key({ ...r, breakdown: b })));
    if (r.unit === "stockholm") {
      const included = own.filter((u) => u.unit !== "stockholm" && u.year === r.year && u.breakdown === r.breakdown && !u.mappedFrom && (published(u) || u.status === "suppressed"));
      equation(key(r), included.map(key));
    }
    if (r.mappedFrom) equation(key(r), r.mappedFrom.map((u) => key({ ...r, unit: u })));
  }
  // A like-for-like comparison publishes the sum over its units in each year it shows.
  const city = trends.find((t) => t.unit === "stockholm");
  if (city && city.kind !== "none" && city.value !== null && field === "value") {
    for (const year of [city.year - 1, city.year]) {
      const parts = city.units.map((u) => key({ unit: u, year, breakdown: "T" }));
      const row = new Array<number>(hidden.length).fill(0);
      for (const k of parts) if (column.has(k)) row[column.get(k)!]! -= 1;
      if (row.some((v) => v !== 0)) equations.push(row);
    }
  }
  const base = rank(equations);
  return hidden.filter((_, i) => {
    const unit = new Array<number>(hidden.length).fill(0);
    unit[i] = 1;
    return rank([...equations, unit]) === base;
  });
}

export function rank(matrix: number[][]): number {
  const m = matrix.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      for (let j = c; j < cols; j++) m[i]![j]! -= f * m[r]![j]!;
    }
    r++;
  }
  return r;
}

