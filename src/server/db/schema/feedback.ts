/** Reader feedback about pages: not personal data. */
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { FEEDBACK_KINDS } from "../../../core/feedback";
import { oneOf, tz } from "./common";

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
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [index("page_feedback_path_idx").on(t.path), check("page_feedback_kind_check", oneOf(t.kind, FEEDBACK_KINDS))],
);
