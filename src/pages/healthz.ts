/**
 * GET /healthz: 200 `{"status":"ok"}` when the database answers a query and commits a write;
 * 503 `{"status":"degraded","reason":…}` when it cannot (see src/server/db/health.ts).
 */
import type { APIRoute } from "astro";
import { getDatabase } from "../server/db/client";
import { checkHealth } from "../server/db/health";
import { json } from "../server/http";
import { logger } from "../server/log";

export const GET: APIRoute = async () => {
  try {
    const report = await checkHealth(await getDatabase());
    if (report.status !== "ok") logger.warn(`health check degraded: ${report.reason ?? "unknown"}`);
    return json(report, report.status === "ok" ? 200 : 503);
  } catch (err) {
    logger.error("health check failed", err);
    return json({ status: "degraded", database: "unavailable", reason: "the database could not be opened" }, 503);
  }
};
