/**
 * validate → admit → aggregate for one year, and the year's snapshot for the history store.
 * Used by `hp aggregate`, `hp run`, `hp approve` and the Cloud Functions alike; I/O comes in
 * through the source, the store and the clock. Nothing is written here: the snapshot is stored
 * together with the run's files when the run commits (write-outputs.ts), replacing the version
 * read here.
 *
 * Admission is decided here, once (aggregate/admission.ts): only admitted reporters' values
 * enter the figures, the local work the report counts and the snapshot. A not-admitted
 * reporter's values become ".." with the reporter's reason, in every output alike. A preview
 * keeps them as marked drafts instead, and is never stored.
 */
import { randomUUID } from "node:crypto";
import type { ReportingRate } from "../model/records.js";
import { type Aggregates, aggregate } from "../aggregate/aggregate.js";
import type { Fact } from "../aggregate/facts.js";
import { admission } from "../aggregate/admission.js";
import type { HistoryStore, Snapshot, StoredSnapshot } from "../history/store.js";
import { countErrors, sortFindings } from "../model/findings.js";
import { applyApprovals, reporterOf } from "./approvals.js";
import { type SourceValidation, validateSource } from "../validate/validate-source.js";
import type { CheckYearInput } from "./check-year.js";
import { importInputs, withImports, type YearImports, yearImports } from "../imports/apply-imports.js";
import type { Provenance } from "../report/provenance.js";

export interface AggregateYearInput extends CheckYearInput {
  /** Where the validated year is kept; omitted, nothing is stored. */
  store?: HistoryStore;
  /** The run's id, in its snapshot and the names of what it keeps; made up when not given. */
  runId?: string;
  /**
   * A preview for the project leader: the values of reporters not admitted are kept, marked as
   * drafts. Its result is never stored as the year's history nor delivered to report readers.
   */
  preview?: boolean;
}

export interface AggregateYearResult {
  validation: SourceValidation;
  aggregates: Aggregates;
  reporting: ReportingRate;
  snapshot: Snapshot;
  /** Made-up example data went in (example workbooks, or history marked as examples). */
  exampleData: boolean;
  /** A preview with drafts: never to be stored or delivered. */
  preview: boolean;
  /** The year's version in the store when the run began: what its snapshot replaces. */
  replaces: string | undefined;
  /** The year's imports, and the indicators they fill. */
  imports: YearImports;
  /** What the figures were made from: the run, its inputs, the imports, the history's years. */
  provenance: Provenance;
}

/** What a run read: the year's snapshot in force and the validated source. */
export interface ReadYear {
  previous: StoredSnapshot | undefined;
  validation: SourceValidation;
  imports: YearImports;
}

export async function readYear(input: AggregateYearInput): Promise<ReadYear> {
  const previous = await input.store?.current(input.yc.year);
  const imports = yearImports((await input.imports?.ofYear(input.yc.year)) ?? [], input.yc.year);
  const validation = await validateSource(input.source, {
    yc: input.yc,
    definition: input.definition,
    history: input.history,
    maxChange: input.maxChange,
    imported: new Set(imports.bySource.keys()),
  });
  return { previous, validation, imports };
}

export async function aggregateYear(input: AggregateYearInput): Promise<AggregateYearResult> {
  return decideYear(input, await readYear(input));
}

/**
 * The year's figures from what was read: approvals, admission, aggregates and the snapshot.
 * `approving`: a reporter approved in this step (hp approve), so admitted with its file's values.
 */
