
import type { InputField } from "../shared/vocabulary.js";
import { type Finding, finding } from "../model/findings.js";
import {
  ACTIVITY_COLUMN_KEYS,
  headerKey,
  INDICATOR_COLUMN_KEYS,
  SELF_ASSESSMENT_COLUMN_KEYS,
  type TemplateDefinition,
} from "../template/definition.js";
import { cleanFreeText, MAX_TEXT_LENGTH } from "../normalise/free-text.js";
import { a1, cellText, type SheetGrid, type WorkbookGrid } from "../workbook/grid.js";

import { type ActivityReading, type CellRef, type IndicatorRowReading, nameKey, type SelfAssessmentReading, type TabReading } from "./readings.js";

type Columns<K extends string> = Partial<Record<K, number>>;

/** Finds a row whose cells include all the given header keys, and maps every known header to its column. */
function headerColumns<K extends string>(
  sheet: SheetGrid,
  row: number,
  headers: Record<K, { header: string }>,
  keys: readonly K[],
): Columns<K> {
  const byText = new Map<string, number>();
  for (let c = 1; c <= sheet.columnCount; c++) {
    const text = cellText(sheet.cell(row, c));
    if (text && !byText.has(headerKey(text))) byText.set(headerKey(text), c);
  }
  const columns: Columns<K> = {};
  for (const key of keys) {
    const col = byText.get(headerKey(headers[key].header));
    if (col !== undefined) columns[key] = col;
  }
  return columns;
}

/** The header keys of a row's text cells. */
function rowKeys(sheet: SheetGrid, row: number): Set<string> {
  const keys = new Set<string>();
  for (let c = 1; c <= sheet.columnCount; c++) {
    const text = cellText(sheet.cell(row, c));
    // Header cells are short; long text (instructions, comments) is never a header.
    if (text && text.length <= 60) keys.add(headerKey(text));
  }
  return keys;
}

