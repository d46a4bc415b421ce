/**
 * The rate-limit counters (`request_counter`, and better-auth's own `rate_limit` rows): one atomic
 * upsert per counted request, so a limit holds however many server processes share it. The
 * policies live in src/server/rate-limit.ts.
 * @module
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * Counts one request against `key`: a new window starts when the counter's window (of
 * `windowSeconds`) has ended. Returns the count and when the current window started.
 */
export async function countRequest(
  db: Db,
  key: string,
  windowSeconds: number,
  now: Date,
): Promise<{ count: number; windowStart: Date }> {
  const nowIso = now.toISOString();
  const result = await db.execute<{ count: number; window_start: string | Date }>(sql`
    insert into request_counter (key, window_start, count) values (${key}, ${nowIso}::timestamptz, 1)
    on conflict (key) do update set
      count = case when request_counter.window_start <= ${nowIso}::timestamptz - make_interval(secs => ${windowSeconds}) then 1 else request_counter.count + 1 end,
      window_start = case when request_counter.window_start <= ${nowIso}::timestamptz - make_interval(secs => ${windowSeconds}) then ${nowIso}::timestamptz else request_counter.window_start end
    returning count, window_start`);
  const row = (result as { rows: { count: number; window_start: string | Date }[] }).rows[0];
  return { count: Number(row?.count ?? 1), windowStart: new Date(row?.window_start ?? now) };
}

/**
 * Deletes our counters whose window started before `cutoff`, and better-auth's limiter rows last
 * used before `libraryCutoffMs` (ms since the epoch). Returns how many rows went.
 */
export async function deleteEndedCounters(db: Db, cutoff: Date, libraryCutoffMs: number): Promise<number> {
  const ours = await db.execute(
    sql`delete from request_counter where window_start < ${cutoff.toISOString()}::timestamptz`,
  );
  const library = await db.execute(sql`delete from rate_limit where last_request < ${libraryCutoffMs}`);
  return affected(ours) + affected(library);
}

function affected(result: unknown): number {
  const r = result as { affectedRows?: number; rowCount?: number | null };
  return Number(r.affectedRows ?? r.rowCount ?? 0);
}

/** Forgets the counter of one key. */
export async function deleteCounter(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from request_counter where key = ${key}`);
}
