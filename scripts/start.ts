/**
 * `npm start`: the five Cloud Functions on this machine, on the embedded default (a folder
 * of .xlsx in, out/ for reports; no Google account). Each runs in its own Functions
 * Framework server, as each is its own function in the cloud:
 *   runOnDemand        http://localhost:8080/
 *   validateScheduled  http://localhost:8081/
 *   reportScheduled    http://localhost:8082/
 *   checkFile          http://localhost:8083/
 *   remindScheduled    http://localhost:8084/
 * Token checks are off here (HP_AUTH_DISABLED=1), which the configuration refuses in the cloud,
 * so the functions listen on 127.0.0.1 only (HP_LISTEN=0.0.0.0 opens them to the network, for
 * example in a container) and answer only requests addressed to localhost (HP_HOSTS adds names).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../functions/shared/paths.js";
import { EXAMPLE_YEAR } from "./example-data.js";

const serve = join(projectRoot(), "dist", "scripts", "serve-function.js");
const targets = [
  { target: "runOnDemand", port: 8080 },
  { target: "validateScheduled", port: 8081 },
  { target: "reportScheduled", port: 8082 },
  { target: "checkFile", port: 8083 },
  { target: "remindScheduled", port: 8084 },
];
// The bundled example workbooks are for the example year; a later year opened in the catalogue
// would find none of them. HP_YEAR in the environment still decides.
const env = { HP_AUTH_DISABLED: "1", HP_YEAR: String(EXAMPLE_YEAR), ...process.env };
const children = targets.map(({ target, port }) => {
  const child = spawn(process.execPath, [serve, target, String(port)], { env, stdio: "inherit" });
  console.log(`${target.padEnd(18)} http://localhost:${port}/`);
  return child;
});
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
