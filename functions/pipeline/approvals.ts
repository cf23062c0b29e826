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
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import type { Fact } from "../aggregate/facts.js";
import { type ApprovalEvent, approvedUnits, type Snapshot } from "../history/store.js";
import { type Finding, finding } from "../model/findings.js";
import type { Activity, SelfAssessment, ValidationResult } from "../model/records.js";
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
  events: ApprovalEvent[];
  findings: Finding[];
}

const comparable = (f: Fact) =>
  JSON.stringify([f.unit, f.indicator, f.breakdown, f.status, f.value ?? null, f.numerator ?? null, f.denominator ?? null, f.respondents ?? null]);

export function applyApprovals(
  yc: YearCatalogue,
  definition: TemplateDefinition,
  validation: ValidationResult,
  facts: Fact[],
  previous: Snapshot | undefined,
  now: Date,
): ApprovedYear {
  const events = [...(previous?.approvals ?? [])];
  const findings: Finding[] = [];
  const kept = approvedUnits(events);
  const keeps = validation.submissions.some((s) => s.approved !== undefined);
  if (keeps) {
    // The spreadsheet's locks are the truth; the snapshot records what changed.
    const locked = new Set(validation.submissions.filter((s) => s.approved).map((s) => s.reporter));
    for (const unit of locked) if (!kept.has(unit)) events.push({ unit, action: "godkänd", by: "projektledaren i kalkylarket", at: now.toISOString() });
    for (const unit of kept) {
      if (!locked.has(unit)) events.push({ unit, action: "öppnad igen", by: "projektledaren i kalkylarket", at: now.toISOString() });
    }
    return { facts, selfAssessments: validation.selfAssessments, activities: validation.activities, approved: locked, events, findings };
  }
  if (kept.size === 0 || !previous) {
    return { facts, selfAssessments: validation.selfAssessments, activities: validation.activities, approved: kept, events, findings };
  }
  const frozen = previous.records.filter((r) => kept.has(reporterOf(yc, r)));
  for (const unit of kept) {
    const was = new Set(frozen.filter((r) => reporterOf(yc, r) === unit).map(comparable));
    const inFile = facts.filter((f) => reporterOf(yc, f) === unit);
    const sent = validation.submissions.find((s) => s.reporter === unit);
    if (sent && (inFile.length !== was.size || inFile.some((f) => !was.has(comparable(f))))) {
      findings.push(
        finding(
          "APPROVED_CHANGED",
          { file: sent.file, sheet: sent.sheet, unit },
          `${reporterName(yc, definition, unit)} är godkänd, men filen har ändrats sedan dess. Ändringarna används inte; rapporterna visar de godkända värdena.`,
          `Ska ändringarna gälla: be projektledaren öppna enheten igen (hp reopen --year ${yc.year} --unit ${unit} --reason …).`,
        ),
      );
    }
  }
  const stored = (list: { unit: string }[] | undefined, from: { unit: string }[]) => [
    ...from.filter((x) => !kept.has(x.unit)),
    ...(list ?? []).filter((x) => kept.has(x.unit)),
  ];
  return {
    facts: [...facts.filter((f) => !kept.has(reporterOf(yc, f))), ...frozen],
    selfAssessments: stored(previous.selfAssessments, validation.selfAssessments) as SelfAssessment[],
    activities: stored(previous.activities, validation.activities) as Activity[],
    approved: kept,
    events,
    findings,
  };
}
