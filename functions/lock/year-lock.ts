/**
 * Two runs for the same year never interleave their writes: every entry that writes a year
 * (hp run, hp aggregate, hp import-history, the functions) holds the year's lock from reading
 * to the last write. Adapters: a file in the history folder (one machine), an object in Cloud
 * Storage (every function instance), and memory (tests).
 *
 * A lock left by a run that died is taken over, and the takeover is told: locally at once
 * when the holder's process on this machine is gone, everywhere once the lock is older than
 * STALE_AFTER_MS. That is longer than the longest run a function may take (9 minutes for an
 * event function); a local run refreshes its lock every minute, so a long run keeps it.
 */
import { randomUUID } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { HpError } from "../shared/errors.js";

export const STALE_AFTER_MS = 15 * 60_000;

/** Who holds a lock, as written in it. */
export interface LockHolder {
  /** What runs: "hp run", "runOnDemand (anna@stad.se)". */
  owner: string;
  host: string;
  pid: number;
  /** When the lock was taken, ISO 8601. */
  since: string;
  /** Unique per acquisition: a release or takeover touches only the lock it judged. */
  token: string;
}

export function newHolder(owner: string, now: Date = new Date()): LockHolder {
  return { owner, host: hostname(), pid: process.pid, since: now.toISOString(), token: randomUUID() };
}

/** The holder a lock's text names, or what can be made of text that is not one. */
export function parseHolder(text: string): LockHolder | undefined {
  try {
    const data = JSON.parse(text) as Partial<LockHolder>;
    if (typeof data.owner !== "string") return undefined;
    return {
      owner: data.owner,
      host: typeof data.host === "string" ? data.host : "okänd dator",
      pid: Number.isSafeInteger(data.pid) ? Number(data.pid) : 0,
      since: typeof data.since === "string" ? data.since : "okänd tid",
      token: typeof data.token === "string" ? data.token : "",
    };
  } catch {
    return undefined;
  }
}

const TIME = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", dateStyle: "long", timeStyle: "short" });

/** "hp run av anna (dator-12, process 4711) sedan 23 november 2026 kl. 10:32" */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return "en okänd körning";
  const since = Number.isNaN(Date.parse(holder.since)) ? holder.since : TIME.format(new Date(holder.since));
  const where = holder.pid ? `${holder.host}, process ${holder.pid}` : holder.host;
  return `${holder.owner} (${where}) sedan ${since}`;
}

/** The owner a command-line run writes in the lock: the command and the person running it. */
export function commandOwner(command: string): string {
  // No user entry (some containers): the host and process still say where the run is.
  return `hp ${command} av ${osUser() ?? "okänd användare"}`;
}

/** The name of the person logged in on this computer; undefined where there is no user entry. */
export function osUser(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

/** The owner a run writes in the lock: who or what runs it, and the start of its run id. */
export const runOwner = (who: string, runId: string) => `${who}, körning ${runId.slice(0, 8)}`;

/** Another run holds the year. The edges answer 409 (functions) or exit status 2 (CLI). */
export class YearBusyError extends HpError {
  constructor(
    readonly year: number,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      "busy",
      `En körning för ${year} pågår redan: ${describeHolder(holder)}. Försök igen när den är klar. ` +
        `Ett lås från en körning som avbröts tas över efter ${STALE_AFTER_MS / 60_000} minuter.`,
    );
  }
}

/** Told when a lock left by a run that died is taken over. */
export const takeoverNotice = (year: number, holder: LockHolder | undefined, why: string) =>
  `Låset för ${year} från ${describeHolder(holder)} var övergivet (${why}) och har tagits över.`;

export interface LockOptions {
  /** Told when a stale lock is taken over (a line for the log or the terminal). */
  notice?: (line: string) => void;
}

/** Holds a year's lock while work runs; refuses at once with YearBusyError when another run holds it. */
export interface YearLock {
  withLock<T>(year: number, owner: string, work: () => Promise<T>, options?: LockOptions): Promise<T>;
}

/** Holds several years at once (hp import-history), in ascending order, all or none. */
export async function withYears<T>(lock: YearLock, years: readonly number[], owner: string, work: () => Promise<T>, options?: LockOptions): Promise<T> {
  const [first, ...rest] = [...new Set(years)].sort((a, b) => a - b);
  if (first === undefined) return work();
  return lock.withLock(first, owner, () => withYears(lock, rest, owner, work, options), options);
}

/** The lock in this process's memory: for tests and for a single process. */
export function memoryYearLock(now: () => number = Date.now): YearLock {
  const held = new Map<number, LockHolder>();
  return {
    async withLock(year, owner, work, options) {
      const current = held.get(year);
      if (current && now() - Date.parse(current.since) <= STALE_AFTER_MS) throw new YearBusyError(year, current);
      if (current) options?.notice?.(takeoverNotice(year, current, `äldre än ${STALE_AFTER_MS / 60_000} minuter`));
      const mine = newHolder(owner, new Date(now()));
      held.set(year, mine);
      try {
        return await work();
      } finally {
        if (held.get(year) === mine) held.delete(year);
      }
    },
  };
}
