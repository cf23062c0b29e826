/**
 * One function of functions/index.js served on this machine, as `npm start` runs each: the
 * Functions Framework's own server for it (the same Express app as in the cloud), listening on
 * 127.0.0.1 unless HP_LISTEN names another address. Run by start.ts.
 *
 *   node serve-function.js TARGET PORT
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "../functions/shared/paths.js";

const [target, port] = process.argv.slice(2) as [string, string];
const host = process.env.HP_LISTEN || "127.0.0.1";
await import(pathToFileURL(join(projectRoot(), "dist", "functions", "index.js")).href);
const { getTestServer } = await import("@google-cloud/functions-framework/testing");
const server = getTestServer(target);
server.listen(Number(port), host);
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
