/**
 * Small groups are not published, and neither is anything from which they could be worked
 * out. Primary suppression hides a figure whose group (count, denominator or respondents) is
 * below the indicator's minimum. Secondary suppression then looks at every sum the tables
 * show – a unit's parts against its total, the units against the city, the units merged in
 * 2020 against the merged unit – and where exactly one figure of a sum is hidden, hides one
 * more (the smallest), so that it cannot be recovered by subtraction.
 *
 * That heuristic looks at one sum at a time. Sums can be combined, though: before 2020 the city
 * is the sum of Hägersten-Liljeholmen, Älvsjö and the rest, and the published Hägersten-Älvsjö
 * row is the sum of the first two, so together they can give away a third hidden figure. So
 * every round ends with an audit of all the sums at once, as a system of linear equations in
 * the hidden figures: a hidden figure is recoverable exactly when its unit vector lies in the
 * row space of that system (found by Gaussian elimination). Each recoverable figure gets one
 * more neighbour hidden, and the rounds go on until nothing hidden can be recovered.
 */

export interface SuppressibleCell {
  key: string;
  status: "ok" | "missing" | "suppressed" | "not-applicable";
  /** The group size; the smallest published cell is hidden first. */
  size: number | undefined;
  suppression?: "primary" | "secondary";
}

/** A published sum: `total` is the sum of `cells`. */
export interface SumGroup {
  total: string;
  cells: string[];
}

export function suppress(cells: Map<string, SuppressibleCell>, groups: readonly SumGroup[], minSize: number): void {
  for (const cell of cells.values()) {
    if (cell.status === "ok" && cell.size !== undefined && cell.size > 0 && cell.size < minSize) {
      cell.status = "suppressed";
      cell.suppression = "primary";
    }
  }
  if (![...cells.values()].some((c) => c.status === "suppressed")) return;
  for (;;) {
    hideSingles(cells, groups);
    const exposed = recoverable(cells, groups);
    if (exposed.length === 0) return;
    if (!hideNeighbour(cells, groups, exposed[0]!)) return; // nothing left to hide beside it
  }
}

/** The per-sum rule: no sum with exactly one hidden figure. */
function hideSingles(cells: Map<string, SuppressibleCell>, groups: readonly SumGroup[]): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const group of groups) {
      const members = membersOf(cells, group);
      const hidden = members.filter((c) => c.status === "suppressed");
      if (hidden.length !== 1) continue;
      if (hideOne(cells.get(group.total), members)) changed = true;
    }
  }
}

/** Hides one published member of a sum: a part rather than the total, the smallest first. */
function hideOne(total: SuppressibleCell | undefined, members: SuppressibleCell[]): boolean {
  const published = members.filter((c) => c.status === "ok");
  if (published.length === 0) return false;
  // Among the parts the smallest, preferring figures that are not zero (a zero reveals nobody).
  const parts = published.filter((c) => c !== total);
  const pool = parts.length > 0 ? parts : published;
  const next = [...pool].sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key))[0]!;
  next.status = "suppressed";
  next.suppression = "secondary";
  return true;
}

function hideNeighbour(cells: Map<string, SuppressibleCell>, groups: readonly SumGroup[], key: string): boolean {
  for (const group of groups) {
    if (group.total !== key && !group.cells.includes(key)) continue;
    if (hideOne(cells.get(group.total), membersOf(cells, group))) return true;
  }
  return false;
}

/**
 * The figures of a sum that hold a number (published or hidden). A sum with a missing figure
 * is no equation anyone can use, so it has no members.
 */
function membersOf(cells: Map<string, SuppressibleCell>, group: SumGroup): SuppressibleCell[] {
  const all = [group.total, ...group.cells].map((k) => cells.get(k));
  if (all.some((c) => c === undefined || c.status === "missing")) return [];
  return all.filter((c): c is SuppressibleCell => c!.status === "ok" || c!.status === "suppressed");
}

/**
 * The hidden figures that the published ones and the sums determine exactly. Each sum is an
 * equation `total − Σ parts = 0`; published figures are constants, hidden ones unknowns.
 */
export function recoverable(cells: Map<string, SuppressibleCell>, groups: readonly SumGroup[]): string[] {
  const hidden = [...cells.values()].filter((c) => c.status === "suppressed").map((c) => c.key);
  if (hidden.length === 0) return [];
  const column = new Map(hidden.map((k, i) => [k, i]));
  const rows: number[][] = [];
  for (const group of groups) {
    const members = membersOf(cells, group);
    if (members.length === 0) continue;
    const row = new Array<number>(hidden.length).fill(0);
    let any = false;
    for (const c of members) {
      const i = column.get(c.key);
      if (i === undefined) continue;
      row[i]! += c.key === group.total ? 1 : -1;
      any = true;
    }
    if (any) rows.push(row);
  }
  return determinedColumns(rows, hidden.length).map((i) => hidden[i]!);
}

/**
 * Reduced row echelon form; a column is determined when some reduced row has its only
 * non-zero entry there. The coefficients are small integers, so a tolerance suffices.
 */
export function determinedColumns(matrix: number[][], columns: number): number[] {
  const m = matrix.map((r) => [...r]);
  const eps = 1e-9;
  let pivotRow = 0;
  for (let c = 0; c < columns && pivotRow < m.length; c++) {
    let best = pivotRow;
    for (let r = pivotRow + 1; r < m.length; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[best]![c]!)) best = r;
    if (Math.abs(m[best]![c]!) < eps) continue;
    [m[pivotRow], m[best]] = [m[best]!, m[pivotRow]!];
    const p = m[pivotRow]!;
    const pv = p[c]!;
    for (let k = 0; k < columns; k++) p[k]! /= pv;
    for (let r = 0; r < m.length; r++) {
      if (r === pivotRow) continue;
      const f = m[r]![c]!;
      if (Math.abs(f) < eps) continue;
      for (let k = 0; k < columns; k++) m[r]![k]! -= f * p[k]!;
    }
    pivotRow++;
  }
  const determined: number[] = [];
  for (const row of m.slice(0, pivotRow)) {
    const nonZero = row.map((v, i) => [v, i] as const).filter(([v]) => Math.abs(v) > eps);
    if (nonZero.length === 1) determined.push(nonZero[0]![1]);
  }
  return determined.sort((a, b) => a - b);
}

function rank(c: SuppressibleCell): number {
  const size = c.size ?? Number.POSITIVE_INFINITY;
  return size === 0 ? Number.MAX_SAFE_INTEGER : size;
}
