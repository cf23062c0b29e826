/**
 * The year lock as a file created with O_EXCL (create only if absent) in the history folder:
 * for one machine (the embedded default, npm start, the CLI).
 */
import { open, readFile, rm, stat } from "node:fs/promises";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { STALE_AFTER_MS, YearBusyError, type YearLock } from "./year-lock.js";

/** The lock as a file in a local folder: for one machine (the embedded default, npm start). */
export function localYearLock(dir: string): YearLock {
  return { withLock: (year, owner, work) => withYearLock(dir, year, owner, work) };
}

export async function withYearLock<T>(dir: string, year: number, owner: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `.lock-${year}`);
  await acquire(path, year, owner);
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}

async function acquire(path: string, year: number, owner: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(JSON.stringify({ owner, pid: process.pid, since: new Date().toISOString() }));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > STALE_AFTER_MS) {
        await rm(path, { force: true });
        continue;
      }
      const holder = await readFile(path, "utf8").catch(() => "okänd");
      throw new YearBusyError(year, holder);
    }
  }
  throw new YearBusyError(year, "okänd");
}
