/** The health check behind GET /healthz: can the server reach its database? */
import { sql } from "drizzle-orm";
import { getDatabase, type DatabaseKind } from "./db/client";
import { logger } from "./log";

export type Health = { ok: true; database: DatabaseKind } | { ok: false };

export async function checkHealth(): Promise<Health> {
  try {
    const handle = await getDatabase();
    await handle.db.execute(sql`select 1`);
    return { ok: true, database: handle.kind };
  } catch (err) {
    logger.error("health check failed", err);
    return { ok: false };
  }
}
