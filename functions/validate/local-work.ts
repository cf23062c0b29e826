
import { focusAreaLabel } from "../catalogue/catalogue-for-year.js";
import type { FocusArea } from "../catalogue/schema.js";
import { readNumberCell } from "../normalise/parse-cell.js";
import { formatNumber } from "../shared/format-sv.js";
import { ACTIVITY_STATUSES } from "../shared/vocabulary.js";
import {
  type ActivityReading,
  nameKey,
  type TabReading,
} from "../submission/read-submission.js";
import { CENTRAL } from "../template/layout.js";
import { cellText } from "../workbook/grid.js";
import { type Finding, finding } from "../model/findings.js";
import type { ValidationResult } from "../model/records.js";
import { symbolsOf, type ValidationOptions } from "./options.js";

function focusAreaFor(text: string, areas: FocusArea[]): FocusArea | undefined {
  const key = nameKey(text);
  const number = /^(\d+)\.?(\s|$)/.exec(text.trim())?.[1];
  return areas.find(
    (a) =>
      key === nameKey(focusAreaLabel(a)) ||
      key === nameKey(a.title) ||
      key === nameKey(a.shortTitle) ||
      (number !== undefined && Number(number) === a.number),
  );
}

export function validateSelfAssessments(
  tab: TabReading,
  { yc, definition }: ValidationOptions,
  result: ValidationResult,
  push: (f: Finding) => void,
): void {
  const areas = yc.plan.focusAreas;
  const base = { file: tab.file, sheet: tab.sheet, unit: tab.reporter };
  if (tab.selfAssessments === null) {
    push(
      finding(
        "SELF_ASSESSMENT_MISSING",
        base,
        "Självskattningen under Lokalt arbete saknas på fliken.",
        "Använd en ny mall, eller återställ avsnittet med sina rubriker.",
      ),
    );
    return;
  }
  const byArea = new Map<string, (typeof tab.selfAssessments)[number]>();
  for (const sa of tab.selfAssessments) {
    const area = focusAreaFor(sa.focusAreaText, areas);
    if (!area) {
      push(
        finding(
          "SELF_ASSESSMENT_UNKNOWN_AREA",
          { ...base, cell: sa.score.address },
          `”${sa.focusAreaText}” är inget av planens fokusområden.`,
          "Skriv tillbaka fokusområdets namn som i mallen.",
        ),
      );
      continue;
    }
    byArea.set(area.id, sa);
  }
  for (const area of areas) {
    const sa = byArea.get(area.id);
    const cell = sa ? readNumberCell(sa.score.cell, symbolsOf(definition)) : ({ kind: "blank" } as const);
    const at = { ...base, cell: sa?.score.address ?? null };
    let score: number | null = null;
    if (cell.kind === "blank" || cell.kind === "not-available") {
      push(
        finding(
          "SELF_ASSESSMENT_MISSING",
          at,
          `Självskattning saknas för fokusområde ${area.number}, ${area.shortTitle.toLocaleLowerCase("sv-SE")}.`,
          "Skatta från 1 (långt ifrån önskat läge) till 5 (önskat läge är uppnått).",
        ),
      );
    } else if (cell.kind === "number" && Number.isInteger(cell.value) && cell.value >= 1 && cell.value <= 5) {
      score = cell.value;
    } else {
      const shown = cell.kind === "number" ? formatNumber(cell.value, 2) : cell.kind === "invalid" ? cell.shown : "–";
      push(
        finding(
          "SELF_ASSESSMENT_OUT_OF_RANGE",
          at,
          `Självskattningen ska vara en hel siffra från 1 till 5, inte ”${shown}”.`,
          "Skatta från 1 (långt ifrån önskat läge) till 5 (önskat läge är uppnått).",
        ),
      );
    }
    result.selfAssessments.push({
      unit: tab.reporter,
      focusArea: area.id,
      score,
      ...(sa?.comment ? { comment: sa.comment } : {}),
    });
  }
}

export function validateActivities(
  tab: TabReading,
  { yc }: ValidationOptions,
  result: ValidationResult,
  push: (f: Finding) => void,
): void {
  if (tab.activities === null) return;
  const base = { file: tab.file, sheet: tab.sheet, unit: tab.reporter };
  for (const a of tab.activities as ActivityReading[]) {
    const areaText = cellText(a.focusArea.cell);
    const area = areaText ? focusAreaFor(areaText, yc.plan.focusAreas) : undefined;
    let ok = true;
    if (!a.activity) {
      push(
        finding(
          "ACTIVITY_NO_DESCRIPTION",
          { ...base, cell: a.focusArea.address },
          `Rad ${a.row} under aktiviteter har uppgifter men ingen beskrivning av aktiviteten.`,
          "Beskriv aktiviteten, eller töm raden.",
        ),
      );
      ok = false;
    }
    if (!areaText) {
      push(
        finding("ACTIVITY_NO_FOCUS_AREA", { ...base, cell: a.focusArea.address }, `Aktiviteten ”${a.activity}” saknar fokusområde.`, "Välj fokusområde i listan."),
      );
      ok = false;
    } else if (!area) {
      push(
        finding(
          "ACTIVITY_UNKNOWN_FOCUS_AREA",
          { ...base, cell: a.focusArea.address },
          `”${areaText}” är inget av planens fokusområden.`,
          "Välj fokusområde i listan.",
        ),
      );
      ok = false;
    }
    const statusText = cellText(a.status.cell);
    const status = statusText ? ACTIVITY_STATUSES.find((s) => nameKey(s) === nameKey(statusText)) : undefined;
    if (statusText && !status) {
      push(
        finding(
          "ACTIVITY_UNKNOWN_STATUS",
          { ...base, cell: a.status.address },
          `”${statusText}” är ingen giltig status.`,
          `Välj en av: ${ACTIVITY_STATUSES.join(", ")}.`,
        ),
      );
    }
    if (tab.reporter === CENTRAL && a.activity && !statusText) {
      push(
        finding(
          "CITY_ACTIVITY_NO_STATUS",
          { ...base, cell: a.status.address },
          `Den stadsövergripande aktiviteten ”${a.activity}” har ingen status för ${yc.year}.`,
          `Välj status i listan (${ACTIVITY_STATUSES.join(", ")}).`,
        ),
      );
    } else if (a.activity && a.previousStatus && !statusText) {
      push(
        finding(
          "ACTIVITY_STATUS_NOT_UPDATED",
          { ...base, cell: a.status.address },
          `Aktiviteten ”${a.activity}” fördes över från förra året (status där: ${a.previousStatus}) men har ingen status för i år.`,
          `Välj status för i år (${ACTIVITY_STATUSES.join(", ")}), eller töm raden om aktiviteten inte längre är aktuell.`,
        ),
      );
    }
    if (a.activity && !a.followUp && !(tab.reporter === CENTRAL && !statusText)) {
      push(
        finding(
          "ACTIVITY_NO_FOLLOW_UP",
          { ...base, cell: a.followUpAddress },
          `Det framgår inte hur aktiviteten ”${a.activity}” ska följas upp.`,
          "Beskriv i kolumnen för uppföljning hur ni ska se att aktiviteten gett effekt.",
        ),
      );
    }
    if (ok && area) {
      result.activities.push({
        unit: tab.reporter,
        focusArea: area.id,
        activity: a.activity,
        followUp: a.followUp ?? null,
        status: status ?? null,
      });
    }
  }
}
