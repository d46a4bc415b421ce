/**
 * Mat sessions. Every function is scoped by the owner's id: a session that belongs to
 * someone else is reported exactly like one that does not exist (NotFoundError).
 * @module
 */
import { and, count, desc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { MEASURES, type Layer, type Measure, type Position, type SessionArea } from "../../core/sessions/options";
import type { MatSessionRecord, SessionInput } from "../../core/sessions/schema";
import { MAX_SESSION_POINTS, type SessionTrends } from "../../core/sessions/summary";
import { selectBatch } from "../db/batch";
import type { Db } from "../db/client";
import { matSession } from "../db/schema";
import { ownedBy, requireRow } from "./owned";

/** The one mapping from a row to what pages, charts and the export see. */
export function toRecord(row: typeof matSession.$inferSelect): MatSessionRecord {
  return {
    id: row.id,
    startedAt: row.startedAt.toISOString(),
    durationSeconds: row.durationSeconds,
    position: row.position as Position,
    area: row.bodyArea as SessionArea,
    layer: row.layer as Layer,
    matId: row.matId,
    note: row.note,
    discomfort: row.discomfort,
    painBefore: row.painBefore,
    painAfter: row.painAfter,
    tensionBefore: row.tensionBefore,
    tensionAfter: row.tensionAfter,
    stressBefore: row.stressBefore,
    stressAfter: row.stressAfter,
    relaxationBefore: row.relaxationBefore,
    relaxationAfter: row.relaxationAfter,
    createdAt: row.createdAt.toISOString(),
  };
}

function toColumns(input: SessionInput) {
  return {
    startedAt: new Date(input.startedAt),
    durationSeconds: input.durationSeconds,
    position: input.position,
    bodyArea: input.area,
    layer: input.layer,
    matId: input.matId,
    note: input.note,
    discomfort: input.discomfort,
    painBefore: input.painBefore,
    painAfter: input.painAfter,
    tensionBefore: input.tensionBefore,
    tensionAfter: input.tensionAfter,
    stressBefore: input.stressBefore,
    stressAfter: input.stressAfter,
    relaxationBefore: input.relaxationBefore,
    relaxationAfter: input.relaxationAfter,
  };
}

const NO_SUCH = "No such session.";

/** A client key as stored: the browser's own id for a record, or null (see matSession.clientKey). */
const keyOrNull = (key: string | null | undefined): string | null =>
  key && /^[a-z0-9-]{1,40}$/.test(key) ? key : null;

/**
 * Saves a validated session for its owner; returns its id. With a `clientKey` (the browser's id
 * for the record) a repeat is not stored again: the session already saved under that key, for
 * this owner, is the answer.
 */
export async function createMatSession(
  db: Db,
  userId: string,
  input: SessionInput,
  clientKey: string | null = null,
): Promise<string> {
  const key = keyOrNull(clientKey);
  const rows = await db
    .insert(matSession)
    .values({ userId, ...toColumns(input), clientKey: key })
    .onConflictDoNothing({ target: [matSession.userId, matSession.clientKey] })
    .returning({ id: matSession.id });
  if (rows[0] || !key) return requireRow(rows, "The session was not saved.").id;
  const [saved] = await db
    .select({ id: matSession.id })
    .from(matSession)
    .where(and(eq(matSession.userId, userId), eq(matSession.clientKey, key)));
  return requireRow(saved ? [saved] : [], "The session was not saved.").id;
}

/**
 * Saves several validated sessions for their owner at once (all or none); a session whose client
 * key is already saved for this owner is left out. Returns the ids of the sessions stored now.
 */
export async function createMatSessions(
  db: Db,
  userId: string,
  inputs: readonly (SessionInput & { clientKey?: string | null })[],
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const rows = await db
    .insert(matSession)
    .values(inputs.map(({ clientKey, ...input }) => ({ userId, ...toColumns(input), clientKey: keyOrNull(clientKey) })))
    .onConflictDoNothing({ target: [matSession.userId, matSession.clientKey] })
    .returning({ id: matSession.id });
  return rows.map((r) => r.id);
}

/** The person's sessions, newest first. */
export async function listMatSessions(db: Db, userId: string): Promise<MatSessionRecord[]> {
  const rows = await db
    .select()
    .from(matSession)
    .where(eq(matSession.userId, userId))
    .orderBy(...NEWEST_FIRST);
  return rows.map(toRecord);
}

const NEWEST_FIRST = [desc(matSession.startedAt), desc(matSession.createdAt), desc(matSession.id)] as const;

/** How many sessions the person has logged. */
export async function countMatSessions(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(matSession).where(eq(matSession.userId, userId));
  return Number(row?.n ?? 0);
}

/** A page of the person's sessions, newest first: `limit` of them after skipping `offset`. */
export async function listMatSessionsPage(
  db: Db,
  userId: string,
  page: { offset: number; limit: number },
): Promise<MatSessionRecord[]> {
  return (await matSessionsPageQuery(db, userId, page)).map(toRecord);
}

/**
 * How many of the person's sessions come before session `id` in the newest-first order, or null
 * when it is not theirs: which page of the log shows it.
 */
export async function countNewerMatSessions(db: Db, userId: string, id: string): Promise<number | null> {
  const [s] = await db
    .select({ id: matSession.id })
    .from(matSession)
    .where(ownedBy(matSession, userId, id));
  if (!s) return null;
  // Compared in the database: its times are finer than a JavaScript Date, so a value read back would not match itself.
  const newer = sql`(${matSession.startedAt}, ${matSession.createdAt}, ${matSession.id}) > (select started_at, created_at, id from mat_session where id = ${s.id})`;
  const [row] = await db
    .select({ n: count() })
    .from(matSession)
    .where(and(eq(matSession.userId, userId), newer));
  return Number(row?.n ?? 0);
}

const MEASURE_COLUMNS = {
  pain: [matSession.painBefore, matSession.painAfter],
  tension: [matSession.tensionBefore, matSession.tensionAfter],
  stress: [matSession.stressBefore, matSession.stressAfter],
  relaxation: [matSession.relaxationBefore, matSession.relaxationAfter],
} as const;

/**
 * The tally of a person's whole history that the charts, their sentences and Today need
 * (`SessionTrends`), from aggregate queries: a row per local day on the clock of `timeZone`,
 * one row of sums, the first three sessions and the latest `latest`. What the server reads
 * stays small however many sessions there are; `tallySessions` is the reference it is tested
 * against. `timeZone` must be a zone the runtime knows (every zone of `listTimeZones` is known
 * to both databases: tested).
 */
export async function loadSessionTrends(
  db: Db,
  userId: string,
  timeZone: string,
  latest = MAX_SESSION_POINTS,
): Promise<SessionTrends> {
  return toSessionTrends(await selectBatch(db, sessionTrendsQueries(db, userId, timeZone, latest)));
}

/**
 * The four queries behind `loadSessionTrends`, not run: a page batches them with its other
 * reads into one round trip (`selectBatch`), then reads them with `toSessionTrends`.
 */
export function sessionTrendsQueries(db: Db, userId: string, timeZone: string, latest = MAX_SESSION_POINTS) {
  const mine = eq(matSession.userId, userId);
  const localDay = sql<string>`to_char(${matSession.startedAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
  const both = (m: Measure) => and(isNotNull(MEASURE_COLUMNS[m][0]), isNotNull(MEASURE_COLUMNS[m][1]));
  const sums = Object.fromEntries(
    MEASURES.flatMap((m) => [
      [`${m}Count`, sql<number>`count(*) filter (where ${both(m)})::int`],
      [`${m}Before`, sql<number>`coalesce(sum(${MEASURE_COLUMNS[m][0]}) filter (where ${both(m)}), 0)::int`],
      [`${m}After`, sql<number>`coalesce(sum(${MEASURE_COLUMNS[m][1]}) filter (where ${both(m)}), 0)::int`],
    ]),
  ) as Record<string, SQL<number>>;
  return {
    trendTotals: db
      .select({ count: sql<number>`count(*)::int`, ...sums })
      .from(matSession)
      .where(mine),
    trendDays: db
      .select({
        day: localDay,
        count: sql<number>`count(*)::int`,
        discomfortSum: sql<number>`sum(${matSession.discomfort})::int`,
      })
      .from(matSession)
      .where(mine)
      .groupBy(sql`1`) // by position: the zone is a parameter, so the expression is not repeated
      .orderBy(sql`1`),
    trendFirst: db
      .select({ discomfort: matSession.discomfort })
      .from(matSession)
      .where(mine)
      .orderBy(matSession.startedAt, matSession.createdAt, matSession.id)
      .limit(3),
    trendRecent: db
      .select({
        startedAt: matSession.startedAt,
        day: localDay,
        durationSeconds: matSession.durationSeconds,
        discomfort: matSession.discomfort,
      })
      .from(matSession)
      .where(mine)
      .orderBy(...NEWEST_FIRST)
      .limit(latest),
  };
}

type TrendQueries = ReturnType<typeof sessionTrendsQueries>;

/** The tally from the rows of `sessionTrendsQueries`. */
export function toSessionTrends(rows: { [K in keyof TrendQueries]: Awaited<TrendQueries[K]> }): SessionTrends {
  const totals = rows.trendTotals[0];
  const count = Number(totals?.count ?? 0);
  if (count === 0) return { count: 0, first: [], latest: [], days: [], measures: [] };
  const t = totals as Record<string, number>;
  return {
    count,
    first: rows.trendFirst.map((r) => r.discomfort),
    latest: [...rows.trendRecent].reverse().map((r) => ({ ...r, startedAt: r.startedAt.toISOString() })),
    days: rows.trendDays.map((d) => ({ day: d.day, count: Number(d.count), discomfortSum: Number(d.discomfortSum) })),
    measures: MEASURES.flatMap((measure) => {
      const n = Number(t[`${measure}Count`]);
      return n > 0
        ? [{ measure, count: n, beforeSum: Number(t[`${measure}Before`]), afterSum: Number(t[`${measure}After`]) }]
        : [];
    }),
  };
}

/** The query of `listMatSessionsPage`, not run (for `selectBatch`; map its rows with `toRecord`). */
export function matSessionsPageQuery(db: Db, userId: string, page: { offset: number; limit: number }) {
  return db
    .select()
    .from(matSession)
    .where(eq(matSession.userId, userId))
    .orderBy(...NEWEST_FIRST)
    .limit(page.limit)
    .offset(page.offset);
}

/** One of the person's sessions; NotFoundError when it is not theirs or does not exist. */
export async function requireMatSession(db: Db, userId: string, id: string): Promise<MatSessionRecord> {
  return toRecord(
    requireRow(
      await db
        .select()
        .from(matSession)
        .where(ownedBy(matSession, userId, id)),
      NO_SUCH,
    ),
  );
}

/** Replaces a session's details; NotFoundError (and nothing changed) when it is not the person's. */
export async function updateMatSession(
  db: Db,
  userId: string,
  id: string,
  input: SessionInput,
): Promise<MatSessionRecord> {
  return toRecord(
    requireRow(
      await db
        .update(matSession)
        .set(toColumns(input))
        .where(ownedBy(matSession, userId, id))
        .returning(),
      NO_SUCH,
    ),
  );
}

/** Deletes a session; NotFoundError (and nothing deleted) when it is not the person's. */
export async function deleteMatSession(db: Db, userId: string, id: string): Promise<void> {
  requireRow(
    await db
      .delete(matSession)
      .where(ownedBy(matSession, userId, id))
      .returning({ id: matSession.id }),
    NO_SUCH,
  );
}
