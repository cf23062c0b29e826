/**
 * One temporary folder for the whole test run, removed when it ends, however the tests went:
 * every test's tempDir() is made inside it, so `npm test` leaves nothing behind in the system's
 * temp folder.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    tempRoot: string;
  }
}

export default async function setup(project: TestProject) {
  const root = await mkdtemp(join(tmpdir(), "hp-test-"));
  project.provide("tempRoot", root);
  return async () => {
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
