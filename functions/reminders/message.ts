/**
 * A reminder as the unit's contacts read it: plain text in Swedish (never HTML, so nothing a
 * person typed can become markup), with the unit's state, what is left to do, the deadline and
 * where its tab or file is.
 */
import type { UnitStatusRow } from "../pipeline/year-status.js";
import { formatLongDate } from "../shared/format-sv.js";
import type { Occasion } from "./rules.js";

export interface ReminderMessage {
  subject: string;
  text: string;
}

/** What the unit still has to do for its values to count, one line each. */
export function whatIsLeft(unit: Pick<UnitStatusRow, "state" | "errors" | "warnings" | "reason">, resultsTab: string): string[] {
  const left: string[] = [];
  if (unit.state === "inte påbörjad") left.push("Fyll i enhetens flik.");
  if (unit.reason === "duplicated") left.push("Enheten finns i mer än en flik: lämna bara in en.");
  if (unit.errors > 0) left.push(`Rätta ${unit.errors === 1 ? "felet" : `de ${unit.errors} felen`}; de är markerade vid cellerna och listade i fliken ${resultsTab}.`);
  if (unit.warnings > 0) left.push(`Se över ${unit.warnings === 1 ? "varningen" : `de ${unit.warnings} varningarna`}: bekräfta eller förklara värdena.`);
  if (unit.state === "inte påbörjad" || unit.state === "pågår") left.push("Markera fliken Klar att lämna in.");
  if (unit.state === "klar med fel") left.push("Fliken är markerad klar men räknas inte förrän felen är rättade; markeringen kan stå kvar.");
  return left;
}

/** A reminder needs the unit to do something: a unit waiting only for the project leader's approval is not reminded. */
export function needsReminder(unit: Pick<UnitStatusRow, "admitted" | "reason">): boolean {
  return !unit.admitted && unit.reason !== "not-approved";
}

function deadlineSentence(deadline: string, days: number): string {
  const date = formatLongDate(deadline);
  if (days > 1) return `Sista dag att lämna in är ${date}, om ${days} dagar.`;
  if (days === 1) return `Sista dag att lämna in är i morgon, ${date}.`;
  if (days === 0) return `Sista dag att lämna in är i dag, ${date}.`;
  return `Sista dag att lämna in var ${date}, för ${-days === 1 ? "en dag" : `${-days} dagar`} sedan. Lämna in så snart som möjligt.`;
}

/** `where` is a whole line: "Enhetens flik: https://…" or "Enhetens fil: 2025-bromma.xlsx". */
export function reminderMessage(input: { year: number; deadline: string; days: number; occasion: Occasion; unit: UnitStatusRow; where: string | undefined; left: readonly string[] }): ReminderMessage {
  const { unit, year } = input;
  const late = input.days < 0;
  const subject = `${late ? "Sen inlämning" : "Påminnelse"}: uppföljningen ${year} för ${unit.name}`;
  const { left } = input;
  const text = [
    "Hej!",
    "",
    `Det här är en påminnelse om uppföljningen ${year} av handlingsplanen för en hållbar arbetssituation inom socialtjänsten.`,
    `${unit.name} räknas ännu inte i stadens värden. Läge just nu: ${unit.state}${unit.errors > 0 ? `, ${unit.errors} fel` : ""}${unit.warnings > 0 ? `, ${unit.warnings} ${unit.warnings === 1 ? "varning" : "varningar"}` : ""}.`,
    "",
    ...(left.length > 0 ? ["Kvar att göra:", ...left.map((l) => `- ${l}`), ""] : []),
    deadlineSentence(input.deadline, input.days),
    "",
    ...(input.where ? [input.where, ""] : []),
    "Har ni frågor, svara på det här brevet eller kontakta projektledaren.",
    "",
    "Brevet skickades automatiskt av uppföljningen av handlingsplanen.",
  ].join("\n");
  return { subject, text };
}
