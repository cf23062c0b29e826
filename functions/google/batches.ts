/**
 * Sheets requests in batches with headroom: Google advises keeping a request under 2 MB, and a
 * template with many units is more. Requests are sent in order in batches of at most
 * MAX_BATCH_BYTES of JSON each; an updateCells larger than that is cut into runs of rows, each
 * starting where the last ended. Order is kept, so a later request (a protection, a size) still
 * finds what an earlier one made.
 */
import type { sheets_v4 } from "@googleapis/sheets";

/** Half of Google's advised 2 MB: room for the envelope and for the catalogue to grow. */
export const MAX_BATCH_BYTES = 1_000_000;

const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** The requests, in order, in batches under `max` bytes each. */
export function inBatches(requests: readonly sheets_v4.Schema$Request[], max = MAX_BATCH_BYTES): sheets_v4.Schema$Request[][] {
  const batches: sheets_v4.Schema$Request[][] = [];
  let current: sheets_v4.Schema$Request[] = [];
  let bytes = 0;
  const push = (request: sheets_v4.Schema$Request) => {
    const n = size(request) + 1;
    if (current.length > 0 && bytes + n > max) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(request);
    bytes += n;
  };
  for (const request of requests) {
    if (size(request) <= max || !request.updateCells?.rows || !request.updateCells.start) push(request);
    else for (const part of splitRows(request.updateCells, max)) push({ updateCells: part });
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** An updateCells from a start cell, as several, each with as many rows as fit under `max`. */
function splitRows(update: sheets_v4.Schema$UpdateCellsRequest, max: number): sheets_v4.Schema$UpdateCellsRequest[] {
  const rows = update.rows ?? [];
  const start = update.start!;
  const parts: sheets_v4.Schema$UpdateCellsRequest[] = [];
  let from = 0;
  while (from < rows.length) {
    let to = from;
    let bytes = size({ ...update, rows: [] });
    while (to < rows.length && (to === from || bytes + size(rows[to]) + 1 <= max)) bytes += size(rows[to++]) + 1;
    parts.push({ ...update, start: { ...start, rowIndex: (start.rowIndex ?? 0) + from }, rows: rows.slice(from, to) });
    from = to;
  }
  return parts;
}
