/**
 * Runs one command as a child and prints, as JSON, its wall time and the CPU time of the whole
 * process tree it made (Chromium and its helpers included): the CPU of every waited-for
 * descendant, read from this process's own /proc/self/stat (cutime and cstime) after the child
 * has ended. Linux only; elsewhere cpuMs is null. Run by bench.ts.
 *
 *   node bench-process.js COMMAND ARG...
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";

const [command, ...args] = process.argv.slice(2) as [string, ...string[]];

/** CPU seconds of this process's waited-for children, in ms; null where /proc is not there. */
async function childrenCpuMs(): Promise<number | null> {
  try {
    const stat = await readFile("/proc/self/stat", "utf8");
    // Fields after the command name in parentheses; cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

const before = await childrenCpuMs();
const started = performance.now();
const code = await new Promise<number | null>((resolve) => {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
  child.on("close", resolve);
});
const wallMs = performance.now() - started;
const after = await childrenCpuMs();
process.stdout.write(JSON.stringify({ code, wallMs, cpuMs: before === null || after === null ? null : after - before }));
