/** Mat sessions with their ratings (personal data). */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { LAYERS, POSITIONS, SESSION_AREAS } from "../../../core/sessions/options";
import { user } from "./auth";
import { oneOf, tz } from "./common";

/** A 0–10 rating; null when the person skipped it (every rating but discomfort may be skipped). */
const rating = (name: string) => integer(name);
const ratingColumns = [
  "discomfort",
  "pain_before",
  "pain_after",
  "tension_before",
  "tension_after",
  "stress_before",
  "stress_after",
  "relaxation_before",
  "relaxation_after",
] as const;

/** One session on the mat: when, how long, how, and the person's 0–10 ratings. */
export const matSession = pgTable(
  "mat_session",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    startedAt: timestamp("started_at", tz).notNull(),
    /** Time actually spent on the mat, in whole seconds. */
    durationSeconds: integer("duration_seconds").notNull(),
    /** lying, sitting, feet-only or standing. */
    position: text("position").notNull(),
    /** Body area on the mat: back, neck-shoulders, buttocks-hips, legs, feet or other. */
    bodyArea: text("body_area").notNull(),
    /** clothing or bare-skin. */
    layer: text("layer").notNull(),
    /** A catalogue mat id (a file name in src/content/mats), or null when not said. */
    matId: text("mat_id"),
    /** Discomfort on the mat, 0–10: the one rating every session has. */
    discomfort: integer("discomfort").notNull(),
    painBefore: rating("pain_before"),
    painAfter: rating("pain_after"),
    tensionBefore: rating("tension_before"),
    tensionAfter: rating("tension_after"),
    stressBefore: rating("stress_before"),
    stressAfter: rating("stress_after"),
    relaxationBefore: rating("relaxation_before"),
    relaxationAfter: rating("relaxation_after"),
    note: text("note"),
    /**
     * The browser's own id for this record (a UUID made where it was recorded), sent with the form:
     * a session sent twice (an offline save replayed, a retried post) is stored once. Null when
     * logged without one. Unique per person (decision 091).
     */
    clientKey: text("client_key"),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", tz)
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    index("mat_session_user_started_idx").on(t.userId, t.startedAt),
    uniqueIndex("mat_session_user_client_key_idx").on(t.userId, t.clientKey),
    check("mat_session_client_key_check", sql`${t.clientKey} ~ '^[a-z0-9-]{1,40}$'`),
    check("mat_session_duration_check", sql`${t.durationSeconds} between 1 and 10800`),
    check("mat_session_position_check", oneOf(t.position, POSITIONS)),
    check("mat_session_body_area_check", oneOf(t.bodyArea, SESSION_AREAS)),
    check("mat_session_layer_check", oneOf(t.layer, LAYERS)),
    // A null rating passes a CHECK (it is not false), so skipped ratings need no special case.
    ...ratingColumns.map((c) => check(`mat_session_${c}_check`, sql`${sql.identifier(c)} between 0 and 10`)),
  ],
);
