/** Server state that several processes share. */
import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { tz } from "./common";

// ---------------------------------------------------------------------------------------
// Server state that several processes share.
// ---------------------------------------------------------------------------------------

/**
 * Fixed-window request counters for rate limits (per IP, per account). They live in the
 * database so the limit holds across several server processes.
 */
export const requestCounter = pgTable("request_counter", {
  /** What is counted, e.g. "sign-in:ip:203.0.113.9" or "sign-in:account:<sha256 of email>". */
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", tz).notNull(),
  count: integer("count").notNull(),
});

/** Secrets the server generates once and every process shares (e.g. the cookie-signing key). */
export const appSecret = pgTable("app_secret", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at", tz).defaultNow().notNull(),
});
