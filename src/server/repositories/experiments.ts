/**
 * Personal experiments and their days. Every function is scoped by the owner's id: someone
 * else's experiment reads exactly like a missing one. The protocol is frozen at creation; the
 * database refuses any later change to it or to a day's place in the schedule.
 * @module
 */
import { and, asc, desc, eq, isNull, lt, ne, or, sql } from "drizzle-orm";
import { ConflictError } from "../../core/errors";
import type { CheckIn, CheckInValues } from "../../core/experiments/days";
import type { Adherence, ExperimentSource, ExperimentState } from "../../core/experiments/labels";
import type { ImportedDay } from "../../core/experiments/import";
import {
  parseStoredProtocol,
  type ExperimentProtocol,
  type FrozenProtocol,
  type DayValues,
  type ImportedProtocol,
  type Outcome,
} from "../../core/experiments/protocol";
import type { ScheduledDay } from "../../core/experiments/schedule";
import { insertRowsAsJson, insertRowsAsJsonInChunks } from "../db/bulk-insert";
import type { Db } from "../db/client";
import { experiment, experimentDay, user } from "../db/schema";
import { isUnderway } from "../../core/experiments/concealment";
import { isUuid, ownedBy, requireRow } from "./owned";

const NO_SUCH = "No such experiment.";

export interface ExperimentRecord {
  id: string;
  /** Designed here, or imported (`source: "import"`): narrow with isImported. */
  protocol: ExperimentProtocol;
  protocolCanonical: string;
  protocolHash: string;
  frozenAt: string;
  scheduleSeed: number | null;
  analysisSeed: number;
  source: ExperimentSource;
  state: ExperimentState;
  endedAt: string | null;
  endReason: string | null;
  dataVersion: number;
  createdAt: string;
}

