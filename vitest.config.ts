import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two cores: keep parallelism modest so process-heavy tests (servers, PostgreSQL) stay stable.
    maxWorkers: 2,
  },
});
