/** GET /healthz: is the server up, and which database does it use? */
import type { APIRoute } from "astro";
import { checkHealth } from "../server/health";
import { json } from "../server/http";

export const GET: APIRoute = async () => {
  const health = await checkHealth();
  return health.ok ? json({ status: "ok", database: health.database }) : json({ status: "error", database: "unavailable" }, 503);
};
