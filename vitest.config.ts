import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/lint/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // An unexpected console.error fails the test that logged it.
    setupFiles: ["tests/setup/console-error.ts"],
  },
});
