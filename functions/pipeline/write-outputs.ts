/**
 * Writes a run's files to the output folder: aggregates.json, findings.json and the Excel
 * report. Each file goes to a temporary name and is renamed into place, so a failed run
 * leaves the previous files as they were.
 */
import { join } from "node:path";
import { CITY } from "../catalogue/catalogue-for-year.js";
import { isShare } from "../catalogue/figure.js";
import type { AggregateRow } from "../aggregate/aggregate.js";
import type { Trend } from "../aggregate/trends.js";
import { buildReportModel, type ReportModel, roundShown } from "../report/report-model.js";
import { legend } from "../report/legend.js";
import { writeReportXlsx } from "../report/write-report-xlsx.js";
import { writeFileAtomic } from "../shared/write-file-atomic.js";
import { findingJson } from "../validate/findings.js";
import type { TemplateDefinition } from "../template/definition.js";
import type { AggregateYearResult } from "./aggregate-year.js";

export interface OutputFiles {
  aggregates: string;
  findings: string;
  excel: string;
}

export function outputNames(dir: string, year: number): OutputFiles {
  return {
    aggregates: join(dir, "aggregates.json"),
    findings: join(dir, "findings.json"),
    excel: join(dir, `uppfoljning-${year}.xlsx`),
  };
}

export function reportModelOf(result: AggregateYearResult, definition: TemplateDefinition, yc: ReportModel["yc"]): ReportModel {
  return buildReportModel({
    yc,
    aggregates: result.aggregates,
    reporting: result.reporting,
    selfAssessments: result.validation.selfAssessments,
    activities: result.validation.activities,
    definition,
    findings: result.validation.findings,
  });
}

export async function writeAggregateOutputs(
  dir: string,
  result: AggregateYearResult,
  model: ReportModel,
  definition: TemplateDefinition,
  now: Date,
): Promise<OutputFiles> {
  const files = outputNames(dir, result.aggregates.year);
  const shares = new Set(model.yc.catalogue.indicators.filter(isShare).map((i) => i.id));
  const aggregates = {
    year: result.aggregates.year,
    catalogueVersion: model.yc.catalogue.version,
    generatedAt: now.toISOString(),
    city: CITY.id,
    legend: legend(definition),
    rows: result.aggregates.rows.map((r) => publishedRow(r, shares)),
    trends: result.aggregates.trends.map(publishedTrend),
    reporting: [result.reporting],
  };
  const findings = result.validation.findings.map(findingJson);
  const excel = await writeReportXlsx({
    model,
    rows: result.aggregates.rows,
    observations: result.validation.observations,
    now,
  });
  await writeFileAtomic(files.aggregates, `${JSON.stringify(aggregates, null, 1)}\n`);
  await writeFileAtomic(files.findings, `${JSON.stringify({ findings }, null, 1)}\n`);
  await writeFileAtomic(files.excel, excel);
  return files;
}

/**
 * A row as it may leave the system: figures at the precision the reports show, and a
 * suppressed figure only as suppressed (not whether it was the small group itself).
 */
function publishedRow(row: AggregateRow, shares: ReadonlySet<string>): AggregateRow {
  const { suppression: _, ...rest } = row;
  return typeof rest.value === "number" ? { ...rest, value: roundShown(rest.value, shares.has(row.indicator)) } : rest;
}

function publishedTrend(t: Trend): Trend {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { ...t, value: round(t.value), previous: round(t.previous), change: round(t.change), slope: round(t.slope) };
}
