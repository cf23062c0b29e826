/**
 * Runs that never mix, tried as a crash and a second user would: real `hp` processes on the
 * example data, killed with SIGKILL at each stage, and started twice at once. After every
 * kill the year's folder shows one whole set – the old or the new – that agrees with the
 * history in force, no Chromium of the killed run is left, and a re-run with the same input
 * and date gives the same bytes as before.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, readlink } from "node:fs/promises";
import { platform, tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalHistoryStore } from "../functions/history/local-store.js";
import { processAlive } from "../functions/shared/process-alive.js";
import { EXAMPLES, ROOT, tempDir } from "./helpers.js";

const HP = join(ROOT, "bin", "hp.js");
const EPOCH = "1771000000";

interface Started {
  child: ChildProcess;
  out: string[];
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function start(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [HP, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out: string[] = [];
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString();
    out.push(...c.toString().split("\n"));
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, out, done };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Väntade förgäves på ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every file of the year's current set, by name, with its hash. */
async function currentSet(out: string): Promise<Map<string, string>> {
  const dir = join(out, "2025");
  const files = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) await walk(path);
      else files.set(relative(dir, path), createHash("sha256").update(await readFile(path)).digest("hex"));
    }
  };
  await walk(dir);
  return files;
}

/** Processes still alive whose command line names the given run's Chromium profile. */
async function chromiumOf(pid: number): Promise<number[]> {
  const alive: number[] = [];
  for (const p of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(p)) continue;
    const [cmd, stat] = await Promise.all([readFile(`/proc/${p}/cmdline`, "utf8").catch(() => ""), readFile(`/proc/${p}/stat`, "utf8").catch(() => "")]);
    if (cmd.includes(`hp-chromium/${pid}-`) && !/\) [ZX] /.test(stat)) alive.push(Number(p));
  }
  return alive;
}

const ALL_FILES = 22;
const linux = platform() === "linux";

describe.skipIf(!linux)("runs that never mix (real hp processes)", () => {
  it("refuses a second run while one runs; leaves the old set or the new, agreeing with history, and no Chromium, when killed at any stage", async () => {
    const dir = await tempDir();
    const [out, history] = [join(dir, "ut"), join(dir, "historik")];
    const args = ["--input", EXAMPLES, "--year", "2025", "--out", out, "--history-dir", history];
    const run = (epoch: string) => start(["run", ...args], { SOURCE_DATE_EPOCH: epoch });

    // While the first run holds the year, another is refused, naming the one that runs.
    const running = run(EPOCH);
    await until(async () => (await readdir(history).catch(() => [] as string[])).includes(".lock-2025"), "låset");
    const second = await start(["aggregate", ...args]).done;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^En körning för 2025 pågår redan: hp run av .+, körning [0-9a-f]{8} \(.+, process \d+\) sedan .+\. Försök igen när den är klar\./);
    const first = await running.done;
    expect(first.code, first.stderr).toBe(1); // Skarpnäck's deliberate errors
    const old = await currentSet(out);
    expect(old.size).toBe(ALL_FILES);
    const store = new LocalHistoryStore(history);
    expect(await store.previous(2025)).toEqual([]);
    expect(basename(await readlink(join(out, "2025")))).toContain((await store.read(2025))!.runId!);

    // Killed while the workbooks are read, while the figures and the Excel report are written,
    // and after the board paper and some districts' pages are in the new set but not all.
    for (const stage of ["1/3 Kontroll", "2/3 Sammanställning", "Farsta klar"]) {
      // Another date: the new set's bytes differ from the old in every file.
      const killed = run("1772000000");
      await until(() => killed.out.some((line) => line.includes(stage)), stage);
      killed.child.kill("SIGKILL");
      await killed.done;
      const now = await currentSet(out);
      const pointer = basename(await readlink(join(out, "2025")));
      expect(pointer, stage).toContain((await store.read(2025))!.runId!);
      expect([...now.keys()].sort(), stage).toEqual([...old.keys()].sort());
      expect(now, stage).toEqual(old); // killed before it was made current: the old set, whole
      await until(async () => (await chromiumOf(killed.child.pid!)).length === 0, `att Chromium för ${stage} avslutas`, 10_000);
    }

    // The next run takes over the dead run's lock, says so, and with the first run's input and
    // date gives the very same bytes, PDFs included.
    const again = await run(EPOCH).done;
    expect(again.code, again.stderr).toBe(1);
    expect(again.stderr).toMatch(/var övergivet \(processen finns inte längre\) och har tagits över/);
    expect(await currentSet(out)).toEqual(old);
    expect((await store.previous(2025)).length).toBe(1);
    // The killed runs' Chromium profiles are gone with them.
    const profiles = await readdir(join(tmpdir(), "hp-chromium")).catch(() => [] as string[]);
    expect(profiles.filter((p) => !processAlive(Number(p.split("-")[0])))).toEqual([]);
  }, 240_000);
});
