/**
 * What Chromium leaves out of a PDF, added without re-parsing or re-writing the file: the
 * author, subject and keywords, the run's date instead of the clock's, and the XMP metadata
 * PDF/UA asks for (dc:title, dc:language and the PDF/UA identifier). Chromium already writes a
 * tagged PDF with /Lang, /DisplayDocTitle, the outline, alt texts and table headers.
 *
 * The additions are an incremental update (ISO 32000-1, 7.5.6): a new catalog and information
 * dictionary and the XMP stream appended after the file, with an xref section that points at
 * them and back at Chromium's. Two things must change inside Chromium's bytes for the same
 * report to give the same file every time, and both are done byte for byte at the same length,
 * so every offset in the file stays right:
 * - the creation and modification dates in the information dictionary (the clock's);
 * - the ids of the structure elements that table cells name as their headers, which Chromium
 *   takes from its DOM node counter ("node00000030") and which shift from run to run. They are
 *   renamed in the order the elements come in the file ("h0000000001"), and the /IDTree's
 *   leaf, whose names must be sorted, has its pairs put back in order at the same length.
 *
 * Chromium writes a classic cross-reference table; a PDF of another shape is refused.
 */
import { HpError } from "../shared/errors.js";

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  /** BCP 47, as the document's /Lang and dc:language. */
  language: string;
  creator: string;
  date: Date;
}

