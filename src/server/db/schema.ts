/**
 * The one database schema (drizzle pg-core), used by PGlite and PostgreSQL alike.
 * Change it, then run `npm run db:generate` to write a migration into drizzle/.
 * @module
 */
import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Reader reports about a page: an error in a citation, a broken link, something unclear.
 * Not personal data: no account is attached, and the message is all that is kept.
 */
export const pageFeedback = pgTable(
  "page_feedback",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Site path the report is about, e.g. /guides/acupressure-mat-safety. */
    path: text("path").notNull(),
    /** What kind of problem: error, unclear, broken-link, other. */
    kind: text("kind").notNull(),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("page_feedback_path_idx").on(t.path),
    check("page_feedback_kind_check", sql`${t.kind} in ('error', 'unclear', 'broken-link', 'other')`),
  ],
);
