/**
 * Two runs for the same year never interleave their writes: a run holds the year's lock from
 * reading to the last write. Adapters: a file in the history folder (one machine), an object
 * in Cloud Storage (every function instance), and memory (tests). A lock older than the
 * longest run a function may take (9 minutes for an event function, so 15 is safe) is stale
 * and taken over.
 */
import { HpError } from "../shared/errors.js";

export const STALE_AFTER_MS = 15 * 60_000;

/** Another run holds the year. The edges answer 409 (functions) or exit status 2 (CLI). */
export class YearBusyError extends HpError {
  constructor(
    readonly year: number,
    holder: string,
  ) {
    super("busy", `En körning för ${year} pågår redan (${holder}). Försök igen när den är klar.`);
  }
}

/** Holds a year's lock while work runs; refuses with YearBusyError when another run holds it. */
export interface YearLock {
  withLock<T>(year: number, owner: string, work: () => Promise<T>): Promise<T>;
}

/** The lock in this process's memory: for tests and for a single process. */
export function memoryYearLock(now: () => number = Date.now): YearLock {
  const held = new Map<number, { owner: string; since: number }>();
  return {
    async withLock(year, owner, work) {
      const current = held.get(year);
      if (current && now() - current.since <= STALE_AFTER_MS) {
        throw new YearBusyError(year, JSON.stringify({ owner: current.owner, since: new Date(current.since).toISOString() }));
      }
      const mine = { owner, since: now() };
      held.set(year, mine);
      try {
        return await work();
      } finally {
        if (held.get(year) === mine) held.delete(year);
      }
    },
  };
}
