/**
 * The catalogue schema: the single source of truth for plans, focus areas, indicators and
 * reporting units. Types are inferred from it; the template, the validator, the aggregation
 * and the report headings are all derived from data that passed it.
 */
import { ADMISSION_RULES, type AdmissionRule } from "../model/records.js";
import { z } from "../shared/zod.js";
import {
  AGGREGATIONS,
  BREAKDOWNS,
  DIRECTIONS,
  LEVELS,
  MEASURES,
  REPORTERS,
  UNIT_KINDS,
} from "../shared/vocabulary.js";

const year = z.int().min(1900).max(2100);
const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "ska bestå av små bokstäver a–z, siffror och bindestreck");
const text = z.string().trim().min(1);

export const YearRangeSchema = z
  .strictObject({ from: year, to: year.nullable() })
  .refine((r) => r.to === null || r.to >= r.from, {
    message: "slutåret (to) får inte vara före startåret (from)",
  });
export type YearRange = z.infer<typeof YearRangeSchema>;

export const FocusAreaSchema = z.strictObject({
  id,
  number: z.int().min(0).max(20),
  title: text,
  shortTitle: text,
  desiredState: text,
  localFocus: z.array(text),
  cityActivities: z.array(text),
});
export type FocusArea = z.infer<typeof FocusAreaSchema>;

export const PlanSchema = z.strictObject({
  id,
  title: text,
  shortTitle: text,
  years: YearRangeSchema,
  focusAreas: z.array(FocusAreaSchema).min(1),
});
export type Plan = z.infer<typeof PlanSchema>;

export const PlansFileSchema = z.strictObject({ plans: z.array(PlanSchema).min(1) });

export const UnitSchema = z.strictObject({
  id,
  name: text,
  kind: z.enum(UNIT_KINDS),
  /** The board the unit's page goes to, e.g. "Skarpnäcks stadsdelsnämnd". */
  board: text.optional(),
  years: YearRangeSchema,
  mergedInto: z.strictObject({ unit: id, year }).optional(),
  /** Other spellings the systems' exports use for the unit ("Rinkeby-Kista sdf"), for imports. */
  aliases: z.array(text).optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

const NamedSchema = z.strictObject({ id, name: text, aliases: z.array(text).optional() });
export type Named = z.infer<typeof NamedSchema>;

export const UnitsFileSchema = z.strictObject({
  units: z.array(UnitSchema).min(1),
  activityAreas: z.array(NamedSchema).min(1),
  roles: z.array(NamedSchema).min(1),
});

export const StatusItemSchema = z.strictObject({ id, label: text, years: YearRangeSchema });
export type StatusItem = z.infer<typeof StatusItemSchema>;

export const IndicatorSchema = z
  .strictObject({
    id,
    plan: id,
    focusArea: id,
    title: text,
    shortTitle: text,
    source: text,
    reportedBy: z.enum(REPORTERS),
    level: z.enum(LEVELS),
    measure: z.enum(MEASURES),
    numeratorLabel: text.optional(),
    denominatorLabel: text.optional(),
    statuses: z.array(text).min(2).optional(),
    items: z.array(StatusItemSchema).min(1).optional(),
    aggregation: z.enum(AGGREGATIONS),
    showUnweightedMean: z.boolean(),
    direction: z.enum(DIRECTIONS),
    directionNote: text.optional(),
    range: z.strictObject({ min: z.number(), max: z.number() }).optional(),
    breakdown: z.enum(BREAKDOWNS),
    years: YearRangeSchema,
    minGroupSize: z.int().min(1).nullable(),
  })
  .superRefine((ind, ctx) => {
    const need = (ok: boolean, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: "custom", path: [path], message });
    };
    const expected = { count: "sum", ratio: "ratio-of-sums", survey: "weighted-mean", status: "none" };
    need(
      ind.aggregation === expected[ind.measure],
      "aggregation",
      `måttet ${ind.measure} sammanställs med ${expected[ind.measure]}, inte ${ind.aggregation}`,
    );
    if (ind.measure === "ratio") {
      need(!!ind.numeratorLabel, "numeratorLabel", "en andel behöver numeratorLabel (täljarens text)");
      need(!!ind.denominatorLabel, "denominatorLabel", "en andel behöver denominatorLabel (nämnarens text)");
    }
    if (ind.measure === "status") {
      need(!!ind.statuses, "statuses", "en statuslista behöver statuses");
      need(!!ind.items, "items", "en statuslista behöver items (aktiviteterna)");
      need(ind.breakdown === "none", "breakdown", "en statuslista kan inte delas upp");
    } else {
      need(!!ind.range, "range", "ett tal behöver range (tillåtet intervall)");
      need(!ind.items && !ind.statuses, "items", "items och statuses hör bara till måttet status");
    }
    if (ind.range) need(ind.range.min <= ind.range.max, "range", "range.min är större än range.max");
    if (ind.measure === "survey" || ind.measure === "ratio") {
      need(
        !!ind.range && ind.range.min >= 0 && ind.range.max <= 100,
        "range",
        "en procentsats ligger inom 0–100",
      );
    }
  });
