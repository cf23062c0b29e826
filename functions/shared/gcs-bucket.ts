/**
 * A Cloud Storage bucket, from the client loaded on first use, for the history store and the
 * year lock. `apiEndpoint` points at another endpoint than Google's (tests, emulators).
 */
import type { Bucket, Storage } from "@google-cloud/storage";

export async function gcsBucket(name: string, apiEndpoint?: string): Promise<Bucket> {
  const { Storage } = await import("@google-cloud/storage");
  const storage: Storage = apiEndpoint ? new Storage({ apiEndpoint, projectId: "lokal" }) : new Storage();
  return storage.bucket(name);
}

/** The HTTP status of a Cloud Storage error (404, 412 …). */
export const storageStatus = (error: unknown) => (error as { code?: number }).code;
