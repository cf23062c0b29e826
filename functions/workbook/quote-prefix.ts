/**
 * Text that starts like a formula (= + - @, a tab or a carriage return) is stored as text,
 * but a person who edits such a cell in Excel or LibreOffice and presses Enter turns it into
 * a formula – reporters' text becoming a formula is what this prevents. Excel's guard is the
 * cell style's quotePrefix ("the value is text; show the apostrophe in the formula bar"),
 * which exceljs cannot write. So the written .xlsx is edited: each such text cell gets a copy
 * of its style with quotePrefix="1".
 */
const RISKY = /^[=+\-@\t\r]/;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e.toLowerCase()]!;
  });
}

/** The text of a shared string or inline string element: its <t> parts together. */
const textOf = (xml: string) => unescapeXml([...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join(""));

/** Gives every text cell that starts like a formula a style with quotePrefix; edits the unzipped files in place. */
export function quotePrefixFormulaLikeText(files: Record<string, Uint8Array>): void {
  const stylesName = "xl/styles.xml";
  if (!files[stylesName]) return;
  const shared = files["xl/sharedStrings.xml"] ? [...decoder.decode(files["xl/sharedStrings.xml"]).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1]!)) : [];
  let styles = decoder.decode(files[stylesName]);
  const cellXfs = /<cellXfs count="(\d+)">([\s\S]*?)<\/cellXfs>/.exec(styles);
  if (!cellXfs) return;
  const xfs = [...cellXfs[2]!.matchAll(/<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
  const prefixed = new Map<number, number>();
  const styleFor = (index: number) => {
    let to = prefixed.get(index);
    if (to === undefined) {
      const original = xfs[index] ?? xfs[0]!;
      xfs.push(original.replace(/ quotePrefix="[^"]*"/, "").replace(/^<xf\b/, '<xf quotePrefix="1"'));
      to = xfs.length - 1;
      prefixed.set(index, to);
    }
    return to;
  };

  for (const name of Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    const xml = decoder.decode(files[name]);
    let changed = false;
    // A cell with content (empty cells are <c …/>; a cell's attributes hold no "/").
    const edited = xml.replace(/<c\b([^>/]*)>([\s\S]*?)<\/c>/g, (cell, attributes: string, body: string) => {
      const type = / t="([^"]+)"/.exec(attributes)?.[1];
      const text = type === "s" ? shared[Number(/<v>(\d+)<\/v>/.exec(body)?.[1])] : type === "inlineStr" ? textOf(body) : undefined;
      if (text === undefined || !RISKY.test(text)) return cell;
      changed = true;
      const style = Number(/ s="(\d+)"/.exec(attributes)?.[1] ?? 0);
      const withStyle = / s="\d+"/.test(attributes) ? attributes.replace(/ s="\d+"/, ` s="${styleFor(style)}"`) : `${attributes} s="${styleFor(style)}"`;
      return `<c${withStyle}>${body}</c>`;
    });
    if (changed) files[name] = encoder.encode(edited);
  }
  if (prefixed.size === 0) return;
  styles = styles.replace(cellXfs[0], `<cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs>`);
  files[stylesName] = encoder.encode(styles);
}
