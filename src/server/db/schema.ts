/**
 * The one database schema (drizzle pg-core), used by PGlite and PostgreSQL alike.
 * Change it, then run `npm run db:generate` to write a migration into drizzle/.
 * @module
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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

const tz = { withTimezone: true } as const;

// ---------------------------------------------------------------------------------------
// Accounts. These four tables are the ones better-auth expects (generated with
// `npx @better-auth/cli@1.4.22 generate`, then given time zones). Column names are fixed
// by better-auth's drizzle adapter; do not rename them.
// ---------------------------------------------------------------------------------------

/** A person with an account. Every personal-data table points here through `user_id`. */
export const user = pgTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").default(false).notNull(),
  image: text("image"),
  createdAt: timestamp("created_at", tz).defaultNow().notNull(),
  updatedAt: timestamp("updated_at", tz).defaultNow().$onUpdate(() => new Date()).notNull(),
});

/** A signed-in browser (one row per device); the cookie carries the token. */
export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", tz).notNull(),
    token: text("token").notNull().unique(),
    createdAt: timestamp("created_at", tz).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", tz).$onUpdate(() => new Date()).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id").notNull().references(() => user.id, { onDelete: "cascade" }),
  },
  (t) => [index("session_user_id_idx").on(t.userId)],
);

/** How a person signs in; for email and password, `password` holds the scrypt hash. */
export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id").notNull().references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", tz),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", tz),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestamp("created_at", tz).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", tz).$onUpdate(() => new Date()).notNull(),
  },
  (t) => [index("account_user_id_idx").on(t.userId)],
);

/** Short-lived tokens (password reset links). `identifier` may name a person's email. */
export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", tz).notNull(),
    createdAt: timestamp("created_at", tz).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", tz).defaultNow().$onUpdate(() => new Date()).notNull(),
  },
  (t) => [index("verification_identifier_idx").on(t.identifier)],
);

/** better-auth's own limiter table (used when its HTTP handler is mounted). */
export const rateLimit = pgTable("rate_limit", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

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

// ---------------------------------------------------------------------------------------
// Personal data. Every table here has `user_id` and is listed in
// src/server/repositories/personal-data.ts (export and erasure).
// ---------------------------------------------------------------------------------------

/** A safety check a signed-in person chose to save, with the rules version that applied. */
export const safetyCheck = pgTable(
  "safety_check",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull().references(() => user.id, { onDelete: "cascade" }),
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

// ---------------------------------------------------------------------------------------
// Mat sessions (issue 6): sessions timed or logged by a signed-in person, with their ratings.
// Listed in src/server/repositories/personal-data.ts (export and erasure).
// ---------------------------------------------------------------------------------------

const rating = (name: string) => integer(name).notNull();
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
    userId: text("user_id").notNull().references(() => user.id, { onDelete: "cascade" }),
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
    /** Discomfort on the mat, 0–10. */
    discomfort: rating("discomfort"),
    painBefore: rating("pain_before"),
    painAfter: rating("pain_after"),
    tensionBefore: rating("tension_before"),
    tensionAfter: rating("tension_after"),
    stressBefore: rating("stress_before"),
    stressAfter: rating("stress_after"),
    relaxationBefore: rating("relaxation_before"),
    relaxationAfter: rating("relaxation_after"),
    note: text("note"),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", tz).notNull().defaultNow().$onUpdate(() => new Date()),
  },
  (t) => [
    index("mat_session_user_started_idx").on(t.userId, t.startedAt),
    check("mat_session_duration_check", sql`${t.durationSeconds} between 1 and 10800`),
    check("mat_session_position_check", sql`${t.position} in ('lying', 'sitting', 'feet-only', 'standing')`),
    check("mat_session_body_area_check", sql`${t.bodyArea} in ('back', 'neck-shoulders', 'buttocks-hips', 'legs', 'feet', 'other')`),
    check("mat_session_layer_check", sql`${t.layer} in ('clothing', 'bare-skin')`),
    ...ratingColumns.map((c) => check(`mat_session_${c}_check`, sql`${sql.identifier(c)} between 0 and 10`)),
  ],
);

// ---------------------------------------------------------------------------------------
// A person's own mats (personal data; listed in personal-data.ts).
// ---------------------------------------------------------------------------------------

/** A mat a signed-in person added: compared beside the catalogue and chosen when logging a session. */
export const userMat = pgTable(
  "user_mat",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull().references(() => user.id, { onDelete: "cascade" }),
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
    check("user_mat_size_check", sql`(${t.lengthMm} is null and ${t.widthMm} is null) or (${t.lengthMm} is not null and ${t.widthMm} is not null and ${t.lengthMm} between 50 and 3000 and ${t.widthMm} between 50 and 2000)`),
  ],
);

// ---------------------------------------------------------------------------------------
// Health (issue 17): one row that /healthz rewrites, so a health check proves the database
// can still commit a write, not only answer a read.
// ---------------------------------------------------------------------------------------

/** The last write made by a health check. One row per `name` (today only "healthz"). */
export const healthHeartbeat = pgTable("health_heartbeat", {
  name: text("name").primaryKey(),
  /** When the last health check committed its write. */
  beatAt: timestamp("beat_at", tz).notNull(),
  /** How many health checks have written here, for a glance at whether they run. */
  beats: bigint("beats", { mode: "number" }).notNull().default(0),
});
