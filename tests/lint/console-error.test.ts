/**
 * The guard in tests/setup/console-error.ts bites: a test that logs console.error without
 * expecting it fails, one that spies on console.error passes (issue 28, item 12).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

it("fails a test that logs console.error unless the test expects it", () => {
  const out = join(tmpdir(), `matwise-console-guard-${process.pid}.json`);
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules", "vitest", "vitest.mjs"),
      "run",
      "-c",
      join(ROOT, "tests", "setup", "fixtures", "vitest.config.ts"),
      "--reporter=json",
      `--outputFile=${out}`,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "1" } },
  );
  expect(run.status).toBe(1);
  const report = JSON.parse(readFileSync(out, "utf8")) as {
    testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
  };
  rmSync(out, { force: true });
  const byTitle = Object.fromEntries(report.testResults[0]!.assertionResults.map((t) => [t.title, t]));
  expect(byTitle["logs an error nobody expects"]?.status).toBe("failed");
  expect(byTitle["logs an error nobody expects"]?.failureMessages.join("")).toContain("something went wrong");
  expect(byTitle["expects the error it logs"]?.status).toBe("passed");
  expect(byTitle["logs nothing"]?.status).toBe("passed");
});
