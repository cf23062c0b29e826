/** Reads a PDF as a person's tools would: the text of each page, and its metadata. */
import { PDFBool, PDFDict, PDFDocument, PDFName, PDFRawStream } from "@cantoo/pdf-lib";

export async function pdfPages(data: Uint8Array): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  }
  await doc.destroy();
  return pages;
}

export async function pdfInfo(data: Uint8Array) {
  const doc = await PDFDocument.load(data, { updateMetadata: false });
  const catalog = doc.catalog;
  const markInfo = catalog.lookupMaybe(PDFName.of("MarkInfo"), PDFDict);
  return {
    title: doc.getTitle(),
    author: doc.getAuthor(),
    language: catalog.lookup(PDFName.of("Lang"))?.toString(),
    tagged: catalog.has(PDFName.of("StructTreeRoot")) && String(markInfo?.get(PDFName.of("Marked"))) === "true",
    outlines: catalog.has(PDFName.of("Outlines")),
    pages: doc.getPageCount(),
    displayDocTitle: catalog.lookupMaybe(PDFName.of("ViewerPreferences"), PDFDict)?.get(PDFName.of("DisplayDocTitle")) === PDFBool.True,
    /** The XMP metadata stream, as text. */
    xmp: (() => {
      const stream = catalog.lookup(PDFName.of("Metadata"));
      return stream instanceof PDFRawStream ? Buffer.from(stream.getContents()).toString("utf8") : undefined;
    })(),
  };
}

/** The tagged structure's table-header ids: each element's /ID, the /IDTree's names in order, every cell's /Headers. */
export async function pdfHeaderIds(data: Uint8Array) {
  const { PDFArray, PDFHexString, PDFString } = await import("@cantoo/pdf-lib");
  const doc = await PDFDocument.load(data, { updateMetadata: false });
  const text = (o: unknown) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);
  const ids: string[] = [];
  const headers: string[] = [];
  for (const [, o] of doc.context.enumerateIndirectObjects()) {
    if (!(o instanceof PDFDict) || o.get(PDFName.of("Type")) !== PDFName.of("StructElem")) continue;
    const id = text(o.get(PDFName.of("ID")));
    if (id) ids.push(id);
    const attributes = o.lookup(PDFName.of("A"));
    for (const a of attributes instanceof PDFArray ? attributes.asArray().map((x) => doc.context.lookup(x)) : [attributes]) {
      const list = a instanceof PDFDict ? a.lookup(PDFName.of("Headers")) : undefined;
      if (list instanceof PDFArray) headers.push(...list.asArray().flatMap((h) => text(h) ?? []));
    }
  }
  const root = doc.catalog.lookup(PDFName.of("StructTreeRoot"), PDFDict);
  const names: string[] = [];
  const walk = (node: unknown) => {
    if (!(node instanceof PDFDict)) return;
    const list = node.lookup(PDFName.of("Names"));
    if (list instanceof PDFArray) for (const [i, n] of list.asArray().entries()) if (i % 2 === 0) names.push(text(n) ?? "");
    const kids = node.lookup(PDFName.of("Kids"));
    if (kids instanceof PDFArray) for (const k of kids.asArray()) walk(doc.context.lookup(k));
  };
  walk(root.lookup(PDFName.of("IDTree")));
  return { ids, names, headers };
}