/**
 * Global set-up of `npm run test:reliability`: checks that the build exists, and after every
 * test file has run writes the figures the tests recorded into RELIABILITY.md.
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { writeReport } from "./report";
import { ROOT } from "./support";

export default function setup(): () => void {
  if (!existsSync(join(ROOT, "dist/server/entry.mjs")))
    throw new Error("dist/ is missing: run `npm run build` before `npm run test:reliability`");
  const run = {
    startedAt: Date.now(),
    loadBefore: loadavg()
      .map((x) => x.toFixed(1))
      .join(", "),
  };
  return () => {
    const written = writeReport(run);
    console.log(
      written.length
        ? `[reliability] figures written to RELIABILITY.md: ${written.join(", ")}`
        : "[reliability] no figures recorded, RELIABILITY.md unchanged",
    );
  };
}
