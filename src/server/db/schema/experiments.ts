/**
 * Personal experiments (personal data): the frozen protocol, the seed of its schedule, every
 * scheduled day as a row with what was recorded for it, and the cached analysis. A frozen
 * protocol and a day's place in the schedule cannot be changed: triggers in the migration
 * refuse it (see drizzle/0005_experiments.sql), whatever code tries.
 * @module
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { ADHERENCE, EXPERIMENT_SOURCES, EXPERIMENT_STATES } from "../../../core/experiments/labels";
import { COMPARATORS, OUTCOMES } from "../../../core/experiments/protocol";
import { user } from "./auth";
import { oneOf, tz } from "./common";

/** One personal experiment; its protocol is frozen from the moment it exists. */
export const experiment = pgTable(
  "experiment",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** The protocol as frozen (see src/core/experiments/protocol.ts). */
    protocol: jsonb("protocol").$type<Record<string, unknown>>().notNull(),
    /** The exact canonical JSON that was hashed. */
    protocolCanonical: text("protocol_canonical").notNull(),
    /** SHA-256 of protocolCanonical, 64 hex digits. */
    protocolHash: text("protocol_hash").notNull(),
    frozenAt: timestamp("frozen_at", tz).notNull(),
    primaryOutcome: text("primary_outcome").notNull(),
    comparator: text("comparator"),
    /** Seed of the schedule's coin (MT19937, 1 … 2^32 − 1), drawn from a cryptographic source. */
    scheduleSeed: bigint("schedule_seed", { mode: "number" }),
    /** Seed of the analysis, so `matwise analyze data.csv --seed S` gives the same numbers. */
    analysisSeed: bigint("analysis_seed", { mode: "number" }).notNull(),
    /** matwise (designed and randomized here) or import (data brought in; not pre-registered here). */
    source: text("source").notNull(),
    state: text("state").notNull().default("running"),
    endedAt: timestamp("ended_at", tz),
    /** Why the person ended early, in their words. */
    endReason: text("end_reason"),
    /** Bumped on every write to the days, so a cached analysis knows whether it is current. */
    dataVersion: integer("data_version").notNull().default(0),
    /** The analyses (as randomized, per protocol, without first days) for `analysisVersion` of the data. */
    analysisCache: jsonb("analysis_cache").$type<Record<string, unknown>>(),
    analysisVersion: integer("analysis_version"),
    /**
     * What a study's monitor reads of the cached main analysis for each of thousands of participants,
     * kept by PostgreSQL from `analysisCache` (stored generated columns, decision 098): the cache is
     * compressed and stored apart from the row, and reading five fields from it unpacked it five times.
     */
    analysisBlocks: integer("analysis_blocks").generatedAlwaysAs(sql`("analysis_cache" ->> 'blocks')::int`),
    analysisOk: boolean("analysis_ok").generatedAlwaysAs(sql`("analysis_cache" #>> '{main,ok}') = 'true'`),
    analysisEffectMean: doublePrecision("analysis_effect_mean").generatedAlwaysAs(
      sql`("analysis_cache" #>> '{main,result,bayes,effect_mean}')::float8`,
    ),
    analysisEffectSd: doublePrecision("analysis_effect_sd").generatedAlwaysAs(
      sql`("analysis_cache" #>> '{main,result,bayes,effect_sd}')::float8`,
    ),
    analysisVerdict: text("analysis_verdict").generatedAlwaysAs(sql`"analysis_cache" #>> '{main,result,verdict}'`),
    /**
     * How many days the experiment has in `experiment_day`, and the latest time anything was recorded
     * for one of them (evening or morning check-in, UTC): kept by triggers on `experiment_day` (migration
     * 0013, decision 098), so the monitor's counts need not read every participant's days.
     */
    dayCount: integer("day_count").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at", tz),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    /**
     * Set while an import's days are being stored, in short statements (decision 096); null once all
     * are in. Such an experiment is not listed, and one left by a stopped server is removed at start-up.
     */
    importStartedAt: timestamp("import_started_at", tz),
  },
  (t) => [
    index("experiment_user_idx").on(t.userId, t.createdAt),
    check("experiment_outcome_check", oneOf(t.primaryOutcome, OUTCOMES)),
    check("experiment_comparator_check", sql`${t.comparator} is null or ${oneOf(t.comparator, COMPARATORS)}`),
    check("experiment_source_check", oneOf(t.source, EXPERIMENT_SOURCES)),
    check("experiment_state_check", oneOf(t.state, EXPERIMENT_STATES)),
    check("experiment_hash_check", sql`${t.protocolHash} ~ '^[0-9a-f]{64}$'`),
  ],
);

/** Every scheduled day of an experiment, and what the person recorded for it (nulls until then). */
export const experimentDay = pgTable(
  "experiment_day",
  {
    experimentId: uuid("experiment_id")
      .notNull()
      .references(() => experiment.id, { onDelete: "cascade" }),
    /** Owner, repeated so every personal row can be found and erased by user id. */
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** The person's local date. */
    date: text("date").notNull(),
    /** 1 for the first day. */
    day: integer("day").notNull(),
    /** Null on a washout day. */
    block: integer("block"),
    period: integer("period"),
    /** A (the mat), B (the comparator) or null on a washout day. */
    condition: text("condition"),
    firstOfPeriod: boolean("first_of_period").notNull().default(false),
    /** When the evening check-in was recorded (UTC) and on which local date. */
    recordedAt: timestamp("recorded_at", tz),
    recordedOn: text("recorded_on"),
    adherence: text("adherence"),
    pain: real("pain"),
    tension: real("tension"),
    stress: real("stress"),
    sleepQuality: real("sleep_quality"),
    sleepLatency: real("sleep_latency"),
    wakings: integer("wakings"),
    /** When the morning sleep check-in was recorded (UTC). */
    sleepRecordedAt: timestamp("sleep_recorded_at", tz),
    /** Skin reactions or other harms noticed, in the person's words. */
    harms: text("harms"),
    /**
     * The browser's id (a UUID) of the evening and of the morning check-in last recorded: the same
     * check-in sent again (saved offline, then replayed) changes nothing (decision 091).
     */
    eveningKey: text("evening_key"),
    morningKey: text("morning_key"),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.date] }),
    index("experiment_day_user_idx").on(t.userId),
    check("experiment_day_condition_check", sql`${t.condition} is null or ${t.condition} in ('A', 'B')`),
    check("experiment_day_adherence_check", sql`${t.adherence} is null or ${oneOf(t.adherence, ADHERENCE)}`),
    check(
      "experiment_day_scales_check",
      sql`coalesce(${t.pain}, 0) between 0 and 10 and coalesce(${t.tension}, 0) between 0 and 10 and coalesce(${t.stress}, 0) between 0 and 10 and coalesce(${t.sleepQuality}, 0) between 0 and 10`,
    ),
    check(
      "experiment_day_keys_check",
      sql`coalesce(${t.eveningKey}, 'k') ~ '^[a-z0-9-]{1,40}$' and coalesce(${t.morningKey}, 'k') ~ '^[a-z0-9-]{1,40}$'`,
    ),
    check(
      "experiment_day_latency_check",
      sql`coalesce(${t.sleepLatency}, 0) between 0 and 600 and coalesce(${t.wakings}, 0) between 0 and 50`,
    ),
  ],
);
