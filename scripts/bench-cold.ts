/**
 * One cold start, in a process of its own: loads a module and prints, as JSON, the wall time
 * since the process began and its CPU time. `framework` loads the Functions Framework with
 * the Express it serves through (as it is when it starts); `functions` loads our
 * functions/index.js, which does the same and registers the four functions. Run by bench.ts.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const which = process.argv[2];
const root = process.argv[3]!;
if (which === "framework") {
  await import("@google-cloud/functions-framework");
  createRequire(createRequire(import.meta.url).resolve("@google-cloud/functions-framework"))("express");
} else {
  Object.assign(process.env, { HP_BACKEND: "local", HP_AUTH_DISABLED: "1" });
  await import(pathToFileURL(join(root, "dist", "functions", "index.js")).href);
}
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ wallMs: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000 }));
