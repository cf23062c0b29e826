/**
 * Preloaded into a measured process (node --import): at exit, writes the process's peak
 * resident memory in kB to the file HP_BENCH_RSS names. Run by bench.ts.
 */
import { writeFileSync } from "node:fs";

const file = process.env.HP_BENCH_RSS;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
