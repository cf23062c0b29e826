/**
 * A Cloud Storage bucket, from the client loaded on first use, for the history store and the
 * year lock. `apiEndpoint` points at another endpoint than Google's (tests, emulators).
 */
import type { Bucket, File, Storage } from "@google-cloud/storage";

export async function gcsBucket(name: string, apiEndpoint?: string): Promise<Bucket> {
  const { Storage } = await import("@google-cloud/storage");
  const storage: Storage = apiEndpoint ? new Storage({ apiEndpoint, projectId: "lokal" }) : new Storage();
  return storage.bucket(name);
}

/** The HTTP status of a Cloud Storage error (404, 412 …). */
export const storageStatus = (error: unknown) => (error as { code?: number }).code;

/**
 * Writes JSON text to an object only if its generation is still `generation` (0: only if
 * absent); refused with 412 otherwise. The client retries a write whose answer was lost, and
 * the retry then meets its own first attempt (412): an object holding exactly this text is
 * that attempt, so the write went through. The text must be unique to the writer (a run id, a
 * random token), as every caller's is.
 */
export async function saveIfGeneration(file: File, text: string, generation: number): Promise<void> {
  try {
    await file.save(text, { resumable: false, validation: "md5", contentType: "application/json", preconditionOpts: { ifGenerationMatch: generation } });
  } catch (error) {
    if (storageStatus(error) !== 412) throw error;
    const [now] = await file.download().catch(() => [undefined]);
    if (now?.toString("utf8") !== text) throw error;
  }
}
