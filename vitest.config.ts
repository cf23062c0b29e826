import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["dist/**", "node_modules/**"],
    // Generous: a loaded machine is slow, never wrong. Tests wait for events, not for time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ["tests/global-setup.ts"],
    // The JSON report gives .ci/run its "N passed, N failed" line.
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
