/**
 * Re-packs an .xlsx (a zip) with one fixed timestamp on every entry and the entries in a fixed
 * order, so that the same content gives the same bytes. exceljs stamps entries with the time
 * of writing, which would make every run's file differ. `edit` may change the entries first.
 */
import type { Zippable } from "fflate";

export async function normaliseZip(data: Uint8Array, date: Date, edit?: (files: Record<string, Uint8Array>) => void): Promise<Uint8Array> {
  const { unzipSync, zipSync } = await import("fflate");
  const files = unzipSync(data);
  edit?.(files);
  // Zip timestamps start in 1980.
  const mtime = date.getTime() < Date.UTC(1980, 0, 2) ? new Date(Date.UTC(1980, 0, 2)) : date;
  const ordered: Zippable = {};
  for (const name of Object.keys(files).sort()) ordered[name] = [files[name]!, { mtime, level: 6 }];
  return zipSync(ordered);
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
