/**
 * The year lock as an object in Cloud Storage, shared by every function instance: created
 * only if absent (ifGenerationMatch: 0), released only if it is still ours, and a stale one
 * taken over by generation, so two instances taking over at once cannot both win. A write
 * retried after its answer was lost is not taken for another run's lock (saveIfGeneration).
 */
import type { Bucket } from "@google-cloud/storage";
import { saveIfGeneration, storageStatus as status } from "../shared/gcs-bucket.js";
import { newHolder, parseHolder, STALE_AFTER_MS, takeoverNotice, YearBusyError, type YearLock } from "./year-lock.js";

export function gcsYearLock(bucket: Bucket): YearLock {
  return {
    async withLock(year, owner, work, options) {
      const file = bucket.file(`lås/${year}`);
      const body = JSON.stringify(newHolder(owner));
      let generation: number | undefined;
      for (let attempt = 0; attempt < 3 && generation === undefined; attempt++) {
        try {
          await saveIfGeneration(file, body, 0);
          generation = Number((await file.getMetadata())[0].generation);
        } catch (error) {
          if (status(error) !== 412) throw error;
          const seen = await current(file);
          if (!seen) continue; // released in between
          const age = Date.now() - seen.created;
          if (age <= STALE_AFTER_MS) throw new YearBusyError(year, seen.holder);
          try {
            await file.delete({ ifGenerationMatch: seen.generation });
            options?.notice?.(takeoverNotice(year, seen.holder, `äldre än ${STALE_AFTER_MS / 60_000} minuter`));
          } catch {
            // Another instance took it over first; the next attempt sees its lock.
          }
        }
      }
      if (generation === undefined) throw new YearBusyError(year, undefined);
      try {
        return await work();
      } finally {
        await file.delete({ ifGenerationMatch: generation }).catch(() => undefined);
      }
    },
  };
}

async function current(file: import("@google-cloud/storage").File) {
  try {
    const [metadata] = await file.getMetadata();
    const generation = Number(metadata.generation);
    const [data] = await file.bucket.file(file.name, { generation }).download();
    return { generation, created: new Date(metadata.timeCreated ?? Date.now()).getTime(), holder: parseHolder(data.toString("utf8")) };
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}
