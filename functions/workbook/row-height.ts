/**
 * How tall a row must be for its wrapped text: spreadsheet programs do not grow a row for text
 * a program wrote, and never when printing, so whoever writes the text sets the height. Counted
 * a little generously (a cut sentence is worse than some space), line breaks included.
 */

/** Points per line of wrapped 11-point text. */
const LINE_POINTS = 14.5;
/** The characters a column of this width (in Excel's character units) holds on a line. */
const charsPerLine = (width: number) => Math.max(1, Math.floor(width * 1.05) - 1);

/** The height in points for these texts in their columns; undefined when one line is enough. */
export function wrappedHeight(cells: Iterable<{ text: string; width: number }>): number | undefined {
  let lines = 1;
  for (const { text, width } of cells) {
    const perLine = charsPerLine(width);
    lines = Math.max(lines, text.split("\n").reduce((n, part) => n + Math.max(1, Math.ceil([...part].length / perLine)), 0));
  }
  return lines > 1 ? Math.ceil(lines * LINE_POINTS + 4) : undefined;
}
