/**
 * Health (issue 17): one row that /healthz rewrites, so a health check proves the database can
 * still commit a write, not only answer a read.
 */
import { bigint, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { tz } from "./common";

/** The last write made by a health check. One row per `name` (today only "healthz"). */
export const healthHeartbeat = pgTable("health_heartbeat", {
  name: text("name").primaryKey(),
  /** When the last health check committed its write. */
  beatAt: timestamp("beat_at", tz).notNull(),
  /** How many health checks have written here, for a glance at whether they run. */
  beats: bigint("beats", { mode: "number" }).notNull().default(0),
});
