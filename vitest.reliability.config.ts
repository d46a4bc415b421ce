import { defineConfig } from "vitest/config";

/**
 * `npm run test:reliability`: kills, stops, a full disk, backups under load and a load test,
 * against the build in dist/. One file at a time: they measure, and they load the machine.
 * Each test waits on conditions with its own deadlines; the timeout here is only a backstop.
 */
export default defineConfig({
  test: {
    include: ["tests/reliability/**/*.rel.ts"],
    environment: "node",
    globalSetup: ["tests/reliability/global-setup.ts"],
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
