/**
 * Reminders: what each person chose, the devices they subscribed for push notifications, their
 * calendar feed, and the reminders due (one row per reminder and local day, claimed by one
 * server process at a time). See docs/decisions/090-reminders-and-scheduler.md.
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { REMINDER_KINDS } from "../../../core/reminders/reminders";
import { user } from "./auth";
import { oneOf, tz } from "./common";

/** States of a due reminder: waiting, claimed by a process (until its lease ends), sent, or nothing to send that day. */
export const REMINDER_JOB_STATES = ["pending", "claimed", "sent", "skipped", "failed"] as const;

/** One reminder kind as a person chose it. No row, or no channel, means off. */
export const reminderSetting = pgTable(
  "reminder_setting",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** session, evening or morning. */
    kind: text("kind").notNull(),
    /** Local wall time HH:MM on the person's clock (user.time_zone). */
    localTime: text("local_time").notNull(),
    byPush: boolean("by_push").notNull().default(false),
    byEmail: boolean("by_email").notNull().default(false),
    byCalendar: boolean("by_calendar").notNull().default(false),
    /** A day's reminder due before this instant is not sent (it was chosen after its time). */
    updatedAt: timestamp("updated_at", tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.kind] }),
    check("reminder_setting_kind_check", oneOf(t.kind, REMINDER_KINDS)),
    check("reminder_setting_time_check", sql`${t.localTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);

/**
 * A reminder due: one row per (person, kind, local date), so it is sent once however many
 * servers run. A process claims due rows with FOR UPDATE SKIP LOCKED and a lease; a row whose
 * lease ran out (its process died) is claimed again.
 */
export const reminderJob = pgTable(
  "reminder_job",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** The person's local day the reminder is for. */
    localDate: date("local_date", { mode: "string" }).notNull(),
    dueAt: timestamp("due_at", tz).notNull(),
    state: text("state").notNull().default("pending"),
    /** Which process holds the claim (host and pid), and until when. */
    claimedBy: text("claimed_by"),
    leaseUntil: timestamp("lease_until", tz),
    attempts: integer("attempts").notNull().default(0),
    /** When it was sent (or found to have nothing to say), and through which channels, in words. */
    doneAt: timestamp("done_at", tz),
    outcome: text("outcome"),
  },
  (t) => [
    unique("reminder_job_once").on(t.userId, t.kind, t.localDate),
    index("reminder_job_due").on(t.state, t.dueAt),
    check("reminder_job_kind_check", oneOf(t.kind, REMINDER_KINDS)),
    check("reminder_job_state_check", oneOf(t.state, REMINDER_JOB_STATES)),
  ],
);

/** A browser a person allowed to show notifications (the Push API subscription). */
export const pushSubscription = pgTable("push_subscription", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: text("user_id")
    .notNull()
    .references(() => user.id, { onDelete: "cascade" }),
  /** The push service's address for this browser; unique, so subscribing twice updates one row. */
  endpoint: text("endpoint").notNull().unique(),
  /** The browser's P-256 public key and auth secret (base64url), for RFC 8291 encryption. */
  p256dh: text("p256dh").notNull(),
  auth: text("auth").notNull(),
  userAgent: text("user_agent"),
  createdAt: timestamp("created_at", tz).notNull().defaultNow(),
});

/** A person's calendar feed: the SHA-256 of its secret token (the token itself is shown once and never stored). */
export const calendarFeed = pgTable("calendar_feed", {
  userId: text("user_id")
    .primaryKey()
    .references(() => user.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: timestamp("created_at", tz).notNull().defaultNow(),
});
