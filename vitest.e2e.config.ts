import { defineConfig } from "vitest/config";

/**
 * Server and browser tests against the build. Every file starts its own server (own port, own
 * data folder) and its own browser, so two files run side by side; more would only make each
 * slower on a 2-core machine. The timeouts stop a test that hangs: no test waits on a clock,
 * each waits for a condition, and the page crawl is one test per page.
 */
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
  },
});
