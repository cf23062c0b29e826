/**
 * Combining units' facts into one figure, by the indicator's rule: a sum; a ratio of sums
 * (never a mean of percentages); a mean weighted by respondents. The same rule serves the
 * city total and a merged unit's earlier years.
 */
import { figureOf } from "../catalogue/figure.js";
import type { Indicator } from "../catalogue/schema.js";
import type { Fact } from "./facts.js";

export interface Combined {
  status: "ok" | "missing" | "not-applicable";
  value?: number;
  numerator?: number;
  denominator?: number;
  respondents?: number;
}

/**
 * Combines facts of one indicator, year and breakdown part. One missing fact makes the whole
 * missing: a merged unit needs all its parts, a comparison all its units, and the city's
 * figure is combined over the units it includes (aggregate.ts states which it lacks).
 */
export function combine(indicator: Indicator, facts: readonly Fact[]): Combined {
  const expected = facts.filter((f) => f.status !== "not-applicable").length;
  const ok = facts.filter((f) => f.status === "ok" && hasNumbers(indicator, f));
  if (facts.length > 0 && expected === 0) return { status: "not-applicable" };
  if (ok.length === 0 || ok.length < expected) return { status: "missing" };
  const sum = (pick: (f: Fact) => number | undefined) => ok.reduce((s, f) => s + (pick(f) ?? 0), 0);
  const base = { status: "ok" as const };
  switch (indicator.measure) {
    case "count":
      return { ...base, value: sum((f) => f.value as number) };
    case "ratio": {
      const numerator = sum((f) => f.numerator);
      const denominator = sum((f) => f.denominator);
      if (denominator === 0) return { status: "missing", numerator, denominator };
      return { ...base, numerator, denominator, value: (numerator / denominator) * 100 };
    }
    case "survey": {
      const respondents = sum((f) => f.respondents);
      if (respondents === 0) return { status: "missing", respondents };
      return { ...base, respondents, value: sum((f) => (f.value as number) * (f.respondents ?? 0)) / respondents };
    }
    case "status":
      return { status: "missing" };
  }
}

/** The plain mean of the units' figures, shown beside the city figure where the catalogue asks. */
export function unweightedMean(indicator: Indicator, facts: readonly Fact[]): number | undefined {
  let sum = 0;
  let count = 0;
  for (const f of facts) {
    if (f.status !== "ok" || !hasNumbers(indicator, f)) continue;
    const figure = figureOf(f, indicator);
    if (typeof figure !== "number") continue;
    sum += figure;
    count++;
  }
  return count > 0 ? sum / count : undefined;
}

export function hasNumbers(indicator: Indicator, f: Fact): boolean {
  switch (indicator.measure) {
    case "count":
      return typeof f.value === "number";
    case "ratio":
      return f.numerator !== undefined && f.denominator !== undefined;
    case "survey":
      return typeof f.value === "number" && f.respondents !== undefined;
    case "status":
      return false;
  }
}

/** The number that decides whether a group is too small to publish. */
export function groupSize(indicator: Indicator, f: { value?: unknown; denominator?: number; respondents?: number }): number | undefined {
  switch (indicator.measure) {
    case "count":
      return typeof f.value === "number" ? f.value : undefined;
    case "ratio":
      return f.denominator;
    case "survey":
      return f.respondents;
    case "status":
      return undefined;
  }
}
