#!/usr/bin/env node
// The `hp` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { main } from "../dist/functions/cli/main.js";

// Output piped to a reader that stopped (hp status | head) is no error of the command's.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
