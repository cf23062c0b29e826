/**
 * A lock as a file created only if absent (O_EXCL), holding who took it. Used for the year
 * lock in the history folder and for the history store's short write section.
 *
 * A lock is abandoned when the process that holds it on this machine is gone, when it is
 * older than the caller's limit (a holder refreshes it every minute), or when it never got
 * its content (a crash between creating and writing it). Taking over moves the abandoned file
 * aside first and checks that it moved the very lock it judged, so two processes taking over
 * at once cannot both win; the holder removes the lock on release only if it is still its own.
 */
import { open, readFile, rename, rm, stat, utimes, link } from "node:fs/promises";
import { hostname } from "node:os";
import { processAlive } from "../shared/process-alive.js";
import { type LockHolder, newHolder, parseHolder } from "./year-lock.js";

const HEARTBEAT_MS = 60_000;
/** A lock file without content older than this was left by a crash while it was made. */
const UNWRITTEN_AFTER_MS = 60_000;

export interface HeldLockFile {
  holder: LockHolder;
  release(): Promise<void>;
}

export interface LockFileOptions {
  /** Older than this (since the holder last refreshed it), a lock is abandoned. */
  staleAfterMs: number;
  /** Told when an abandoned lock is taken over. */
  onTakeover?: (previous: LockHolder | undefined, why: string) => void;
}

/** Takes the lock, or answers who has it. */
export async function takeLockFile(path: string, owner: string, options: LockFileOptions): Promise<HeldLockFile | { busy: LockHolder | undefined }> {
  let busy: LockHolder | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    const mine = newHolder(owner);
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      return held(path, mine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const found = await readLock(path);
    if (!found) continue; // released in between: try again
    busy = parseHolder(found.text);
    const why = abandoned(busy, found);
    if (!why) return { busy };
    if (await moveAside(path, found.text, mine.token)) options.onTakeover?.(busy, why);
  }
  return { busy };

  function abandoned(holder: LockHolder | undefined, found: { text: string; mtimeMs: number }): string | undefined {
    const age = Date.now() - found.mtimeMs;
    if (!holder) return age > UNWRITTEN_AFTER_MS ? "låsfilen saknar innehåll" : undefined;
    if (holder.host === hostname() && holder.pid > 0 && !processAlive(holder.pid)) return "processen finns inte längre";
    if (age > options.staleAfterMs) return `inte förnyat på ${Math.round(options.staleAfterMs / 60_000)} minuter`;
    return undefined;
  }
}

async function readLock(path: string): Promise<{ text: string; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    return { text, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Moves the judged lock aside; if another process had replaced it meanwhile, puts that one back. */
async function moveAside(path: string, judged: string, token: string): Promise<boolean> {
  const aside = `${path}.övergivet-${token}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  const moved = await readFile(aside, "utf8").catch(() => "");
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
  return moved === judged;
}

function held(path: string, holder: LockHolder): HeldLockFile {
  const heartbeat = setInterval(() => {
    const now = new Date();
    void utimes(path, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    holder,
    async release() {
      clearInterval(heartbeat);
      const text = await readFile(path, "utf8").catch(() => "");
      if (parseHolder(text)?.token === holder.token) await rm(path, { force: true });
    },
  };
}