export function readTab(
  sheet: SheetGrid,
  file: string,
  def: TemplateDefinition,
  validReporters: Set<string>,
  unitsByName: Map<string, string>,
  findings: Finding[],
  timing: { saved: Date | undefined; readySeen: WorkbookGrid["readySeen"]; approvedTabs: WorkbookGrid["approvedTabs"]; tabLinks?: WorkbookGrid["tabLinks"] },
): TabReading | undefined {
  const at = { file, sheet: sheet.name };
  const ind = def.columns.indicators;
  const sa = def.columns.selfAssessment;
  const ac = def.columns.activities;
  const sectionTitles = new Set(
    [def.labels.indicatorsSection, def.labels.selfAssessmentSection, def.labels.activitiesSection, def.labels.cityActivitiesSection].map(headerKey),
  );

  // One pass to find where each section's header is and which rows end a section.
  let indicatorHeader: number | undefined;
  let selfHeader: number | undefined;
  let activityHeader: number | undefined;
  const boundaries: number[] = [];
  let reporter: string | undefined;
  const labelled = new Map<string, { row: number; col: number }>();
  const has = (keys: Set<string>, headers: string[]) => headers.every((h) => keys.has(headerKey(h)));
  for (let r = 1; r <= sheet.rowCount; r++) {
    const first = cellText(sheet.cell(r, 1));
    // Rows of values start with an indicator id; only other rows can be titles or headers.
    if (first && /^[a-z0-9]+(-[a-z0-9]+)+$/.test(first)) continue;
    if (first && sectionTitles.has(headerKey(first))) boundaries.push(r);
    const keys = rowKeys(sheet, r);
    if (indicatorHeader === undefined && has(keys, [ind.id.header, ind.breakdown.header])) {
      indicatorHeader = r;
      boundaries.push(r);
    } else if (selfHeader === undefined && has(keys, [sa.score.header])) {
      selfHeader = r;
      boundaries.push(r);
    } else if (activityHeader === undefined && has(keys, [ac.activity.header, ac.followUp.header])) {
      activityHeader = r;
      boundaries.push(r);
    }
    if (indicatorHeader === undefined) {
      // Above the indicators: labels with their value in the cell to the right.
      for (let c = 1; c < Math.min(sheet.columnCount, 12); c++) {
        const text = cellText(sheet.cell(r, c));
        if (!text || text.length > 60) continue;
        const key = headerKey(text);
        if (!labelled.has(key)) labelled.set(key, { row: r, col: c + 1 });
      }
    }
  }
  const unitIdAt = labelled.get(headerKey(def.labels.unitId));
  if (unitIdAt) reporter = cellText(sheet.cell(unitIdAt.row, unitIdAt.col));
  const readyAt = labelled.get(headerKey(def.labels.ready));
  if (reporter === undefined || !validReporters.has(reporter)) {
    reporter = unitsByName.get(nameKey(sheet.name));
  }
  if (reporter === undefined) {
    findings.push(
      finding(
        "TAB_UNKNOWN",
        at,
        `Fliken "${sheet.name}" hör inte till någon enhet i mallen och lästes inte.`,
        "Flytta uppgifterna till rätt enhets flik, eller ta bort fliken.",
      ),
    );
    return undefined;
  }
  if (indicatorHeader === undefined) {
    findings.push(
      finding(
        "TAB_NO_HEADER",
        { ...at, unit: reporter },
        `Fliken saknar rubrikraden för indikatorerna (med "${ind.id.header}" och "${ind.breakdown.header}").`,
        "Använd en ny mall, eller återställ rubrikraden.",
      ),
    );
    return undefined;
  }
  boundaries.sort((a, b) => a - b);
  const sectionEnd = (header: number) => (boundaries.find((b) => b > header) ?? sheet.rowCount + 1) - 1;

  const mergedRows = new Set<number>();
  for (const range of sheet.merges) {
    findings.push(
      finding(
        "MERGED_CELLS",
        { ...at, cell: range, unit: reporter },
        `Cellerna ${range} är sammanfogade, så deras värden kan inte läsas säkert.`,
        "Markera cellerna och välj Koppla ur (Dela celler), och fyll i varje cell för sig.",
      ),
    );
    for (const r of rowsOf(range)) mergedRows.add(r);
  }

  const cols = headerColumns(sheet, indicatorHeader, ind, INDICATOR_COLUMN_KEYS);
  for (const key of ["id", "unit", "breakdown"] as const) {
    if (cols[key] === undefined) {
      findings.push(
        finding(
          "COLUMN_MISSING",
          { ...at, cell: a1(indicatorHeader, 1), unit: reporter },
          `Kolumnen "${ind[key].header}" saknas i rubrikraden.`,
          "Återställ kolumnen med sin rubrik, eller använd en ny mall.",
        ),
      );
    }
  }
  const fieldColumns = new Set<InputField>();
  for (const key of ["value", "numerator", "denominator", "respondents"] as const) {
    if (cols[key] !== undefined) fieldColumns.add(key);
  }

  const text = (r: number, c: number | undefined) => (c === undefined ? undefined : cellText(sheet.cell(r, c)));
  /** Reporters' own words, cleaned as the reports may carry them; each change told at the cell. */
  const freeText = (r: number, c: number | undefined) => {
    const raw = text(r, c);
    if (raw === undefined) return undefined;
    const clean = cleanFreeText(raw);
    const where = { ...at, cell: a1(r, c!), unit: reporter };
    if (clean.controls) {
      findings.push(
        finding(
          "TEXT_CONTROL_CHARACTERS",
          where,
          "Texten innehöll osynliga tecken (till exempel för skrivriktning, eller mellanslag utan bredd) som kan få den att visas i annan ordning än den står eller dölja vad den säger. De har tagits bort i rapporterna.",
          "Skriv om texten i cellen, eller klistra in den som oformaterad text.",
        ),
      );
    }
    if (clean.shortened) {
      findings.push(
        finding(
          "TEXT_TOO_LONG",
          where,
          `Texten är ${[...raw].length.toLocaleString("sv-SE")} tecken lång. Rapporterna visar de första ${MAX_TEXT_LENGTH.toLocaleString("sv-SE")} tecknen och markerar att den är förkortad.`,
          `Korta texten till högst ${MAX_TEXT_LENGTH.toLocaleString("sv-SE")} tecken; längre underlag kan bifogas separat.`,
        ),
      );
    }
    return clean.text;
  };
  const ref = (r: number, c: number): CellRef => ({ address: a1(r, c), cell: sheet.cell(r, c) });

  const indicatorRows: IndicatorRowReading[] = [];
  for (let r = indicatorHeader + 1; r <= sectionEnd(indicatorHeader); r++) {
    if (mergedRows.has(r)) continue;
    const id = text(r, cols.id);
    const fields: Partial<Record<InputField, CellRef>> = {};
    for (const f of fieldColumns) fields[f] = ref(r, cols[f]!);
    if (!id) {
      const typed = Object.values(fields).some((f) => cellText(f.cell) !== undefined);
      if (typed) {
        findings.push(
          finding(
            "ROW_WITHOUT_ID",
            { ...at, cell: a1(r, cols.id ?? 1), unit: reporter },
            `Rad ${r} har värden men inget Id, så de kan inte kopplas till någon indikator.`,
            "Skriv tillbaka radens Id, eller flytta värdena till rätt rad.",
          ),
        );
      }
      continue;
    }
    indicatorRows.push({
      row: r,
      id,
      idAddress: a1(r, cols.id!),
      unitText: text(r, cols.unit),
      unitAddress: a1(r, cols.unit ?? cols.id!),
      breakdownText: text(r, cols.breakdown),
      breakdownAddress: a1(r, cols.breakdown ?? cols.id!),
      fields,
      comment: freeText(r, cols.comment),
    });
  }

  let selfAssessments: SelfAssessmentReading[] | null = null;
  if (selfHeader !== undefined) {
    const sc = headerColumns(sheet, selfHeader, sa, SELF_ASSESSMENT_COLUMN_KEYS);
    if (sc.focusArea !== undefined && sc.score !== undefined) {
      selfAssessments = [];
      for (let r = selfHeader + 1; r <= sectionEnd(selfHeader); r++) {
        const area = text(r, sc.focusArea);
        if (!area || mergedRows.has(r)) continue;
        selfAssessments.push({ row: r, focusAreaText: area, score: ref(r, sc.score), comment: freeText(r, sc.comment) });
      }
    }
  }

  let activities: ActivityReading[] | null = null;
  if (activityHeader !== undefined) {
    const acc = headerColumns(sheet, activityHeader, ac, ACTIVITY_COLUMN_KEYS);
    if (acc.focusArea !== undefined && acc.activity !== undefined && acc.status !== undefined) {
      activities = [];
      for (let r = activityHeader + 1; r <= sectionEnd(activityHeader); r++) {
        if (mergedRows.has(r)) continue;
        const activity = freeText(r, acc.activity);
        const anything = [acc.focusArea, acc.followUp, acc.status].some((c) => text(r, c) !== undefined);
        if (!activity && !anything) continue;
        activities.push({
          row: r,
          focusArea: ref(r, acc.focusArea),
          activity: activity ?? "",
          followUp: freeText(r, acc.followUp),
          followUpAddress: a1(r, acc.followUp ?? acc.activity),
          status: ref(r, acc.status),
          previousStatus: text(r, acc.previousStatus),
        });
      }
    }
  }

  const byAt = labelled.get(headerKey(def.labels.readyBy));
  const dateAt = labelled.get(headerKey(def.labels.readyDate));
  return {
    file,
    sheet: sheet.name,
    reporter,
    indicatorRows,
    fieldColumns,
    ready: readyAt && {
      mark: ref(readyAt.row, readyAt.col),
      by: byAt && freeText(byAt.row, byAt.col),
      byAddress: byAt && a1(byAt.row, byAt.col),
      date: dateAt && ref(dateAt.row, dateAt.col),
    },
    saved: timing.saved,
    readySeen: timing.readySeen ? (timing.readySeen.first.get(sheet.name) ?? timing.readySeen.readAt) : undefined,
    approved: timing.approvedTabs?.has(sheet.name),
    link: timing.tabLinks?.get(sheet.name),
    selfAssessments,
    activities,
  };
}

/** The row numbers a range such as "A12:C14" covers. */
function rowsOf(range: string): number[] {
  const m = /^[A-Z]+(\d+)(?::[A-Z]+(\d+))?$/i.exec(range);
  if (!m) return [];
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
