/**
 * The year lock as a file created exclusively in the history folder (`.lock-ÅR`): for one
 * machine (the embedded default, npm start, the CLI).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { takeLockFile } from "./lock-file.js";
import { STALE_AFTER_MS, takeoverNotice, YearBusyError, type YearLock } from "./year-lock.js";

export function localYearLock(dir: string): YearLock {
  return {
    async withLock(year, owner, work, options) {
      await mkdir(dir, { recursive: true });
      const taken = await takeLockFile(join(dir, `.lock-${year}`), owner, {
        staleAfterMs: STALE_AFTER_MS,
        onTakeover: (previous, why) => options?.notice?.(takeoverNotice(year, previous, why)),
      });
      if ("busy" in taken) throw new YearBusyError(year, taken.busy);
      try {
        return await work();
      } finally {
        await taken.release();
      }
    },
  };
}