/** One day as stored: its place in the schedule and what was recorded. */
export interface ExperimentDayRecord extends DayValues {
  date: string;
  day: number;
  block: number | null;
  period: number | null;
  condition: "A" | "B" | null;
  firstOfPeriod: boolean;
  recordedAt: string | null;
  recordedOn: string | null;
  adherence: Adherence | null;
  sleepRecordedAt: string | null;
  harms: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The one mapping from an experiment row to what pages and the export see. */
export function toExperiment(row: typeof experiment.$inferSelect): ExperimentRecord {
  return {
    id: row.id,
    protocol: parseStoredProtocol(row.source as ExperimentSource, row.protocol),
    protocolCanonical: row.protocolCanonical,
    protocolHash: row.protocolHash,
    frozenAt: row.frozenAt.toISOString(),
    scheduleSeed: row.scheduleSeed,
    analysisSeed: row.analysisSeed,
    source: row.source as ExperimentSource,
    state: row.state as ExperimentState,
    endedAt: iso(row.endedAt),
    endReason: row.endReason,
    dataVersion: row.dataVersion,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The one mapping from a day row to what pages and the export see. */
export function toExperimentDay(
  row: typeof experimentDay.$inferSelect,
): ExperimentDayRecord & { experimentId: string } {
  return {
    experimentId: row.experimentId,
    date: row.date,
    day: row.day,
    block: row.block,
    period: row.period,
    condition: row.condition as "A" | "B" | null,
    firstOfPeriod: row.firstOfPeriod,
    recordedAt: iso(row.recordedAt),
    recordedOn: row.recordedOn,
    adherence: row.adherence as Adherence | null,
    pain: row.pain,
    tension: row.tension,
    stress: row.stress,
    sleepQuality: row.sleepQuality,
    sleepLatency: row.sleepLatency,
    wakings: row.wakings,
    sleepRecordedAt: iso(row.sleepRecordedAt),
    harms: row.harms,
  };
}

/** A stored day as the core's check-in, or undefined when nothing was recorded for it. */
export function toCheckIn(d: ExperimentDayRecord): CheckIn | undefined {
  if (!d.recordedOn || !d.adherence) return undefined;
  const values: Partial<Record<Outcome, number | null>> = {
    pain: d.pain,
    tension: d.tension,
    stress: d.stress,
    sleepQuality: d.sleepQuality,
    sleepLatency: d.sleepLatency,
  };
  return { date: d.date, recordedOn: d.recordedOn, adherence: d.adherence, values };
}

/** A stored day of an imported experiment as the file gave it (its value is the primary outcome's). */
export function toImportedDay(d: ExperimentDayRecord, outcome: Outcome): ImportedDay {
  if (d.block === null || d.period === null || d.condition === null)
    throw new Error(`imported day ${d.date} has no place in the design`);
  return {
    date: d.date,
    day: d.day,
    block: d.block,
    period: d.period,
    condition: d.condition,
    firstOfPeriod: d.firstOfPeriod,
    value: d[outcome],
  };
}

/** A stored day as the core's scheduled day. */
export function toScheduledDay(d: ExperimentDayRecord): ScheduledDay {
  return d.block === null || d.period === null || d.condition === null
    ? { date: d.date, day: d.day, kind: "washout" }
    : {
        date: d.date,
        day: d.day,
        kind: "period",
        block: d.block,
        period: d.period,
        condition: d.condition,
        firstOfPeriod: d.firstOfPeriod,
      };
}

export interface NewExperiment {
  frozen: FrozenProtocol;
  frozenAt: Date;
  scheduleSeed: number | null;
  analysisSeed: number;
  source: ExperimentSource;
  schedule: readonly ScheduledDay[];
  /** Values already known (an import): the day's check-in, keyed by date. */
  recorded?: ReadonlyMap<string, CheckIn>;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Inserts the experiment row; returns its id. */
async function insertExperiment(
  tx: Db | Tx,
  userId: string,
  input: {
    frozen: FrozenProtocol<ExperimentProtocol>;
    frozenAt: Date;
    scheduleSeed: number | null;
    analysisSeed: number;
    source: ExperimentSource;
    comparator: string | null;
    ended?: Date;
    /** Marked as being imported (its days follow in short statements). */
    importing?: boolean;
  },
): Promise<string> {
  const [row] = await tx
    .insert(experiment)
    .values({
      userId,
      protocol: input.frozen.protocol,
      protocolCanonical: input.frozen.canonical,
      protocolHash: input.frozen.hash,
      frozenAt: input.frozenAt,
      primaryOutcome: input.frozen.protocol.primaryOutcome,
      comparator: input.comparator,
      scheduleSeed: input.scheduleSeed,
      analysisSeed: input.analysisSeed,
      source: input.source,
      ...(input.ended ? { state: "ended", endedAt: input.ended } : {}),
      ...(input.importing ? { importStartedAt: new Date() } : {}),
    })
    .returning({ id: experiment.id });
  return requireRow(row ? [row] : [], "The experiment was not saved.").id;
}

/** One statement for all the days (src/server/db/bulk-insert.ts: 4-5 times quicker than bound parameters on PGlite). */
async function insertDays(tx: Tx, rows: (typeof experimentDay.$inferInsert)[]): Promise<void> {
  await insertRowsAsJson(tx, experimentDay, rows);
}

/** The person's experiments designed here that are under way at `now` (normally one; data from before the rule may hold more). */
export async function listUnderwayExperiments(db: Db | Tx, userId: string, now: Date): Promise<ExperimentRecord[]> {
  const rows = await db
    .select()
    .from(experiment)
    .where(and(eq(experiment.userId, userId), eq(experiment.state, "running"), eq(experiment.source, "matwise")))
    .orderBy(asc(experiment.createdAt));
  return rows.map(toExperiment).filter((x) => isUnderway(x, now));
}

/** Refused when the person already has an experiment under way; `underway` names it. */
export class ExperimentUnderwayError extends ConflictError {
  constructor(readonly underway: ExperimentRecord) {
    super("Another experiment is still under way: end it first, or wait until its last day has passed.");
  }
}

/**
 * Stores a frozen experiment with every scheduled day, in one transaction; returns its id. A
 * designed one is refused with {@link ExperimentUnderwayError} while another is under way: the
 * person's row is locked first, so two starts at once cannot both pass the check.
 */
export async function createExperiment(db: Db, userId: string, input: NewExperiment): Promise<string> {
  return db.transaction(async (tx) => {
    if (input.source === "matwise") {
      await tx.select({ id: user.id }).from(user).where(eq(user.id, userId)).for("update");
      const [underway] = await listUnderwayExperiments(tx, userId, input.frozenAt);
      if (underway) throw new ExperimentUnderwayError(underway);
    }
    const id = await insertExperiment(tx, userId, {
      ...input,
      comparator: input.source === "import" ? null : input.frozen.protocol.comparator,
    });
    const rows = input.schedule.map((d) => {
      const c = input.recorded?.get(d.date);
      return {
        experimentId: id,
        userId,
        date: d.date,
        day: d.day,
        block: d.kind === "period" ? d.block : null,
        period: d.kind === "period" ? d.period : null,
        condition: d.kind === "period" ? d.condition : null,
        firstOfPeriod: d.kind === "period" && d.firstOfPeriod,
        ...(c
          ? {
              recordedOn: c.recordedOn,
              adherence: c.adherence,
              pain: c.values.pain ?? null,
              tension: c.values.tension ?? null,
              stress: c.values.stress ?? null,
              sleepQuality: c.values.sleepQuality ?? null,
              sleepLatency: c.values.sleepLatency ?? null,
            }
          : {}),
      };
    });
    await insertDays(tx, rows);
    return id;
  });
}

export interface NewImportedExperiment {
  frozen: FrozenProtocol<ImportedProtocol>;
  /** When it was brought in: it is frozen and ended at that moment (nothing more is recorded). */
  at: Date;
  analysisSeed: number;
  /** The file's days, each stored with its value under the primary outcome; adherence stays unknown (null). */
  days: readonly ImportedDay[];
}

/** An import whose days were still being stored this long after it started was left by a stopped server. */
export const UNFINISHED_IMPORT_MS = 60 * 60_000;

/**
 * Stores an imported experiment and the file's days: source "import", no schedule seed, no
 * comparator, and ended from the start, so it takes no check-ins. Returns its id. All or nothing,
 * in short statements (decision 096): the experiment row is written first marked as being
 * imported (`importStartedAt`), which keeps it out of every list and lookup; the days follow in
 * chunks of about 25 ms each, other requests' statements running between them; the mark is then
 * cleared in one statement. On a failure the row is deleted (its days with it); a row left by a
 * server that stopped midway is removed at the next start ({@link removeUnfinishedImports}).
 */
export async function createImportedExperiment(db: Db, userId: string, input: NewImportedExperiment): Promise<string> {
  const outcome = input.frozen.protocol.primaryOutcome;
  const id = await insertExperiment(db, userId, {
    frozen: input.frozen,
    frozenAt: input.at,
    scheduleSeed: null,
    analysisSeed: input.analysisSeed,
    source: "import",
    comparator: null,
    ended: input.at,
    importing: true,
  });
  try {
    await insertRowsAsJsonInChunks(
      db,
      experimentDay,
      input.days.map((d) => ({
        experimentId: id,
        userId,
        date: d.date,
        day: d.day,
        block: d.block,
        period: d.period,
        condition: d.condition,
        firstOfPeriod: d.firstOfPeriod,
        ...({ [outcome]: d.value } as Pick<typeof experimentDay.$inferInsert, Outcome>),
      })),
    );
    await db.update(experiment).set({ importStartedAt: null }).where(eq(experiment.id, id));
  } catch (err) {
    // Nothing of a failed import stays: the row and, by its foreign key, every day stored so far.
    await db
      .delete(experiment)
      .where(eq(experiment.id, id))
      .catch(() => undefined); // if this fails too, removeUnfinishedImports removes it at the next start
    throw err;
  }
  return id;
}

/**
 * Removes imports whose days were still being stored more than `olderThanMs` ago (a server that
 * stopped midway); run at start-up. Returns how many. Younger ones may belong to another process
 * on the same PostgreSQL, still storing.
 */
export async function removeUnfinishedImports(
  db: Db,
  now = new Date(),
  olderThanMs = UNFINISHED_IMPORT_MS,
): Promise<number> {
  const removed = await db
    .delete(experiment)
    .where(lt(experiment.importStartedAt, new Date(now.getTime() - olderThanMs)))
    .returning({ id: experiment.id });
  return removed.length;
}

/** The person's experiments, newest first. */
export async function listExperiments(db: Db, userId: string): Promise<ExperimentRecord[]> {
  return (await experimentsQuery(db, userId)).map(toExperiment);
}

/** The query of `listExperiments`, not run (for `selectBatch`; map its rows with `toExperiment`). */
export function experimentsQuery(db: Db, userId: string) {
  return db
    .select()
    .from(experiment)
    .where(and(eq(experiment.userId, userId), isNull(experiment.importStartedAt)))
    .orderBy(desc(experiment.createdAt));
}

/** One of the person's experiments; NotFoundError when it is not theirs or does not exist. */
export async function requireExperiment(db: Db, userId: string, id: string): Promise<ExperimentRecord> {
  return toExperiment(
    requireRow(
      await db
        .select()
        .from(experiment)
        .where(and(ownedBy(experiment, userId, id), isNull(experiment.importStartedAt))),
      NO_SUCH,
    ),
  );
}

/** The experiment's days in date order (call after requireExperiment, which checks the owner). */
export async function listExperimentDays(db: Db, userId: string, experimentId: string): Promise<ExperimentDayRecord[]> {
  if (!isUuid(experimentId)) return [];
  const rows = await db
    .select()
    .from(experimentDay)
    .where(and(eq(experimentDay.experimentId, experimentId), eq(experimentDay.userId, userId)))
    .orderBy(asc(experimentDay.day));
  return rows.map(toExperimentDay);
}

/** What a check-in records (read from the form by `readCheckIn` in core/experiments/days.ts). */
export type CheckInInput = CheckInValues;

/**
 * Records the evening or morning answers for one scheduled day of a running experiment and
 * bumps the data version. NotFoundError when the experiment or the day is not the person's;
 * ConflictError when the day is a washout day or the experiment has ended.
 */
export async function recordCheckIn(
  db: Db,
  userId: string,
  experimentId: string,
  date: string,
  input: CheckInInput,
  at: { now: Date; localDate: string; morning: boolean },
  key: string | null = null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const exp = toExperiment(
      requireRow(
        await tx
          .select()
          .from(experiment)
          .where(ownedBy(experiment, userId, experimentId))
          .for("update"),
        NO_SUCH,
      ),
    );
    if (exp.source === "import")
      throw new ConflictError("This experiment was brought in from a file; it takes no check-ins.");
    if (exp.state !== "running") throw new ConflictError("This experiment has ended; nothing more can be recorded.");
    const [day] = await tx
      .select()
      .from(experimentDay)
      .where(and(eq(experimentDay.experimentId, exp.id), eq(experimentDay.date, date)));
    if (!day) throw new ConflictError("That day is not part of this experiment.");
    if (day.condition === null)
      throw new ConflictError("That is a rest day between pairs: there is nothing to record.");
    // The same check-in sent again (its browser id matches the one recorded): already done, nothing to change.
    if (key && (at.morning ? day.morningKey : day.eveningKey) === key) return;
    const set: Partial<typeof experimentDay.$inferInsert> = {};
    for (const k of [
      "adherence",
      "pain",
      "tension",
      "stress",
      "sleepQuality",
      "sleepLatency",
      "wakings",
      "harms",
    ] as const)
      if (input[k] !== undefined) Object.assign(set, { [k]: input[k] });
    const clientKey = key && /^[a-z0-9-]{1,40}$/.test(key) ? key : null;
    if (at.morning) Object.assign(set, { sleepRecordedAt: at.now, morningKey: clientKey });
    else Object.assign(set, { recordedAt: at.now, recordedOn: at.localDate, eveningKey: clientKey });
    await tx
      .update(experimentDay)
      .set(set)
      .where(and(eq(experimentDay.experimentId, exp.id), eq(experimentDay.date, date)));
    await tx
      .update(experiment)
      .set({ dataVersion: sql`${experiment.dataVersion} + 1` })
      .where(eq(experiment.id, exp.id));
  });
}

/** Ends a running experiment early (or at its end) with the person's reason. */
export async function endExperiment(
  db: Db,
  userId: string,
  id: string,
  reason: string | null,
  now: Date,
): Promise<void> {
  requireRow(
    await db
      .update(experiment)
      .set({ state: "ended", endedAt: now, endReason: reason, dataVersion: sql`${experiment.dataVersion} + 1` })
      .where(and(ownedBy(experiment, userId, id), eq(experiment.state, "running")))
      .returning({ id: experiment.id }),
    NO_SUCH,
  );
}

/** Keeps the analyses computed for `version` of the data; a newer write in between wins (nothing is stored). */
export async function saveAnalysisCache(
  db: Db,
  userId: string,
  id: string,
  version: number,
  cache: Record<string, unknown>,
): Promise<void> {
  await db
    .update(experiment)
    .set({ analysisCache: cache, analysisVersion: version })
    .where(and(ownedBy(experiment, userId, id), eq(experiment.dataVersion, version)));
}

/** The cached analyses when they were computed for the current data, else null. */
export async function getAnalysisCache(
  db: Db,
  userId: string,
  id: string,
): Promise<{ version: number; cache: Record<string, unknown> } | null> {
  const [row] = await db
    .select({ cache: experiment.analysisCache, version: experiment.analysisVersion, data: experiment.dataVersion })
    .from(experiment)
    .where(ownedBy(experiment, userId, id));
  return row?.cache && row.version === row.data ? { version: row.version, cache: row.cache } : null;
}

/** Deletes an experiment and its days; NotFoundError when it is not the person's. */
export async function deleteExperiment(db: Db, userId: string, id: string): Promise<void> {
  requireRow(
    await db
      .delete(experiment)
      .where(ownedBy(experiment, userId, id))
      .returning({ id: experiment.id }),
    NO_SUCH,
  );
}

/** The experiments whose stored analyses may be stale: running ones and any whose data changed since; newest first. */
export async function listStaleAnalyses(db: Db, limit = 200): Promise<{ id: string; userId: string }[]> {
  return db
    .select({ id: experiment.id, userId: experiment.userId })
    .from(experiment)
    .where(
      and(
        isNull(experiment.importStartedAt),
        or(
          eq(experiment.state, "running"),
          isNull(experiment.analysisVersion),
          ne(experiment.analysisVersion, experiment.dataVersion),
        ),
      ),
    )
    .orderBy(desc(sql`coalesce(${experiment.endedAt}, now())`), desc(experiment.createdAt))
    .limit(limit);
}
