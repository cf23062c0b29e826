/**
 * The year lock as an object in Cloud Storage, shared by every function instance: created
 * only if absent (ifGenerationMatch: 0), released only if it is still ours, and a stale one
 * taken over by generation.
 */
import type { Bucket } from "@google-cloud/storage";
import { storageStatus as status } from "../shared/gcs-bucket.js";
import { STALE_AFTER_MS, YearBusyError, type YearLock } from "./year-lock.js";

/** The year's lock as an object created only if absent; a stale one is taken over by generation. */
export function gcsYearLock(bucket: Bucket): YearLock {
  return {
    async withLock(year, owner, work) {
      const file = bucket.file(`lås/${year}`);
      const body = JSON.stringify({ owner, since: new Date().toISOString() });
      let generation: number | undefined;
      for (let attempt = 0; attempt < 2 && generation === undefined; attempt++) {
        try {
          await file.save(body, { resumable: false, validation: "md5", contentType: "application/json", preconditionOpts: { ifGenerationMatch: 0 } });
          generation = Number((await file.getMetadata())[0].generation);
        } catch (error) {
          if (status(error) !== 412) throw error;
          const [metadata] = await file.getMetadata();
          const age = Date.now() - new Date(metadata.timeCreated ?? Date.now()).getTime();
          if (age <= STALE_AFTER_MS) throw new YearBusyError(year, (await file.download())[0].toString());
          await file.delete({ ifGenerationMatch: Number(metadata.generation) }).catch(() => undefined);
        }
      }
      if (generation === undefined) throw new YearBusyError(year, "okänd");
      try {
        return await work();
      } finally {
        await file.delete({ ifGenerationMatch: generation }).catch(() => undefined);
      }
    },
  };
}
