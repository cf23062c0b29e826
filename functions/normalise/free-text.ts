/**
 * Reporters' free text (comments, activities, follow-ups) as the reports may carry it.
 * - Bidirectional controls (U+202A–202E, U+2066–2069, U+200E/200F, U+061C) are removed: they
 *   make text display in another order than it is stored, so a comment could show reversed or
 *   hide what it says. Other control characters, except line breaks and tabs, go too, and so
 *   do invisible characters that hide or join text unseen: zero-width space (U+200B), word
 *   joiner and invisible operators (U+2060–2064), zero-width no-break space (U+FEFF), soft
 *   hyphen (U+00AD), the Mongolian vowel separator (U+180E) and the Hangul fillers. Zero-width
 *   joiner and non-joiner (U+200C/200D) stay: scripts and emoji need them.
 * - Text longer than MAX_TEXT_LENGTH characters is cut at a word and ends "…(förkortad)", so
 *   that every report shows that it was cut, and one pasted document cannot slow the run.
 * Each change is told to the reporter as a warning at the cell.
 */
export const MAX_TEXT_LENGTH = 2000;
export const SHORTENED = "…(förkortad)";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const INVISIBLE = /[\u200B\u2060-\u2064\uFEFF\u00AD\u180E\u115F\u1160\u3164\uFFA0]/g;

export interface CleanText {
  text: string;
  /** Bidirectional, invisible or other control characters were removed. */
  controls: boolean;
  /** The text was longer than MAX_TEXT_LENGTH and was cut. */
  shortened: boolean;
}

export function cleanFreeText(raw: string): CleanText {
  const lines = raw.replace(/\r\n?/g, "\n");
  const stripped = lines.replace(BIDI, "").replace(INVISIBLE, "").replace(CONTROLS, "");
  const controls = stripped.length !== lines.length;
  if ([...stripped].length <= MAX_TEXT_LENGTH) return { text: stripped, controls, shortened: false };
  const chars = [...stripped].slice(0, MAX_TEXT_LENGTH - SHORTENED.length);
  const cut = chars.join("");
  const atWord = cut.replace(/\s+\S*$/, "");
  return { text: `${atWord.length > cut.length * 0.8 ? atWord : cut}${SHORTENED}`, controls, shortened: true };
}
