/**
 * The shape of the code, held by a test: folders follow the data and import only downward,
 * no source file grows past 400 lines, and only the two edges read the environment.
 */
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const FUNCTIONS = join(ROOT, "functions");

/**
 * Layers from the bottom up. A file may import from its own layer and the ones below it,
 * never from above. Ports live with their lowest user; adapters that need Google sit in
 * google/, above what they adapt.
 */
const LAYERS: string[][] = [
  ["shared"],
  ["model", "lock"],
  ["catalogue", "workbook"],
  ["normalise", "history"],
  ["template"],
  ["submission"],
  ["validate"],
  ["aggregate"],
  ["report", "imports"],
  ["render", "output"],
  ["google"],
  ["pipeline", "reminders"],
  ["wiring"],
  ["cli", "cloud"],
  ["web"],
  ["."],
];
const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

/** The top folder under functions/ ("." for functions/index.ts). */
const folderOf = (file: string) => relative(FUNCTIONS, file).split("/").slice(0, -1)[0] ?? ".";

describe("the architecture", () => {
  it("knows the layer of every folder under functions/", async () => {
    const folders = new Set((await sources(FUNCTIONS)).map(folderOf));
    for (const folder of folders) expect(layerOf(folder), `${folder} has no layer`).toBeGreaterThanOrEqual(0);
  });

  it("imports only from the same layer or below", async () => {
    const wrong: string[] = [];
    for (const file of await sources(FUNCTIONS)) {
      const text = await readFile(file, "utf8");
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
        const target = resolve(dirname(file), spec!);
        const [from, to] = [folderOf(file), folderOf(target)];
        if (layerOf(to) > layerOf(from)) wrong.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has no import circles, not even through types", async () => {
    const files = await sources(FUNCTIONS);
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const text = await readFile(file, "utf8");
      const deps = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => resolve(dirname(file), m[1]!).replace(/\.js$/, ".ts"));
      graph.set(file, deps.filter((d) => files.includes(d)));
    }
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, "open");
      path.push(file);
      for (const dep of graph.get(file)!) {
        if (state.get(dep) === "open") circles.push([...path.slice(path.indexOf(dep)), dep].map((f) => relative(FUNCTIONS, f)).join(" → "));
        else if (!state.has(dep)) visit(dep);
      }
      path.pop();
      state.set(file, "done");
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(circles).toEqual([]);
  });

  it("keeps every source file under 400 lines", async () => {
    const long: string[] = [];
    for (const file of await sources(FUNCTIONS)) {
      const lines = (await readFile(file, "utf8")).split("\n").length;
      if (lines > 400) long.push(`${relative(ROOT, file)}: ${lines}`);
    }
    expect(long).toEqual([]);
  });

  it("has every file under functions/ in the README's tree, and nothing else", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const block = readme.slice(readme.indexOf("## Arkitektur")).split("```")[1]!;
    const named: string[] = [];
    const path: string[] = [];
    let inside = false;
    for (const line of block.split("\n")) {
      const match = /^( *)(\S+)/.exec(line);
      if (!match) continue;
      const depth = match[1]!.length / 2;
      const name = match[2]!;
      if (depth === 0) {
        inside = name === "functions/";
        continue;
      }
      if (!inside) continue;
      path.length = depth - 1;
      if (name.endsWith("/")) path.push(name.slice(0, -1));
      else named.push([...path, name].join("/"));
    }
    const files = (await sources(FUNCTIONS)).map((f) => relative(FUNCTIONS, f));
    expect(named.sort()).toEqual(files.sort());
  });

  it("reads the environment only at the two edges", async () => {
    const readers: string[] = [];
    for (const file of await sources(FUNCTIONS)) {
      if (/process\.env\b/.test(await readFile(file, "utf8"))) readers.push(relative(ROOT, file));
    }
    // The functions' edge is handlers.ts, which index.ts loads on the first call.
    expect(readers.sort()).toEqual(["functions/cli/main.ts", "functions/handlers.ts"]);
  });
});
