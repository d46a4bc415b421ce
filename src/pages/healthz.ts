/** GET /healthz: is the server up, and which database does it use? */
import type { APIRoute } from "astro";
import { sql } from "drizzle-orm";
import { getDatabase } from "../server/db/client";
import { json } from "../server/http";
import { logger } from "../server/log";

export const GET: APIRoute = async () => {
  try {
    const handle = await getDatabase();
    await handle.db.execute(sql`select 1`);
    return json({ status: "ok", database: handle.kind });
  } catch (err) {
    logger.error("health check failed", err);
    return json({ status: "error", database: "unavailable" }, 503);
  }
};
