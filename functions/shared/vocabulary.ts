/**
 * Closed vocabularies of the domain. Each is an `as const` array with a derived union type
 * and a guard, so that the catalogue schema, the template and the validator share one list.
 */

function guard<const T extends readonly string[]>(values: T) {
  return (value: unknown): value is T[number] =>
    typeof value === "string" && (values as readonly string[]).includes(value);
}

/** How an indicator is measured. */
export const MEASURES = ["count", "ratio", "survey", "status"] as const;
export type Measure = (typeof MEASURES)[number];
export const isMeasure = guard(MEASURES);

/** How the city-wide figure is made from the units' figures. */
export const AGGREGATIONS = ["sum", "ratio-of-sums", "weighted-mean", "none"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** The direction in which an indicator should move. */
export const DIRECTIONS = ["increase", "decrease", "none"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Who fills in an indicator: each unit on its own tab, or centrally on the central tab. */
export const REPORTERS = ["unit", "central"] as const;
export type Reporter = (typeof REPORTERS)[number];

/** Whether an indicator has a value per unit or only one for the whole city. */
export const LEVELS = ["unit", "city"] as const;
export type Level = (typeof LEVELS)[number];

/** The dimension an indicator is broken down by; every dimension also has a total. */
export const BREAKDOWNS = ["none", "sex", "activityArea", "role"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** Kolada's sex codes: kvinnor, män, totalt. */
export const SEXES = ["K", "M", "T"] as const;
export type Sex = (typeof SEXES)[number];
export const isSex = guard(SEXES);

/** The key of the total in every breakdown. */
export const TOTAL = "T";

export const UNIT_KINDS = ["district", "specialist"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const SEVERITIES = ["error", "warning"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const isSeverity = guard(SEVERITIES);

/** Fields a reporter can fill on an indicator row. */
export const INPUT_FIELDS = ["value", "numerator", "denominator", "respondents"] as const;
export type InputField = (typeof INPUT_FIELDS)[number];

/** The column header of each input field, as reporters and messages name it. */
export const INPUT_FIELD_NAMES: Record<InputField, string> = {
  value: "Värde",
  numerator: "Täljare",
  denominator: "Nämnare",
  respondents: "Antal svarande",
};

/** Which fields each measure takes, in column order. */
export const FIELDS_BY_MEASURE: Record<Measure, readonly InputField[]> = {
  count: ["value"],
  ratio: ["numerator", "denominator"],
  survey: ["value", "respondents"],
  status: ["value"],
};

/** Fields whose parts add up to the total (women + men = total). */
export const ADDITIVE_FIELDS: Record<Measure, readonly InputField[]> = {
  count: ["value"],
  ratio: ["numerator", "denominator"],
  survey: ["respondents"],
  status: [],
};

/** Status of the local activities in "Lokalt arbete". */
export const ACTIVITY_STATUSES = ["Planerad", "Pågår", "Genomförd", "Avbruten"] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** The self-assessment scale of how near a unit stands to the desired state. */
export const SELF_ASSESSMENT_SCALE = [
  { score: 1, label: "Långt ifrån önskat läge" },
  { score: 2, label: "En bit ifrån önskat läge" },
  { score: 3, label: "Delvis nära önskat läge" },
  { score: 4, label: "Nära önskat läge" },
  { score: 5, label: "Önskat läge är uppnått" },
] as const;

/** The board paper's sections the officials write, in the paper's order, by key. */
export const REPORT_TEXT_SECTIONS = [
  { key: "arendet", heading: "Ärendet", also: [] },
  { key: "beredning", heading: "Ärendets beredning", also: [] },
  { key: "analys", heading: "Analys", also: [] },
  { key: "synpunkter", heading: "Förvaltningarnas synpunkter och förslag", also: ["Förvaltningens synpunkter och förslag"] },
] as const;

/** The heading word before an indicator's id or name in the officials' text: "Kommentar: fa1-paverka". */
export const INDICATOR_COMMENT_HEADING = "Kommentar";