export function decideYear(input: AggregateYearInput, read: ReadYear, approving?: { unit: string; by: string }): AggregateYearResult {
  const { yc, history } = input;
  const preview = input.preview === true;
  const validation: SourceValidation = { ...read.validation };
  const year = applyApprovals(yc, input.definition, validation, read.previous?.snapshot, input.now, approving);
  // An approved unit is reported with its approved local work too.
  validation.findings = sortFindings([...validation.findings, ...year.findings]);
  const reporting = admission(yc, validation.submissions, { approved: year.approved, changes: year.changes });
  const byReporter = new Map(reporting.units.map((u) => [u.reporter, u]));
  const { imports } = read;
  const notAdmitted = (unit: string, indicator: string) => {
    // An imported value is admitted by its import, whoever would have typed it.
    if (imports.bySource.has(indicator)) return undefined;
    const reporter = byReporter.get(reporterOf(yc, { unit, indicator }));
    return reporter && !reporter.admitted ? reporter.reason : undefined;
  };
  // What was typed for an imported indicator is not used: not its values, nor a comment beside them.
  if (imports.bySource.size > 0) validation.observations = validation.observations.filter((o) => o.year !== yc.year || !imports.bySource.has(o.indicator));
  const current = withImports(year.facts, imports, yc.year).map((f) => admitted(f, notAdmitted(f.unit, f.indicator), preview));
  const localAdmitted = <T extends { unit: string }>(list: T[]) => list.filter((x) => byReporter.get(x.unit)?.admitted ?? true);
  const selfAssessments = localAdmitted(year.selfAssessments);
  const activities = localAdmitted(year.activities);
  validation.selfAssessments = preview ? year.selfAssessments : selfAssessments;
  validation.activities = preview ? year.activities : activities;
  const earlier: Fact[] = history.records.filter((r) => r.year < yc.year);
  const aggregates = aggregate(yc.catalogue, [...earlier, ...current], yc.year, { notAdmitted });
  const snapshot: Snapshot = {
    year: yc.year,
    createdAt: input.now.toISOString(),
    runId: input.runId ?? randomUUID(),
    catalogueVersion: yc.catalogue.version,
    inputs: [...validation.inputs, ...importInputs(imports)],
    // The year's values are the admitted ones: a draft never becomes history or next year's
    // "Förra året". A preview's snapshot is the same, and is never written all the same.
    records: current
      .filter((f) => notAdmitted(f.unit, f.indicator) === undefined)
      .map(({ invalid: _, mappedFrom: __, missingReason: ___, draft: ____, origin: _____, ...record }) => record),
    reporting,
    selfAssessments: selfAssessments.map(({ unit, focusArea, score, comment }) => ({ unit, focusArea, score, ...(comment ? { comment } : {}) })),
    activities,
    ...(year.events.length > 0 ? { approvals: year.events } : {}),
    ...(validation.exampleFiles.length > 0 ? { example: true } : {}),
    admittedOnly: true,
  };
  const exampleData = validation.exampleFiles.length > 0 || history.example;
  const provenance: Provenance = {
    createdAt: snapshot.createdAt,
    inputs: validation.inputs,
    imports: [...new Set(imports.bySource.values())].map((s) => ({ source: s.source, file: s.file, importedAt: s.importedAt, by: s.by, rowsRead: s.rowsRead, rowsUsed: s.rowsUsed })),
    // The earlier years only: the year itself is this run's, whatever the store held before.
    history: new Map([...history.origins].filter(([y]) => y < yc.year)),
  };
  return { validation, aggregates, reporting, snapshot, exampleData, preview, replaces: read.previous?.version, imports, provenance };
}

/** A fact as the year's figures use it: as given when admitted; else missing with why, or (a preview) a marked draft. */
function admitted(f: Fact, reason: ReturnType<typeof admission>["units"][number]["reason"], preview: boolean): Fact {
  if (reason === undefined) return f;
  if (preview) return f.invalid ? f : { ...f, draft: true };
  return {
    year: f.year,
    unit: f.unit,
    indicator: f.indicator,
    breakdown: f.breakdown,
    // Even "does not apply" is the reporter's claim, and it is not admitted: the unit stays expected.
    status: "missing",
    value: undefined,
    numerator: undefined,
    denominator: undefined,
    respondents: undefined,
    missingReason: reason,
    // Where the value that does not count stands, so that a reader can be told where to look.
    ...(f.origin ? { origin: f.origin } : {}),
  };
}

export const hasErrors = (result: AggregateYearResult) => countErrors(result.validation.findings) > 0;
