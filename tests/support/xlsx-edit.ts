/**
 * Types text into one cell of an .xlsx by editing its XML, leaving every other byte of the
 * workbook as the program that wrote it left them: for tests that need a mistake at a known
 * cell in a file filled by another program, without re-saving it with exceljs.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";

export function setCellText(bytes: Uint8Array, sheet: string, address: string, text: string): Uint8Array {
  const files = unzipSync(bytes);
  const workbook = strFromU8(files["xl/workbook.xml"]!);
  const escaped = sheet.replace(/&/g, "&amp;");
  const rid = new RegExp(`<sheet\\b[^>]*name="${escaped}"[^>]*r:id="([^"]+)"`).exec(workbook)?.[1] ?? new RegExp(`<sheet\\b[^>]*r:id="([^"]+)"[^>]*name="${escaped}"`).exec(workbook)?.[1];
  const rels = strFromU8(files["xl/_rels/workbook.xml.rels"]!);
  const target = new RegExp(`<Relationship\\b[^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`<Relationship\\b[^>]*Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)?.[1];
  if (!target) throw new Error(`No tab ${sheet}`);
  const name = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
  const xml = strFromU8(files[name]!);
  const cell = new RegExp(`<c r="${address}"([^>]*?)(?:/>|>[\\s\\S]*?</c>)`);
  const m = cell.exec(xml);
  if (!m) throw new Error(`No cell ${address} in ${sheet}`);
  const style = / s="\d+"/.exec(m[1]!)?.[0] ?? "";
  const inline = `<c r="${address}"${style} t="inlineStr"><is><t>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</t></is></c>`;
  files[name] = strToU8(xml.replace(cell, inline));
  return zipSync(files);
}