export function finishPdf(pdf: Uint8Array, meta: PdfMetadata): Uint8Array {
  // latin1 maps every byte to one character and back, so offsets in the string are offsets in the file.
  let text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString("latin1");
  const trailer = lastTrailer(text);
  text = renameStructureIds(text);
  text = restampDates(text, trailer, meta.date);

  const catalog = objectDictionary(text, trailer, trailer.root);
  const xmp = Buffer.from(xmpPacket(meta), "utf8");
  const metadataNumber = trailer.size;
  const infoNumber = trailer.info ?? trailer.size + 1;
  const size = Math.max(trailer.size + (trailer.info === undefined ? 2 : 1), infoNumber + 1);

  const head = Buffer.from(text.endsWith("\n") ? text : `${text}\n`, "latin1");
  const parts: Buffer[] = [head];
  const offsets = new Map<number, number>();
  let at = head.length;
  const add = (number: number, body: Buffer) => {
    offsets.set(number, at);
    const bytes = Buffer.concat([Buffer.from(`${number} 0 obj\n`, "latin1"), body, Buffer.from("\nendobj\n", "latin1")]);
    parts.push(bytes);
    at += bytes.length;
  };
  add(
    metadataNumber,
    Buffer.concat([Buffer.from(`<</Type /Metadata\n/Subtype /XML\n/Length ${xmp.length}>> stream\n`, "latin1"), xmp, Buffer.from("\nendstream", "latin1")]),
  );
  add(trailer.root, Buffer.from(withEntries(catalog, { Metadata: `${metadataNumber} 0 R`, Lang: pdfString(meta.language) }), "latin1"));
  add(infoNumber, Buffer.from(infoDictionary(meta), "latin1"));

  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let xref = "xref\n";
  for (const n of numbers) xref += `${n} 1\n${String(offsets.get(n)).padStart(10, "0")} 00000 n \n`;
  xref += `trailer\n<</Size ${size}\n/Root ${trailer.root} 0 R\n/Info ${infoNumber} 0 R\n/Prev ${trailer.xrefAt}>>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(Buffer.from(xref, "latin1"));
  return new Uint8Array(Buffer.concat(parts));
}

interface Trailer {
  xrefAt: number;
  size: number;
  root: number;
  info: number | undefined;
  /** Byte offset of each object in use, from the table. */
  offsets: Map<number, number>;
}

function refused(why: string): never {
  throw new HpError("io", `PDF:en från Chromium har en oväntad form (${why}); metadata kunde inte läggas till.`);
}

function lastTrailer(text: string): Trailer {
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-1024));
  if (!start) refused("inget startxref i slutet");
  const xrefAt = Number(start[1]);
  if (text.slice(xrefAt, xrefAt + 4) !== "xref") refused("ingen klassisk xref-tabell");
  const end = text.indexOf("trailer", xrefAt);
  if (end < 0) refused("ingen trailer");
  const offsets = new Map<number, number>();
  const lines = text.slice(xrefAt + 4, end).trim().split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; ) {
    const [first, count] = lines[i]!.trim().split(/\s+/).map(Number);
    if (first === undefined || count === undefined || Number.isNaN(first) || Number.isNaN(count)) refused("xref-tabellen går inte att läsa");
    for (let k = 0; k < count; k++) {
      const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(lines[i + 1 + k] ?? "");
      if (!entry) refused("xref-tabellen går inte att läsa");
      if (entry[3] === "n") offsets.set(first + k, Number(entry[1]));
    }
    i += 1 + count;
  }
  const dictionary = text.slice(end, text.indexOf("startxref", end));
  if (/\/Prev\s/.test(dictionary) || /\/Encrypt\s/.test(dictionary)) refused("redan uppdaterad eller krypterad");
  const ref = (key: string) => {
    const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dictionary);
    return m ? Number(m[1]) : undefined;
  };
  const size = Number(/\/Size\s+(\d+)/.exec(dictionary)?.[1]);
  const root = ref("Root");
  if (!size || root === undefined) refused("trailern saknar /Size eller /Root");
  return { xrefAt, size, root, info: ref("Info"), offsets };
}

/** The dictionary of an object as written: from its "<<" to the ">>" before "endobj". */
function objectDictionary(text: string, trailer: Trailer, number: number): string {
  const { body: start, end } = objectSpan(text, trailer, number);
  const body = text.slice(start, end).trim();
  if (!body.startsWith("<<") || !body.endsWith(">>") || body.includes("stream")) refused(`objekt ${number} är ingen ordlista`);
  return body;
}

/** Where an object's body is: after "N 0 obj", up to its "endobj", found through the xref table. */
function objectSpan(text: string, trailer: Trailer, number: number): { body: number; end: number } {
  const at = trailer.offsets.get(number);
  const header = `${number} 0 obj`;
  if (at === undefined || text.slice(at, at + header.length) !== header) refused(`objekt ${number} finns inte där tabellen säger`);
  return { body: at + header.length, end: text.indexOf("endobj", at) };
}

/** A dictionary with these entries set: an entry already there is replaced, the rest added last. */
function withEntries(dictionary: string, entries: Record<string, string>): string {
  let body = dictionary.slice(0, -2);
  for (const [key, value] of Object.entries(entries)) {
    // Chromium writes one top-level entry per line: "/Key value" up to the next line that starts with "/".
    const existing = new RegExp(`\\n/${key}\\s[^\\n]*(?=\\n|$)`).exec(body);
    if (existing && !existing[0].includes("<<")) body = body.slice(0, existing.index) + body.slice(existing.index + existing[0].length);
    body += `\n/${key} ${value}`;
  }
  return `${body}>>`;
}

function renameStructureIds(text: string): string {
  // In the order the elements come in the file, which is the same every time; Chromium's own
  // numbering is not, not even in its order.
  const ids = [...new Set([...text.matchAll(/\/ID \((node\d+)\)/g)].map((m) => m[1]!))];
  if (ids.length === 0) return text;
  const width = ids[0]!.length - 1;
  const renamed = new Map(ids.map((id, i) => [id, `h${String(i + 1).padStart(width, "0")}`]));
  const out = text.replace(/\((node\d+)\)/g, (whole, id: string) => {
    const to = renamed.get(id);
    return to !== undefined && to.length === id.length ? `(${to})` : whole;
  });
  return sortIdTree(out);
}

/**
 * The /IDTree's leaf lists its names sorted, as a name tree must; with the new names the pairs
 * are put back in order, in place: the same pairs with the same single spaces take the same bytes.
 */
function sortIdTree(text: string): string {
  return text.replace(/<<\/Limits \[\((h\d+)\) \((h\d+)\)\]\n\/Names \[([^\]]*)\]>>/g, (whole, _first, _last, names: string) => {
    const pairs = [...names.matchAll(/\((h\d+)\) (\d+ \d+ R)/g)].map((m) => [m[1]!, m[2]!] as const);
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const rebuilt = `<</Limits [(${pairs[0]?.[0]}) (${pairs.at(-1)?.[0]})]\n/Names [${pairs.map(([n, r]) => `(${n}) ${r}`).join(" ")}]>>`;
    return rebuilt.length === whole.length ? rebuilt : whole;
  });
}

function restampDates(text: string, trailer: Trailer, date: Date): string {
  if (trailer.info === undefined) return text;
  const { body: at, end } = objectSpan(text, trailer, trailer.info);
  const stamped = text.slice(at, end).replace(/\/(CreationDate|ModDate) \(D:[^)]*\)/g, (whole, key: string) => {
    const value = pdfDate(date);
    // Same length or not at all: every offset after this must stay where it is.
    return `/${key} (${value})`.length === whole.length ? `/${key} (${value})` : whole;
  });
  return text.slice(0, at) + stamped + text.slice(end);
}

/** D:YYYYMMDDHHmmSS+00'00', the form Chromium writes (and so the same length). */
function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

/** A PDF text string: literal when plain ASCII, else UTF-16BE with a byte order mark. */
function pdfString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${value.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const utf16 = Buffer.from(`\ufeff${value}`, "utf16le").swap16();
  return `<${utf16.toString("hex").toUpperCase()}>`;
}

function infoDictionary(meta: PdfMetadata): string {
  const date = pdfString(pdfDate(meta.date));
  return [
    `<</Title ${pdfString(meta.title)}`,
    `/Author ${pdfString(meta.author)}`,
    `/Subject ${pdfString(meta.subject)}`,
    `/Keywords ${pdfString(meta.keywords.join(", "))}`,
    `/Creator ${pdfString(meta.creator)}`,
    `/CreationDate ${date}`,
    `/ModDate ${date}>>`,
  ].join("\n");
}

const xml = (value: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 allows no control characters but tab and line breaks.
  value.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

function xmpPacket(meta: PdfMetadata): string {
  const date = meta.date.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>${xml(meta.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.subject)}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>${xml(meta.language)}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>${xml(meta.keywords.join(", "))}</pdf:Keywords>
<xmp:CreatorTool>${xml(meta.creator)}</xmp:CreatorTool>
<xmp:CreateDate>${date}</xmp:CreateDate>
<xmp:ModifyDate>${date}</xmp:ModifyDate>
<xmp:MetadataDate>${date}</xmp:MetadataDate>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>`;
}
