/**
 * The catalogue as it stands for one reporting year: the plan in force, the indicators valid
 * that year and the units that existed. Everything that works on one year starts here.
 */
import type { AdmissionRule } from "../model/records.js";
import { HpError } from "../shared/errors.js";
import { type Breakdown, TOTAL } from "../shared/vocabulary.js";
import { covers } from "./load-catalogue.js";
import type { Catalogue, FocusArea, Indicator, Plan, ReportingYear, Signature, StatusItem, Unit } from "./schema.js";

export interface YearCatalogue {
  year: number;
  /** Last day for submissions, ISO date. */
  deadline: string;
  /** The follow-up's reference number (diarienummer), when known. */
  dnr: string | undefined;
  /** The paper's handläggare and who signs it, when the catalogue says. */
  officer: ReportingYear["officer"];
  signatures: Signature[];
  /** What admits a unit's values to the year's figures (years.yaml). */
  admission: AdmissionRule;
  plan: Plan;
  /** Indicators valid this year, in catalogue order. */
  indicators: Indicator[];
  /** Units that existed this year, in catalogue order. */
  units: Unit[];
  catalogue: Catalogue;
}

/** A part of a breakdown, or its total. */
export interface BreakdownPart {
  key: string;
  label: string;
  isTotal: boolean;
}

/** The city as a whole, used where a unit id is expected. */
/** The city the units belong to; `municipality` is its code in Kolada and SCB (kommunkod). */
export const CITY = { id: "stockholm", name: "Stockholms stad", municipality: "0180" } as const;

export function catalogueForYear(catalogue: Catalogue, year: number): YearCatalogue {
  const opened = catalogue.reportingYears.find((y) => y.year === year);
  if (!opened) {
    const years = catalogue.reportingYears.map((y) => y.year).join(", ");
    throw new HpError(
      "usage",
      `Rapporteringsåret ${year} finns inte i katalogen. År i katalogen: ${years}. Ett år läggs till med sista dag i years.yaml och öppnas med hp year open.`,
    );
  }
  return {
    year,
    deadline: opened.deadline,
    dnr: opened.dnr,
    officer: opened.officer,
    signatures: opened.signatures ?? [],
    admission: opened.admission ?? catalogue.admission,
    plan: planForYear(catalogue, year),
    indicators: catalogue.indicators.filter((i) => covers(i.years, year)),
    units: catalogue.units.filter((u) => covers(u.years, year)),
    catalogue,
  };
}

/** The plan in force in a year (any year, opened or not). */
export function planForYear(catalogue: Catalogue, year: number): Plan {
  const plan = catalogue.plans.find((p) => covers(p.years, year));
  if (!plan) throw new HpError("usage", `Ingen plan i katalogen gäller år ${year}.`);
  return plan;
}

export function focusAreaOf(catalogue: Catalogue, indicator: Indicator): FocusArea {
  const plan = catalogue.plans.find((p) => p.id === indicator.plan);
  const area = plan?.focusAreas.find((f) => f.id === indicator.focusArea);
  if (!area) throw new HpError("catalogue", `Fokusområdet ${indicator.focusArea} saknas för ${indicator.id}.`);
  return area;
}

const SEX_PARTS: BreakdownPart[] = [
  { key: "K", label: "Kvinnor", isTotal: false },
  { key: "M", label: "Män", isTotal: false },
];
const TOTAL_PART: BreakdownPart = { key: TOTAL, label: "Totalt", isTotal: true };

/** The rows an indicator has per unit: its breakdown's parts, then the total. */
export function breakdownParts(catalogue: Catalogue, breakdown: Breakdown): BreakdownPart[] {
  const named = (list: { id: string; name: string }[]) =>
    list.map((n) => ({ key: n.id, label: n.name, isTotal: false }));
  switch (breakdown) {
    case "none":
      return [TOTAL_PART];
    case "sex":
      return [...SEX_PARTS, TOTAL_PART];
    case "activityArea":
      return [...named(catalogue.activityAreas), TOTAL_PART];
    case "role":
      return [...named(catalogue.roles), TOTAL_PART];
  }
}

/** The activities of a status-list indicator that are followed in a year. */
export function statusItems(indicator: Indicator, year: number): StatusItem[] {
  return (indicator.items ?? []).filter((item) => covers(item.years, year));
}

/** A focus area as the lists and self-assessment show it: "1. En god arbetssituation …". */
export function focusAreaLabel(f: { number: number; title: string }): string {
  return `${f.number}. ${f.title}`;
}

/** A focus area in a narrow column: "1. God arbetssituation"; the earlier plan's group has no number. */
export function focusAreaShortLabel(f: { number: number; shortTitle: string }): string {
  return f.number > 0 ? `${f.number}. ${f.shortTitle}` : f.shortTitle;
}
