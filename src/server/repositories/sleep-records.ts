/**
 * Imported sleep, one row per night and source; every query is scoped by the owner's id. An
 * import is one transaction: all its nights are stored, or none.
 * @module
 */
import { and, asc, between, count, eq, sql } from "drizzle-orm";
import type { SleepNight, SleepSource } from "../../core/health-import/night";
import type { Db } from "../db/client";
import { sleepRecord } from "../db/schema";

export interface SleepRecord extends SleepNight {
  id: string;
  fileName: string;
  importedAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The one mapping from a row to what pages and the export see. */
export function toSleepRecord(row: typeof sleepRecord.$inferSelect): SleepRecord {
  return {
    id: row.id,
    night: row.night,
    source: row.source as SleepSource,
    bedtime: iso(row.bedtime),
    sleepOnset: iso(row.sleepOnset),
    wakeTime: iso(row.wakeTime),
    totalSleepMinutes: row.totalSleepMinutes,
    sleepLatencyMinutes: row.sleepLatencyMinutes,
    fileName: row.fileName,
    importedAt: row.importedAt.toISOString(),
  };
}

/** Rows per insert: well under PostgreSQL's 65,535 parameters (11 per row). */
const BATCH = 1000;

/**
 * Stores the nights of one import in one transaction; a night already stored from the same
 * source is replaced (the newer file wins). Returns how many nights were stored.
 */
export async function saveSleepNights(
  db: Db,
  userId: string,
  nights: readonly SleepNight[],
  fileName: string,
  now = new Date(),
): Promise<number> {
  if (nights.length === 0) return 0;
  const d = (s: string | null) => (s ? new Date(s) : null);
  await db.transaction(async (tx) => {
    for (let i = 0; i < nights.length; i += BATCH) {
      const values = nights.slice(i, i + BATCH).map((n) => ({
        userId,
        source: n.source,
        night: n.night,
        bedtime: d(n.bedtime),
        sleepOnset: d(n.sleepOnset),
        wakeTime: d(n.wakeTime),
        totalSleepMinutes: n.totalSleepMinutes,
        sleepLatencyMinutes: n.sleepLatencyMinutes,
        fileName,
        importedAt: now,
      }));
      await tx
        .insert(sleepRecord)
        .values(values)
        .onConflictDoUpdate({
          target: [sleepRecord.userId, sleepRecord.source, sleepRecord.night],
          set: {
            bedtime: sql`excluded.bedtime`,
            sleepOnset: sql`excluded.sleep_onset`,
            wakeTime: sql`excluded.wake_time`,
            totalSleepMinutes: sql`excluded.total_sleep_minutes`,
            sleepLatencyMinutes: sql`excluded.sleep_latency_minutes`,
            fileName: sql`excluded.file_name`,
            importedAt: sql`excluded.imported_at`,
          },
        });
    }
  });
  return nights.length;
}

/** Every imported night, oldest first (then by source). */
export async function listSleepRecords(db: Db, userId: string): Promise<SleepRecord[]> {
  const rows = await db
    .select()
    .from(sleepRecord)
    .where(eq(sleepRecord.userId, userId))
    .orderBy(asc(sleepRecord.night), asc(sleepRecord.source));
  return rows.map(toSleepRecord);
}

/** The nights from `from` to `to` (YYYY-MM-DD, both included). */
export async function listSleepRecordsBetween(
  db: Db,
  userId: string,
  from: string,
  to: string,
): Promise<SleepRecord[]> {
  const rows = await db
    .select()
    .from(sleepRecord)
    .where(and(eq(sleepRecord.userId, userId), between(sleepRecord.night, from, to)))
    .orderBy(asc(sleepRecord.night), asc(sleepRecord.source));
  return rows.map(toSleepRecord);
}

/** Per source: how many nights, the first and the last. */
export async function summarizeSleepSources(
  db: Db,
  userId: string,
): Promise<{ source: SleepSource; nights: number; first: string; last: string }[]> {
  const rows = await db
    .select({
      source: sleepRecord.source,
      nights: count(),
      first: sql<string>`min(${sleepRecord.night})`,
      last: sql<string>`max(${sleepRecord.night})`,
    })
    .from(sleepRecord)
    .where(eq(sleepRecord.userId, userId))
    .groupBy(sleepRecord.source)
    .orderBy(asc(sleepRecord.source));
  return rows.map((r) => ({ source: r.source as SleepSource, nights: Number(r.nights), first: r.first, last: r.last }));
}

/** Deletes every night imported from `source`; returns how many. */
export async function deleteSleepSource(db: Db, userId: string, source: SleepSource): Promise<number> {
  const rows = await db
    .delete(sleepRecord)
    .where(and(eq(sleepRecord.userId, userId), eq(sleepRecord.source, source)))
    .returning({ id: sleepRecord.id });
  return rows.length;
}
