/** Swedish (sv-SE) formatting of numbers and dates for people to read. */

const numberFormats = new Map<number, Intl.NumberFormat>();
const longDate = new Intl.DateTimeFormat("sv-SE", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** "1 234", "12,5" (no-break space between thousands, decimal comma). */
export function formatNumber(value: number, maxDecimals = 1): string {
  let format = numberFormats.get(maxDecimals);
  if (!format) {
    format = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: maxDecimals });
    numberFormats.set(maxDecimals, format);
  }
  return format.format(value);
}

/** "74 %" with a no-break space, as Swedish typography wants. */
export function formatPercent(value: number, maxDecimals = 1): string {
  return `${formatNumber(value, maxDecimals)}\u00a0%`;
}

/** "74,0 %": always one decimal, so that a column of shares reads alike. */
export function formatPercentFixed(value: number): string {
  return `${formatFixed(value, 1)}\u00a0%`;
}

const fixedFormats = new Map<number, Intl.NumberFormat>();
/** "12,0": exactly this many decimals. */
export function formatFixed(value: number, decimals: number): string {
  let format = fixedFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    fixedFormats.set(decimals, format);
  }
  // −0,0 reads as a change; a value that rounds to zero is zero.
  const text = format.format(value);
  return /^[-\u2212]0(,0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * "1,0 procentenhet", "2,5 procentenheter": one decimal, and the singular only for exactly one,
 * as Swedish wants.
 */
export function formatPercentagePoints(size: number): string {
  const text = formatFixed(size, 1);
  return `${text} ${text === "1,0" ? "procentenhet" : "procentenheter"}`;
}

/** Swedish collation, for every list of units, activities or names a person reads. */
export const svCollator = new Intl.Collator("sv");

/** A copy sorted in Swedish order: Skarpnäck before Skärholmen, Östermalm last. */
export function sortSv(items: readonly string[]): string[] {
  return [...items].sort(svCollator.compare);
}

/** "13 februari 2026" from an ISO date. */
export function formatLongDate(isoDate: string): string {
  return longDate.format(new Date(`${isoDate}T00:00:00Z`));
}

/**
 * Lower-cases the first letter, for a label used inside a sentence, unless the word is an
 * abbreviation ("VFU-platser").
 */
export function lowerFirst(text: string): string {
  const second = text.charAt(1);
  return second && second === second.toLocaleUpperCase("sv-SE") && second !== second.toLocaleLowerCase("sv-SE")
    ? text
    : text.charAt(0).toLocaleLowerCase("sv-SE") + text.slice(1);
}

/** "a, b och c". */
export function joinSv(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} och ${items.at(-1)}`;
}

const stockholmTime = new Intl.DateTimeFormat("sv-SE", {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Stockholm",
});
const stockholmDay = new Intl.DateTimeFormat("sv-SE", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Europe/Stockholm" });

/** "2026-02-10 08:30", Swedish time, as people in the city read a time stamp. */
export function formatStockholmTime(date: Date): string {
  return stockholmTime.format(date);
}

/** "2026-02-10", the day in Stockholm. */
export function formatStockholmDay(date: Date): string {
  return stockholmDay.format(date);
}
