/**
 * Small groups are not published, and neither is anything from which they could be worked
 * out. Primary suppression hides a figure whose group (count, denominator or respondents) is
 * below the indicator's minimum. Secondary suppression then looks at every sum the tables
 * show – a unit's women and men against its total, the units against the city, the units
 * merged in 2020 against the merged unit – and where exactly one figure of a sum is hidden,
 * hides one more (the smallest), so that it cannot be recovered by subtraction. This repeats
 * until no sum has a single hidden figure.
 *
 * This is the usual heuristic, not an optimal solution: with many overlapping sums a
 * determined reader could in principle combine several equations. The tables here have two
 * levels (parts within a unit, units within the city), where it holds.
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
  let changed = true;
  while (changed) {
    changed = false;
    for (const group of groups) {
      const members = [group.total, ...group.cells]
        .map((k) => cells.get(k))
        .filter((c): c is SuppressibleCell => c !== undefined && (c.status === "ok" || c.status === "suppressed"));
      const hidden = members.filter((c) => c.status === "suppressed");
      if (hidden.length !== 1) continue;
      const published = members.filter((c) => c.status === "ok");
      if (published.length === 0) continue;
      const total = cells.get(group.total);
      // Hide a part rather than the total when a part is available; among them the smallest,
      // preferring figures that are not zero (a zero reveals nobody).
      const candidates = published.filter((c) => c !== total);
      const pool = candidates.length > 0 ? candidates : published;
      const next = [...pool].sort((a, b) => rank(a) - rank(b))[0]!;
      next.status = "suppressed";
      next.suppression = "secondary";
      changed = true;
    }
  }
}

function rank(c: SuppressibleCell): number {
  const size = c.size ?? Number.POSITIVE_INFINITY;
  return size === 0 ? Number.MAX_SAFE_INTEGER : size;
}
