/** A person's own mats (personal data). */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { tz } from "./common";

/** A mat a signed-in person added: compared beside the catalogue and chosen when logging a session. */
export const userMat = pgTable(
  "user_mat",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Number of spikes as the person counted or read it; null when unknown. */
    spikeCount: integer("spike_count"),
    lengthMm: integer("length_mm"),
    widthMm: integer("width_mm"),
    note: text("note"),
    createdAt: timestamp("created_at", tz).defaultNow().notNull(),
  },
  (t) => [
    index("user_mat_user_idx").on(t.userId),
    check("user_mat_spike_count_check", sql`${t.spikeCount} is null or ${t.spikeCount} between 10 and 100000`),
    check(
      "user_mat_size_check",
      sql`(${t.lengthMm} is null and ${t.widthMm} is null) or (${t.lengthMm} is not null and ${t.widthMm} is not null and ${t.lengthMm} between 50 and 3000 and ${t.widthMm} between 50 and 2000)`,
    ),
  ],
);
