/** Saved safety checks (personal data). */
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { tz } from "./common";

// Personal data: every table with `user_id` is listed in src/server/repositories/personal-data.ts (export and erasure).

/** A safety check a signed-in person chose to save, with the rules version that applied. */
export const safetyCheck = pgTable(
  "safety_check",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    takenAt: timestamp("taken_at", tz).notNull(),
    /** Version of the rule set that produced the result (data version + hash). */
    rulesVersion: text("rules_version").notNull(),
    /** Overall level: see-professional, keep-area-off, extra-care or fine. */
    level: text("level").notNull(),
    findingIds: jsonb("finding_ids").$type<string[]>().notNull(),
    areasOffMat: jsonb("areas_off_mat").$type<string[]>().notNull(),
    /** The answers as given, so the check can be shown again or re-read under newer rules. */
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull(),
    /** When the person confirmed that a healthcare professional agreed they may use a mat. */
    professionalAgreedAt: timestamp("professional_agreed_at", tz),
  },
  (t) => [index("safety_check_user_taken_idx").on(t.userId, t.takenAt)],
);
