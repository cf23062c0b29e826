import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["dist/**", "node_modules/**"],
    testTimeout: 30_000,
    // The JSON report gives .ci/run its "N passed, N failed" line.
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