export type Indicator = z.infer<typeof IndicatorSchema>;

export const IndicatorsFileSchema = z.strictObject({
  /** Anchors for YAML merge keys; not read. */
  defaults: z.unknown().optional(),
  indicators: z.array(IndicatorSchema).min(1),
});

/** Who signs the board paper: a name, a title and the administration, as under the paper's text. */
export const SignatureSchema = z.strictObject({ name: text, title: text, administration: text });
export type Signature = z.infer<typeof SignatureSchema>;

export const ReportingYearSchema = z.strictObject({
  year,
  deadline: z.iso.date(),
  dnr: text.optional(),
  /** Handläggare in the paper's head: a name and, when given, a phone number. */
  officer: z.strictObject({ name: text, phone: text.optional() }).optional(),
  signatures: z.array(SignatureSchema).optional(),
  /** This year's admission rule, where it differs from the catalogue's. */
  admission: z.enum(ADMISSION_RULES).optional(),
});
export type ReportingYear = z.infer<typeof ReportingYearSchema>;

export const ReportSettingsSchema = z.strictObject({
  administrations: z.array(text).min(1),
  boards: z.array(text).min(1),
});
export type ReportSettings = z.infer<typeof ReportSettingsSchema>;

/** What a city figure must cover before it is shown plainly or compared between years. */
export const PARTIAL_SUM_RULES = ["withhold", "mark"] as const;
export type PartialSumRule = (typeof PARTIAL_SUM_RULES)[number];
export const CoverageSettingsSchema = z.strictObject({
  /**
   * A city sum that lacks an expected unit is a different quantity from a complete one:
   * "withhold" shows ".." with the units it lacks; "mark" shows the sum marked as partial.
   */
  partialSums: z.enum(PARTIAL_SUM_RULES),
  /** Below this share of the expected units no better/worse claim is made for the city. */
  minShareForComparison: z.number().min(0).max(1),
});
export type CoverageSettings = z.infer<typeof CoverageSettingsSchema>;

/** When a change is a change: the thresholds behind "fel håll", "trend" and "stor förändring". */
export const ComparisonRulesSchema = z.strictObject({
  /** Years a trend looks back over, the reporting year included. */
  trendYears: z.int().min(2).max(20),
  /** Fewer years than this give a change from last year, not a trend. */
  minTrendYears: z.int().min(2).max(20),
  /** A count's tolerance: this share of its mean over the years … */
  countTolerance: z.number().min(0).max(1),
  /** … but at least this many. */
  minCountTolerance: z.number().min(0),
  /** A share's tolerance, in percentage points. */
  shareTolerance: z.number().min(0),
  /** Validation: a change smaller than this (units, or percentage points) is never called large. */
  minAbsoluteChange: z.number().min(0),
});
export type ComparisonRules = z.infer<typeof ComparisonRulesSchema>;

/**
 * When the scheduled runs work on a year: from the day it is opened (hp year open) until this
 * many days after its deadline, long enough for late files, approvals and the board report.
 */
export const ReportingWindowSchema = z.strictObject({
  daysAfterDeadline: z.int().min(0).max(366),
});
export type ReportingWindow = z.infer<typeof ReportingWindowSchema>;

/**
 * How much work one workbook may be: a filled tab has about a hundred rows, so these are far
 * above any real one and keep a file built to exhaust memory from being loaded at all.
 */
export const WorkbookLimitsSchema = z.strictObject({
  /** Most rows on one tab. */
  rowsPerTab: z.int().min(100).max(1_000_000),
  /** Most cells on one tab. */
  cellsPerTab: z.int().min(1_000).max(50_000_000),
  /** Most findings listed for one tab; the rest are counted in one more finding. */
  findingsPerTab: z.int().min(10).max(100_000),
});
export type WorkbookLimits = z.infer<typeof WorkbookLimitsSchema>;
export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = { rowsPerTab: 5_000, cellsPerTab: 100_000, findingsPerTab: 200 };

