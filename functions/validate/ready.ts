/**
 * "Klar att lämna in": whether a unit says its tab is done, who said so, and from when it
 * counts. Google Sheets gives the time a run first saw the box ticked (the day typed beside it
 * is then only information). A file counts from the later of the day typed and the time the
 * file was last saved: a typed day cannot make a file handed in earlier than it was made, and
 * a file saved long after the day typed is told. A tab counts as submitted when it
 * is marked ready and has no errors; the caller tells a unit marked ready with errors.
 */
import { type Finding, finding } from "../model/findings.js";
import { formatStockholmDay } from "../shared/format-sv.js";
import type { TabReading } from "../submission/readings.js";
import type { TemplateDefinition } from "../template/definition.js";
import { READY_CHOICES } from "../template/template-layout.js";
import { cellText, serialToDate } from "../workbook/grid.js";

export interface ReadyState {
  marked: boolean;
  by: string | null;
  /** From when the tab counts as submitted; null when that is not known. */
  at: Date | null;
  /** The day typed beside the mark, where it differs from when the tab counts. */
  typed?: Date;
  /** The ready cell, for findings about it. */
  address: string | null;
}

const YES = new Set(["ja", "x", "klar", "true", "sant"]);
const NO = new Set(["nej", "false", "falskt"]);

export function readyState(tab: TabReading, definition: TemplateDefinition, push: (f: Finding) => void): ReadyState {
  const { labels } = definition;
  const at = { file: tab.file, sheet: tab.sheet, unit: tab.reporter };
  const ready = tab.ready;
  if (!ready) {
    push(
      finding(
        "READY_ROW_MISSING",
        at,
        `Fliken saknar raden "${labels.ready}", så enheten kan inte markera att den är klar och räknas inte som inlämnad.`,
        "För över uppgifterna till årets nya mall, där raden finns högst upp på varje flik.",
      ),
    );
    return { marked: false, by: null, at: null, address: null };
  }
  const where = { ...at, cell: ready.mark.address };
  const value = ready.mark.cell?.value;
  const text = typeof value === "boolean" ? String(value) : (cellText(ready.mark.cell) ?? "").toLocaleLowerCase("sv-SE");
  const marked = YES.has(text);
  if (!marked && text !== "" && !NO.has(text)) {
    push(
      finding(
        "READY_UNREADABLE",
        where,
        `"${cellText(ready.mark.cell)}" i ${labels.ready} går inte att läsa som ${READY_CHOICES.join(" eller ")}, så enheten räknas inte som inlämnad.`,
        `Välj ${READY_CHOICES.join(" eller ")} i listan.`,
      ),
    );
  }
  const state: ReadyState = { marked, by: ready.by ?? null, at: null, address: ready.mark.address };
  if (!marked) return state;
  if (!ready.by) {
    push(
      finding(
        "READY_NO_NAME",
        { ...at, cell: ready.byAddress ?? ready.mark.address },
        `Fliken är markerad som klar, men det står inte vem som markerade den.`,
        `Skriv ditt namn i ${labels.readyBy}.`,
      ),
    );
  }
  if (tab.readySeen) {
    // Google: the time the run first saw the mark; the typed day cannot move it.
    state.at = tab.readySeen;
    return state;
  }
  const dateCell = ready.date;
  const day = markedDay(dateCell?.cell?.value);
  if (day) {
    const saved = tab.saved;
    state.at = saved && saved.getTime() > day.getTime() ? saved : day;
    if (formatStockholmDay(state.at) !== formatStockholmDay(day)) state.typed = day;
    if (saved && saved.getTime() - day.getTime() > SAVED_AFTER_TYPED_MS) {
      push(
        finding(
          "READY_DATE_BEFORE_SAVE",
          { ...at, cell: dateCell?.address ?? ready.mark.address },
          `Fliken är markerad klar ${formatStockholmDay(day)}, men filen sparades ${formatStockholmDay(saved)}. Inlämningen räknas från när filen sparades, ${formatStockholmDay(saved)}.`,
          `Skriv dagen fliken blev klar i ${labels.readyDate}, eller låt det stå om filen bara sparades om utan ändringar.`,
        ),
      );
    }
    return state;
  }
  const saved = tab.saved ? ` Tills vidare räknas dagen filen sparades, ${formatStockholmDay(tab.saved)}.` : "";
  const typed = cellText(dateCell?.cell);
  push(
    finding(
      typed === undefined ? "READY_NO_DATE" : "READY_DATE_UNREADABLE",
      { ...at, cell: dateCell?.address ?? ready.mark.address },
      typed === undefined
        ? `Fliken är markerad som klar men saknar datum.${saved}`
        : `"${typed}" i ${labels.readyDate} går inte att läsa som ett datum.${saved}`,
      `Skriv dagen fliken blev klar i ${labels.readyDate}, till exempel 2026-02-10.`,
    ),
  );
  state.at = tab.saved ?? null;
  return state;
}

/** How long after the typed day a file may be saved before it is told (a day's work after marking is normal). */
const SAVED_AFTER_TYPED_MS = 7 * 86_400_000;

/** The day in a date cell: a date, an ISO date typed as text, or a date serial without its format. */
function markedDay(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "number" && Number.isInteger(value) && value > 36_000 && value < 73_000) {
    return serialToDate(value);
  }
  if (typeof value === "string") {
    const m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(value);
    if (!m) return undefined;
    const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return date.getUTCDate() === Number(m[3]) ? date : undefined;
  }
  return undefined;
}
