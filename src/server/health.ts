/**
 * What GET /healthz answers: the database check of src/server/db/health.ts, or why it could not run.
 *
 * Every call starts a check (or joins the one under way). A problem known without the database
 * (failed, disk low, a write lost to a full disk) is answered at once. When the check waits behind
 * other work for more than {@link HEALTH_WAIT_MS} (on PGlite, one statement at a time: a large
 * import's transaction holds it for a second or more), the last check's "ok" is given instead, if it
 * is younger than {@link HEALTH_REUSE_MS}; the check goes on, and its answer is the next one
 * (decision 096). A database that stops answering is degraded within HEALTH_TIMEOUT_MS (5 s).
 * @module
 */
import { getDatabase } from "./db/client";
import { checkHealth, findKnownProblem, type HealthReport } from "./db/health";
import { logger } from "./log";

/** How long a call waits for its check before a recent "ok" is given instead. */
export const HEALTH_WAIT_MS = 50;
/** How old an "ok" may be to be given while a check waits. */
export const HEALTH_REUSE_MS = 10_000;

type Answer = HealthReport | { status: "degraded"; database: "unavailable"; reason: string };

let lastOk: number | null = null;
let underway: Promise<HealthReport> | null = null;

function runCheck(handle: Parameters<typeof checkHealth>[0]): Promise<HealthReport> {
  underway ??= checkHealth(handle)
    .then((report) => {
      lastOk = report.status === "ok" ? Date.now() : null;
      if (report.status !== "ok") logger.warn(`health check degraded: ${report.reason ?? "unknown"}`);
      return report;
    })
    .finally(() => {
      underway = null;
    });
  return underway;
}

export async function loadHealth(): Promise<Answer> {
  try {
    const handle = await getDatabase();
    const known = findKnownProblem(handle);
    if (known) {
      lastOk = null;
      logger.warn(`health check degraded: ${known.reason ?? "unknown"}`);
      return known;
    }
    const check = runCheck(handle);
    const reusable = lastOk;
    if (reusable === null || Date.now() - reusable >= HEALTH_REUSE_MS) return await check;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), HEALTH_WAIT_MS);
    });
    const report = await Promise.race([check, waited]).finally(() => clearTimeout(timer));
    return report ?? { status: "ok", database: handle.kind };
  } catch (err) {
    logger.error("health check failed", err);
    return { status: "degraded", database: "unavailable", reason: "the database could not be opened" };
  }
}
