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
