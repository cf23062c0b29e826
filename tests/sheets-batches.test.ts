/**
 * Sheets requests with headroom: the template and the write-back go out in ordered batches
 * under 1 MB, and the cells they write are the same as one big request would write.
 */
import fc from "fast-check";
import type { sheets_v4 } from "@googleapis/sheets";
import { describe, expect, it } from "vitest";
import { inBatches, MAX_BATCH_BYTES } from "../functions/google/batches.js";
import { templateRequests } from "../functions/google/create-spreadsheet.js";
import { buildSpreadsheet } from "../functions/google/write-template-sheets.js";
import { context } from "./helpers.js";

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/** The cells a list of requests writes, by sheet, row and column. */
function written(requests: sheets_v4.Schema$Request[]): Map<string, string> {
  const cells = new Map<string, string>();
  for (const r of requests) {
    const u = r.updateCells;
    if (!u?.start) continue;
    for (const [i, row] of (u.rows ?? []).entries()) {
      for (const [j, value] of (row.values ?? []).entries()) cells.set(`${u.start.sheetId}|${(u.start.rowIndex ?? 0) + i}|${(u.start.columnIndex ?? 0) + j}`, JSON.stringify(value));
    }
  }
  return cells;
}

describe("Sheets requests in batches", () => {
  it("sends the city's template in batches under 1 MB that write the very same cells, in order", async () => {
    const { yc, definition, history } = await context();
    const requests = templateRequests(buildSpreadsheet({ yc, definition, history, editors: {}, projectLeaders: ["pl@stad.example"], serviceAccount: "sa@hp.iam.gserviceaccount.com" }));
    const batches = inBatches(requests);
    for (const batch of batches) expect(bytes({ requests: batch })).toBeLessThan(MAX_BATCH_BYTES + 1024);
    expect(written(batches.flat())).toEqual(written(requests));
    // Order kept: the properties first, the tabs before their cells, the default tab deleted after the new ones are added.
    const kinds = batches.flat().map((r) => Object.keys(r)[0]);
    expect(kinds[0]).toBe("updateSpreadsheetProperties");
    expect(kinds.lastIndexOf("addSheet")).toBeLessThan(kinds.indexOf("deleteSheet"));
    expect(kinds.indexOf("deleteSheet")).toBeLessThan(kinds.indexOf("updateCells"));
  });

  it("cuts any update too large for one batch into runs of rows, none lost, none twice", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(400), { minLength: 1, maxLength: 60 }), fc.integer({ min: 2_000, max: 20_000 }), (lengths, max) => {
        const rows = lengths.map((n, i) => ({ values: [{ note: `${i}:${"x".repeat(n)}` }] }));
        const requests: sheets_v4.Schema$Request[] = [{ updateCells: { start: { sheetId: 7, rowIndex: 3, columnIndex: 1 }, rows, fields: "note" } }];
        const batches = inBatches(requests, max);
        expect(written(batches.flat())).toEqual(written(requests));
        for (const batch of batches) if (batch.length > 1) expect(bytes(batch)).toBeLessThanOrEqual(max + 2);
      }),
    );
  });
});
