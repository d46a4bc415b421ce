/**
 * Sleep brought in from a wearable or another app (personal data): one row per night and
 * source. Importing the same night from the same source again replaces the row (the unique
 * key), so a file imported twice, or two exports that overlap, never count a night twice.
 * @module
 */
import { sql } from "drizzle-orm";
import { check, pgTable, real, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { MAX_SLEEP_MINUTES, SLEEP_SOURCES } from "../../../core/health-import/night";
import { user } from "./auth";
import { oneOf, tz } from "./common";

export const sleepRecord = pgTable(
  "sleep_record",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** apple-health, fitbit, oura or csv. */
    source: text("source").notNull(),
    /** The evening the night began, the person's local date (YYYY-MM-DD). */
    night: text("night").notNull(),
    bedtime: timestamp("bedtime", tz),
    sleepOnset: timestamp("sleep_onset", tz),
    wakeTime: timestamp("wake_time", tz),
    /** Minutes asleep in the night's main sleep. */
    totalSleepMinutes: real("total_sleep_minutes").notNull(),
    /** Minutes from getting into bed to falling asleep, where the source gives both. */
    sleepLatencyMinutes: real("sleep_latency_minutes"),
    /** The name of the file it came from, as the person's computer called it. */
    fileName: text("file_name").notNull(),
    importedAt: timestamp("imported_at", tz).notNull().defaultNow(),
  },
  (t) => [
    unique("sleep_record_user_source_night_key").on(t.userId, t.source, t.night),
    check("sleep_record_source_check", oneOf(t.source, SLEEP_SOURCES)),
    check("sleep_record_night_check", sql`${t.night} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    check("sleep_record_total_check", sql`${t.totalSleepMinutes} between 0 and ${sql.raw(String(MAX_SLEEP_MINUTES))}`),
    check(
      "sleep_record_latency_check",
      sql`coalesce(${t.sleepLatencyMinutes}, 0) between 0 and ${sql.raw(String(MAX_SLEEP_MINUTES))}`,
    ),
  ],
);
