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

/** "13 februari 2026" from an ISO date. */
export function formatLongDate(isoDate: string): string {
  return longDate.format(new Date(`${isoDate}T00:00:00Z`));
}
