/**
 * `npm start`: the four Cloud Functions on this machine, on the embedded default (a folder
 * of .xlsx in, out/ for reports; no Google account). Each runs in its own Functions
 * Framework server, as each is its own function in the cloud:
 *   runOnDemand        http://localhost:8080/
 *   validateScheduled  http://localhost:8081/
 *   reportScheduled    http://localhost:8082/
 *   checkFile          http://localhost:8083/
 * Token checks are off here (HP_AUTH_DISABLED=1), which the configuration refuses in the cloud.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../functions/shared/paths.js";
import { EXAMPLE_YEAR } from "./example-data.js";

// The framework's own command (its package exports no path to it).
const framework = join(projectRoot(), "node_modules", "@google-cloud", "functions-framework", "build", "src", "main.js");
const source = join(projectRoot(), "dist", "functions", "index.js");
const targets = [
  { target: "runOnDemand", port: 8080, type: "http" },
  { target: "validateScheduled", port: 8081, type: "cloudevent" },
  { target: "reportScheduled", port: 8082, type: "cloudevent" },
  { target: "checkFile", port: 8083, type: "http" },
];
// The bundled example workbooks are for the example year; a later year opened in the catalogue
// would find none of them. HP_YEAR in the environment still decides.
const env = { HP_AUTH_DISABLED: "1", HP_YEAR: String(EXAMPLE_YEAR), ...process.env };
const children = targets.map(({ target, port, type }) => {
  const child = spawn(process.execPath, [framework, `--target=${target}`, `--port=${port}`, `--signature-type=${type}`, `--source=${source}`], {
    env,
    stdio: "inherit",
  });
  console.log(`${target.padEnd(18)} http://localhost:${port}/`);
  return child;
});
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
