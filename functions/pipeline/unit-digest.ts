/**
 * What a run saw of each unit, small enough to keep with the run in the run log: the files its
 * tabs came from (by SHA-256), its values (one hash) and its findings (a short hash each). The
 * next look compares against it: a new or changed file, changed values, findings fixed or new
 * "sedan förra körningen".
 */
import { createHash } from "node:crypto";
import type { Finding } from "../model/findings.js";
import type { Observation, Submission } from "../model/records.js";
import type { UnitDigest } from "../history/run-log.js";

const short = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Each reporter's digest, from what a run read and found. */
export function unitDigests(validation: {
  submissions: readonly Submission[];
  observations: readonly Observation[];
  findings: readonly Finding[];
  inputs: readonly { file: string; sha256: string }[];
}): Record<string, UnitDigest> {
  const sha = new Map(validation.inputs.map((i) => [i.file, i.sha256]));
  const digests: Record<string, UnitDigest> = {};
  const reporters = new Set(validation.submissions.map((s) => s.reporter));
  for (const reporter of reporters) {
    const own = validation.submissions.filter((s) => s.reporter === reporter);
    const tabs = new Set(own.map((s) => `${s.file}|${s.sheet}`));
    const mine = <T extends { file?: string | null; sheet?: string | null }>(x: T) => tabs.has(`${x.file}|${x.sheet}`);
    const values = validation.observations
      .filter((o) => mine(o.source))
      .map((o) => [o.indicator, o.unit, o.breakdown, o.value ?? "", o.numerator ?? "", o.denominator ?? "", o.respondents ?? "", o.comment ?? ""].join("\u001f"))
      .sort();
    digests[reporter] = {
      files: [...new Set(own.map((s) => sha.get(s.file) ?? s.file))].sort(),
      values: short(values.join("\u001e")),
      findings: [...new Set(validation.findings.filter((f) => mine(f)).map((f) => short(`${f.code}|${f.sheet}|${f.cell}|${f.message}`)))].sort(),
    };
  }
  return digests;
}

/** "ny fil, värden ändrade, 2 fynd rättade, 1 nytt" since the digest before; "oförändrad"; undefined with nothing to compare. */
export function sinceLastRun(before: UnitDigest | undefined, now: UnitDigest | undefined): string | undefined {
  if (!before || !now) return undefined;
  const parts: string[] = [];
  if (before.files.join() !== now.files.join()) parts.push(before.files.length === 0 ? "ny fil" : "ny eller ändrad fil");
  if (before.values !== now.values) parts.push("värden ändrade");
  const was = new Set(before.findings);
  const is = new Set(now.findings);
  const fixed = before.findings.filter((f) => !is.has(f)).length;
  const added = now.findings.filter((f) => !was.has(f)).length;
  if (fixed > 0) parts.push(`${fixed} ${fixed === 1 ? "fynd rättat" : "fynd rättade"}`);
  if (added > 0) parts.push(`${added} ${added === 1 ? "nytt fynd" : "nya fynd"}`);
  return parts.length === 0 ? "oförändrad" : parts.join(", ");
}
