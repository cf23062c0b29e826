/**
 * The PDF printer's memory adapter, beside its Chromium one: each print is a small, valid PDF
 * with one page and each chart a one-pixel picture, and the HTML it was given is kept to be
 * looked at. For tests and runs that need the pipeline without Chromium.
 */
import { PDFDocument } from "@cantoo/pdf-lib";
import type { PdfPrinter, PrintOptions, Screenshot } from "./pdf-printer.js";

/** The smallest valid PNG: one white pixel. */
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC", "base64");

export class MemoryPrinter implements PdfPrinter {
  readonly printed: { html: string; options: PrintOptions }[] = [];
  readonly blockedRequests: readonly string[] = [];
  closed = false;

  async print(html: string, options: PrintOptions): Promise<Uint8Array> {
    if (this.closed) throw new Error("the printer is closed");
    this.printed.push({ html, options });
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage([595, 842]);
    return doc.save({ useObjectStreams: false }); // a classic xref table, as Chromium writes
  }

  async screenshots(html: string): Promise<Screenshot[]> {
    if (this.closed) throw new Error("the printer is closed");
    return (html.match(/data-shot/g) ?? []).map(() => ({ png: new Uint8Array(PIXEL), width: 1, height: 1 }));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
