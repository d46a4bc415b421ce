/** What GET /healthz answers: the database check of src/server/db/health.ts, or why it could not run. */
import { getDatabase } from "./db/client";
import { checkHealth, type HealthReport } from "./db/health";
import { logger } from "./log";

export async function loadHealth(): Promise<
  HealthReport | { status: "degraded"; database: "unavailable"; reason: string }
> {
  try {
    const report = await checkHealth(await getDatabase());
    if (report.status !== "ok") logger.warn(`health check degraded: ${report.reason ?? "unknown"}`);
    return report;
  } catch (err) {
    logger.error("health check failed", err);
    return { status: "degraded", database: "unavailable", reason: "the database could not be opened" };
  }
}
