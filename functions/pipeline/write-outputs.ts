/**
 * Writes a run's files into its output set: aggregates.json, findings.json and the Excel
 * report. The Excel report is published (report readers get it); the two JSON files are the
 * project leader's. And the run's commit: the year's snapshot and the set made current.
 */
import { CITY } from "../catalogue/catalogue-for-year.js";
import type { Trend } from "../aggregate/trends.js";
import { buildReportModel, type ReportModel } from "../report/report-model.js";
import { legend } from "../report/legend.js";
import { writeReportXlsx } from "../report/write-report-xlsx.js";
import { openDataCsv, openDataKolada } from "../report/open-data.js";
import type { HistoryStore } from "../history/store.js";
import type { OutputSet, ReportSink, SinkFile } from "../output/report-sink.js";
import { findingJson } from "../model/findings.js";
import type { TemplateDefinition } from "../template/definition.js";
import type { AggregateYearResult } from "./aggregate-year.js";

/** The names of a run's files in its set. */
export const outputNames = (year: number) => ({
  aggregates: "aggregates.json",
  findings: "findings.json",
  excel: `uppfoljning-${year}.xlsx`,
  openCsv: `oppna-data-${year}.csv`,
  openJson: `oppna-data-${year}.json`,
  board: `uppfoljning-${year}.pdf`,
  boardWord: `uppfoljning-${year}.docx`,
  unitPage: (unit: string) => `enheter/${year}-${unit}.pdf`,
});

export function reportModelOf(result: AggregateYearResult, definition: TemplateDefinition, yc: ReportModel["yc"]): ReportModel {
  return buildReportModel({
    yc,
    aggregates: result.aggregates,
    reporting: result.reporting,
    selfAssessments: result.validation.selfAssessments,
    activities: result.validation.activities,
    definition,
    findings: result.validation.findings,
    exampleData: result.exampleData,
    preview: result.preview,
    provenance: result.provenance,
  });
}

export async function writeAggregateOutputs(
  set: OutputSet,
  result: AggregateYearResult,
  model: ReportModel,
  definition: TemplateDefinition,
  now: Date,
): Promise<void> {
  const names = outputNames(result.aggregates.year);
  const aggregates = {
    year: result.aggregates.year,
    catalogueVersion: model.yc.catalogue.version,
    generatedAt: now.toISOString(),
    city: CITY.id,
    ...(result.preview ? { preview: true } : {}),
    admission: result.reporting.rule,
    // What the figures were made from; each row's trace points into it.
    inputs: result.provenance.inputs,
    imports: result.provenance.imports,
    legend: legend(definition, result.preview),
    // The figures as every report shows them: withheld and suppressed ones without a number.
    rows: model.figures,
    trends: result.aggregates.trends.map(publishedTrend),
    reporting: [result.reporting],
  };
  const findings = result.validation.findings.map(findingJson);
  const excel = await writeReportXlsx({
    model,
    observations: result.validation.observations,
    now,
  });
  await set.write(names.aggregates, `${JSON.stringify(aggregates, null, 1)}\n`, { published: false });
  await set.write(names.findings, `${JSON.stringify({ findings }, null, 1)}\n`, { published: false });
  await set.write(names.excel, excel, { published: true });
  // The same figures as open data: the CSV and Kolada's value shape.
  await set.write(names.openCsv, openDataCsv(model), { published: true });
  await set.write(names.openJson, `${JSON.stringify(openDataKolada(model), null, 1)}\n`, { published: true });
}

/**
 * A run's output set: `fill` writes the files into a new set, then the run is made current –
 * first the year's snapshot, in place of the version the run read (refused if another run
 * wrote the year meanwhile, and then nothing changes), then the whole set in one step. The
 * two steps follow each other at once, after everything was made, so a run that fails or is
 * killed while it works changes neither.
 */
export async function inOutputSet(
  sink: ReportSink,
  result: AggregateYearResult,
  units: readonly string[],
  store: HistoryStore | undefined,
  fill: (set: OutputSet) => Promise<void>,
): Promise<SinkFile[]> {
  const names = outputNames(result.snapshot.year);
  const all = [names.aggregates, names.findings, names.excel, names.openCsv, names.openJson, names.board, names.boardWord, ...units.map((u) => names.unitPage(u))];
  const opened = await sink.begin(previewSetName(result), result.snapshot.runId!, all);
  // A preview goes to the project leader alone: nothing in it is published, nothing stored.
  const set: OutputSet = result.preview ? { ...opened, write: (name, data) => opened.write(name, data, { published: false }) } : opened;
  try {
    await fill(set);
    if (store && !result.preview) await store.write(result.snapshot, result.replaces);
  } catch (error) {
    await set.discard();
    throw error;
  }
  return set.commit();
}

/** The set a run's files make current: the year's ("2025"), or its preview ("forhandsvisning-2025"). */
export function previewSetName(result: Pick<AggregateYearResult, "preview" | "snapshot">): string {
  return result.preview ? `forhandsvisning-${result.snapshot.year}` : String(result.snapshot.year);
}

function publishedTrend(t: Trend): Trend {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { ...t, value: round(t.value), previous: round(t.previous), change: round(t.change), slope: round(t.slope) };
}
