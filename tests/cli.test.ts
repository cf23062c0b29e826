import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const run = promisify(execFile);

describe("the hp command as installed (bin/hp.js over the compiled code)", () => {
  it("prints Swedish help and exits 0", async () => {
    const { stdout } = await run("node", [join(ROOT, "bin", "hp.js"), "--help"]);
    expect(stdout).toContain("Användning: hp KOMMANDO [flaggor]");
    expect(stdout).toMatch(/template\s+Skapa mallen/);
    expect(stdout).toMatch(/validate\s+Kontrollera ifyllda arbetsböcker/);
  });

  it("exits 2 with a Swedish message and no stack trace on an unknown command", async () => {
    const error = await run("node", [join(ROOT, "bin", "hp.js"), "publish"]).catch((e) => e);
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/^Okänt kommando "publish"\./);
    expect(error.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
