/**
 * The project leader's approvals, as a run applies them. Two sources of truth, by where the
 * year is reported:
 * - Files (the embedded default): the history. `hp approve` records an approval in the year's
 *   snapshot with the unit's values; from then on a run takes the approved unit's values from
 *   the snapshot, whatever its file says later, and tells when the file has changed. Files
 *   cannot be locked, so this is the lock. `hp reopen` records the reopening with a reason.
 * - Google Sheets: the spreadsheet. An approved unit's tab is protected, so its values are the
 *   approved ones; a run records each approval and reopening it sees in the snapshot.
 */
import { breakdownParts, type YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { type Fact, factsFromObservations } from "../aggregate/facts.js";
import { type ApprovalEvent, approvedUnits, type Snapshot } from "../history/store.js";
import { type Finding, finding } from "../model/findings.js";
import type { Activity, ApprovedChange, SelfAssessment, ValidationResult } from "../model/records.js";
import { formatNumber } from "../shared/format-sv.js";
import type { TemplateDefinition } from "../template/definition.js";
import { CENTRAL, reporterName } from "../template/layout.js";

/** Who gives a value: central-reported indicators come from the central tab, the rest from the unit's own. */
export function reporterOf(yc: YearCatalogue, value: { unit: string; indicator: string }): string {
  const indicator = yc.catalogue.indicators.find((i) => i.id === value.indicator);
  return indicator?.reportedBy === "central" ? CENTRAL : value.unit;
}

export interface ApprovedYear {
  facts: Fact[];
  selfAssessments: SelfAssessment[];
  activities: Activity[];
  approved: Set<string>;
  /** Approved reporters whose file now says something else than what was approved. */
  changes: Map<string, ApprovedChange[]>;
  events: ApprovalEvent[];
  findings: Finding[];
}

/** A value as a person reads it, to tell what changed since approval. */
function shown(f: Fact | undefined): string {
  if (!f) return "tom";
  if (f.status === "not-applicable") return "–";
  if (f.status !== "ok") return "..";
  if (typeof f.value === "string") return f.value;
  if (typeof f.value === "number") return formatNumber(f.value, 2);
  const parts = [f.numerator, f.denominator, f.respondents].filter((n) => n !== undefined);
  return parts.map((n) => formatNumber(n!, 2)).join(" / ") || "..";
}

const fields = (f: Fact) => JSON.stringify([f.status, f.value ?? null, f.numerator ?? null, f.denominator ?? null, f.respondents ?? null]);
const valueKey = (f: { indicator: string; unit: string; breakdown: string }) => `${f.indicator}|${f.unit}|${f.breakdown}`;

/** The values that differ between the approved snapshot and the file as it is now. */
export function changesSinceApproval(yc: YearCatalogue, approved: readonly Fact[], inFile: readonly Fact[]): ApprovedChange[] {
  const before = new Map(approved.map((f) => [valueKey(f), f]));
  const now = new Map(inFile.map((f) => [valueKey(f), f]));
  const changes: ApprovedChange[] = [];
  for (const key of new Set([...before.keys(), ...now.keys()])) {
    const a = before.get(key);
    const b = now.get(key);
    if (a && b && !b.invalid && fields(a) === fields(b)) continue;
    if (!a && b && b.status === "missing" && !b.invalid) continue;
    const any = (a ?? b)!;
    const indicator = yc.catalogue.indicators.find((i) => i.id === any.indicator);
    const part = indicator ? breakdownParts(yc.catalogue, indicator.breakdown).find((p) => p.key === any.breakdown) : undefined;
    changes.push({
      indicator: any.indicator,
      breakdown: any.breakdown,
      label: `${indicator?.shortTitle ?? any.indicator}${part && !part.isTotal ? `, ${part.label}` : ""}`,
      approved: shown(a),
      inFile: b?.invalid ? "fel" : shown(b),
    });
  }
  return changes;
}

/**
 * `approving`: a reporter the project leader approves in this run (hp approve): its values are
 * the file's as validated now, and the approval is recorded.
 */
export function applyApprovals(
  yc: YearCatalogue,
  definition: TemplateDefinition,
  validation: ValidationResult,
  previous: Snapshot | undefined,
  now: Date,
  approving?: { unit: string; by: string },
): ApprovedYear {
  const facts = factsFromObservations(validation.observations);
  const events = [...(previous?.approvals ?? [])];
  const findings: Finding[] = [];
  const changes = new Map<string, ApprovedChange[]>();
  const kept = approvedUnits(events);
  const keeps = validation.submissions.some((s) => s.approved !== undefined);
  if (keeps) {
    // The spreadsheet's locks are the truth; the snapshot records what changed.
    const locked = new Set(validation.submissions.filter((s) => s.approved).map((s) => s.reporter));
    for (const unit of locked) if (!kept.has(unit)) events.push({ unit, action: "godkänd", by: "projektledaren i kalkylarket", at: now.toISOString() });
    for (const unit of kept) {
      if (!locked.has(unit)) events.push({ unit, action: "öppnad igen", by: "projektledaren i kalkylarket", at: now.toISOString() });
    }
    return { facts, selfAssessments: validation.selfAssessments, activities: validation.activities, approved: locked, changes, events, findings };
  }
  // Values are frozen only for units approved in an earlier run, whose values the snapshot holds.
  const frozenUnits = previous ? kept : new Set<string>();
  if (approving) {
    events.push({ unit: approving.unit, action: "godkänd", by: approving.by, at: now.toISOString() });
    frozenUnits.delete(approving.unit);
  }
  const approved = approvedUnits(events);
  if (frozenUnits.size === 0 || !previous) {
    return { facts, selfAssessments: validation.selfAssessments, activities: validation.activities, approved, changes, events, findings };
  }
  // The approved values, each traced to its approval (when and by whom).
  const approvals = new Map(events.filter((e) => e.action === "godkänd").map((e) => [e.unit, e]));
  const frozen: Fact[] = previous.records
    .filter((r) => frozenUnits.has(reporterOf(yc, r)))
    .map((r) => {
      const event = approvals.get(reporterOf(yc, r));
      return event ? { ...r, origin: { kind: "approved", at: event.at, by: event.by } } : r;
    });
  for (const unit of frozenUnits) {
    const was = frozen.filter((r) => reporterOf(yc, r) === unit);
    const inFile = facts.filter((f) => reporterOf(yc, f) === unit);
    const sent = validation.submissions.find((s) => s.reporter === unit);
    const differ = sent ? changesSinceApproval(yc, was, inFile) : [];
    if (differ.length === 0) continue;
    changes.set(unit, differ);
    const listed = differ
      .slice(0, 5)
      .map((c) => `${c.label}: godkänt ${c.approved}, i filen ${c.inFile}`)
      .join("; ");
    const more = differ.length > 5 ? ` och ${differ.length - 5} till` : "";
    findings.push(
      finding(
        "APPROVED_CHANGED",
        { file: sent!.file, sheet: sent!.sheet, unit },
        `${reporterName(yc, definition, unit)} är godkänd, men filen har ändrats sedan dess (${differ.length === 1 ? "ett värde" : `${differ.length} värden`}: ${listed}${more}). Rapporterna visar de godkända värdena, inte filens.`,
        `Ska ändringarna gälla: be projektledaren öppna enheten igen (hp reopen --year ${yc.year} --unit ${unit} --reason …) och godkänna den på nytt.`,
      ),
    );
  }
  const stored = (list: { unit: string }[] | undefined, from: { unit: string }[]) => [
    ...from.filter((x) => !frozenUnits.has(x.unit)),
    ...(list ?? []).filter((x) => frozenUnits.has(x.unit)),
  ];
  return {
    facts: [...facts.filter((f) => !frozenUnits.has(reporterOf(yc, f))), ...frozen],
    selfAssessments: stored(previous.selfAssessments, validation.selfAssessments) as SelfAssessment[],
    activities: stored(previous.activities, validation.activities) as Activity[],
    approved,
    changes,
    events,
    findings,
  };
}
