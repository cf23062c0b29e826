/**
 * Re-packs an .xlsx (a zip) with one fixed timestamp on every entry and the entries in a fixed
 * order, so that the same content gives the same bytes. exceljs stamps entries with the time
 * of writing, which would make every run's file differ. `edit` may change the entries first.
 */
export async function normaliseZip(data: Uint8Array, date: Date, edit?: (files: Record<string, Uint8Array>) => void): Promise<Uint8Array> {
  const [{ unzipSync }, { ZipFile }] = await Promise.all([import("fflate"), import("yazl")]);
  const files = unzipSync(data);
  edit?.(files);
  // Zip timestamps start in 1980.
  const mtime = date.getTime() < Date.UTC(1980, 0, 2) ? new Date(Date.UTC(1980, 0, 2)) : date;
  // yazl deflates with Node's own zlib, off the main thread, each entry at level 6; DOS
  // timestamps only, so nothing but the content and the one date goes into the bytes.
  const zip = new ZipFile();
  // Folder entries (jszip writes them) carry nothing: the parts' names say their folders.
  for (const name of Object.keys(files).filter((n) => !n.endsWith("/")).sort()) {
    const bytes = files[name]!;
    zip.addBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name, { mtime, compressionLevel: 6, forceDosTimestamp: true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * An exceljs workbook as deterministic .xlsx bytes, compressed once: exceljs packs its entries
 * uncompressed (STORE) and normaliseZip deflates them, instead of deflating, inflating and
 * deflating again.
 */
export async function workbookBytes(
  wb: { xlsx: { writeBuffer(options?: { zip?: { compression?: "STORE" | "DEFLATE" } }): Promise<ArrayBuffer | Uint8Array> } },
  date: Date,
  edit?: (files: Record<string, Uint8Array>) => void,
): Promise<Uint8Array> {
  const stored = await wb.xlsx.writeBuffer({ zip: { compression: "STORE" } });
  return normaliseZip(new Uint8Array(stored), date, edit);
}
