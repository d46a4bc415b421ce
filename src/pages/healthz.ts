/**
 * GET /healthz: 200 `{"status":"ok"}` when the database answers a query and commits a write;
 * 503 `{"status":"degraded","reason":…}` when it cannot (see src/server/db/health.ts).
 */
import type { APIRoute } from "astro";
import { loadHealth } from "../server/health";
import { json } from "../server/http";

export const GET: APIRoute = async () => {
  const report = await loadHealth();
  return json(report, report.status === "ok" ? 200 : 503);
};