/**
 * When units that do not count yet are reminded by e-mail: these many days before the
 * deadline, on the day, and every so many days after it (0: never after). A unit is never
 * reminded twice on one day, whatever sends it.
 */
export const ReminderRulesSchema = z.strictObject({
  daysBefore: z.array(z.int().min(1).max(180)).max(10),
  onDeadline: z.boolean(),
  everyDaysAfter: z.int().min(0).max(90),
});
export type ReminderRules = z.infer<typeof ReminderRulesSchema>;
export const DEFAULT_REMINDER_RULES: ReminderRules = { daysBefore: [14, 3], onDeadline: true, everyDaysAfter: 7 };

export const YearsFileSchema = z.strictObject({
  reportingYears: z.array(ReportingYearSchema).min(1),
  /**
   * What admits a unit's values to the year's figures: handed in (marked ready, no errors),
   * or only once the project leader has approved them.
   */
  admission: z.enum(ADMISSION_RULES).default("submitted"),
  reportingWindow: ReportingWindowSchema.default({ daysAfterDeadline: 60 }),
  workbookLimits: WorkbookLimitsSchema.default(DEFAULT_WORKBOOK_LIMITS),
  reminders: ReminderRulesSchema.default(DEFAULT_REMINDER_RULES),
  yearOverYearWarningShare: z.number().positive(),
  coverage: CoverageSettingsSchema,
  comparison: ComparisonRulesSchema,
  report: ReportSettingsSchema,
});

/** The whole catalogue, after each file passed its schema and cross-references were checked. */
/** The import sources (imports.yaml): what each system's export is called, and its columns' names. */
export const IMPORT_SOURCES = ["enkat", "incidenter", "introduktion", "ledarprogram"] as const;
export type ImportSourceId = (typeof IMPORT_SOURCES)[number];

/** The columns each source's rows have; the required ones first. */
export const IMPORT_COLUMNS = {
  enkat: { required: ["unit", "question", "sex", "result", "respondents"], optional: [] },
  incidenter: { required: ["id", "date", "unit", "kind"], optional: ["activityArea"] },
  introduktion: { required: ["unit", "start"], optional: ["completed", "completedDate", "sex"] },
  ledarprogram: { required: ["unit", "date"], optional: ["role", "sex"] },
} as const satisfies Record<ImportSourceId, { required: readonly string[]; optional: readonly string[] }>;

const aliasList = z.array(text).min(1);
const importSource = <R extends readonly string[], O extends readonly string[]>(columns: { required: R; optional: O }) =>
  z.strictObject({
    name: text,
    system: text,
    indicators: z.array(id).min(1),
    columns: z.strictObject({
      ...(Object.fromEntries(columns.required.map((c) => [c, aliasList])) as Record<R[number], typeof aliasList>),
      ...(Object.fromEntries(columns.optional.map((c) => [c, aliasList])) as Record<O[number], typeof aliasList>),
    }),
    kinds: aliasList.optional(),
  });
export const ImportsFileSchema = z.strictObject({
  sources: z.strictObject({
    enkat: importSource(IMPORT_COLUMNS.enkat),
    incidenter: importSource(IMPORT_COLUMNS.incidenter).refine((s) => s.kinds !== undefined, { message: "incidenter behöver kinds: händelsetyperna som räknas" }),
    introduktion: importSource(IMPORT_COLUMNS.introduktion),
    ledarprogram: importSource(IMPORT_COLUMNS.ledarprogram),
  }),
});
export type ImportSourceSettings = { name: string; system: string; indicators: string[]; columns: Record<string, string[]>; kinds?: string[] };

export interface Catalogue {
  plans: Plan[];
  units: Unit[];
  activityAreas: Named[];
  roles: Named[];
  indicators: Indicator[];
  reportingYears: ReportingYear[];
  reportingWindow: ReportingWindow;
  workbookLimits: WorkbookLimits;
  reminders: ReminderRules;
  admission: AdmissionRule;
  yearOverYearWarningShare: number;
  coverage: CoverageSettings;
  comparison: ComparisonRules;
  report: ReportSettings;
  /** The systems whose exports hp import reads (imports.yaml). */
  imports: Record<ImportSourceId, ImportSourceSettings>;
  /** A short hash of the catalogue files, recorded with every output. */
  version: string;
}
