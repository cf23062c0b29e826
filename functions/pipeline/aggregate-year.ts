/**
 * validate → aggregate for one year, and the year's snapshot for the history store. Used by
 * `hp aggregate`, `hp run` and the Cloud Functions alike; I/O comes in through the source,
 * the store and the clock. Nothing is written here: the snapshot is stored together with the
 * run's files when the run commits (write-outputs.ts), replacing the version read here.
 */
import { randomUUID } from "node:crypto";
import type { ReportingRate } from "../model/records.js";
import { type Aggregates, aggregate } from "../aggregate/aggregate.js";
import { type Fact, factsFromObservations } from "../aggregate/facts.js";
import { reportingRate } from "../aggregate/reporting-rate.js";
import type { HistoryStore, Snapshot } from "../history/store.js";
import { countErrors, sortFindings } from "../model/findings.js";
import { applyApprovals } from "./approvals.js";
import { type SourceValidation, validateSource } from "../validate/validate-source.js";
import type { CheckYearInput } from "./check-year.js";

export interface AggregateYearInput extends CheckYearInput {
  /** Where the validated year is kept; omitted, nothing is stored. */
  store?: HistoryStore;
  /** The run's id, in its snapshot and the names of what it keeps; made up when not given. */
  runId?: string;
}

export interface AggregateYearResult {
  validation: SourceValidation;
  aggregates: Aggregates;
  reporting: ReportingRate;
  snapshot: Snapshot;
  /** Made-up example data went in (example workbooks, or history marked as examples). */
  exampleData: boolean;
  /** The year's version in the store when the run began: what its snapshot replaces. */
  replaces: string | undefined;
}

export async function aggregateYear(input: AggregateYearInput): Promise<AggregateYearResult> {
  const { yc, history } = input;
  const previous = await input.store?.current(yc.year);
  const replaces = previous?.version;
  const validation = await validateSource(input.source, {
    yc,
    definition: input.definition,
    history,
    maxChange: input.maxChange,
  });
  const year = applyApprovals(yc, input.definition, validation, factsFromObservations(validation.observations), previous?.snapshot, input.now);
  // An approved unit is reported with its approved local work too.
  validation.findings = sortFindings([...validation.findings, ...year.findings]);
  validation.selfAssessments = year.selfAssessments;
  validation.activities = year.activities;
  const current = year.facts;
  const earlier: Fact[] = history.records.filter((r) => r.year < yc.year);
  const aggregates = aggregate(yc.catalogue, [...earlier, ...current], yc.year);
  const reporting = reportingRate(yc, validation.submissions, year.approved);
  const snapshot: Snapshot = {
    year: yc.year,
    createdAt: input.now.toISOString(),
    runId: input.runId ?? randomUUID(),
    catalogueVersion: yc.catalogue.version,
    inputs: validation.inputs,
    records: current.map(({ invalid: _, mappedFrom: __, missingReason: ___, ...record }) => record),
    reporting,
    selfAssessments: year.selfAssessments.map(({ unit, focusArea, score, comment }) => ({ unit, focusArea, score, ...(comment ? { comment } : {}) })),
    activities: year.activities,
    ...(year.events.length > 0 ? { approvals: year.events } : {}),
    ...(validation.exampleFiles.length > 0 ? { example: true } : {}),
  };
  const exampleData = validation.exampleFiles.length > 0 || history.example;
  return { validation, aggregates, reporting, snapshot, exampleData, replaces };
}

export const hasErrors = (result: AggregateYearResult) => countErrors(result.validation.findings) > 0;
