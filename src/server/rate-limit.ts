/**
 * Fixed-window rate limits with the counters in the database, so a limit holds however
 * many server processes share it. One atomic upsert per hit: no read-then-write race.
 * @module
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { RateLimitedError } from "../core/errors";
import type { Db } from "./db/client";

export interface RatePolicy {
  /** Length of the window in seconds. */
  windowSeconds: number;
  /** Requests allowed per window. */
  max: number;
}

/** Limits for signing in and up: per client address and per account. */
export const AUTH_LIMITS = {
  signInPerIp: { windowSeconds: 15 * 60, max: 30 },
  signInPerAccount: { windowSeconds: 15 * 60, max: 8 },
  signUpPerIp: { windowSeconds: 60 * 60, max: 10 },
  resetPerAccount: { windowSeconds: 60 * 60, max: 3 },
} as const satisfies Record<string, RatePolicy>;

/** An account key that does not store the email itself. */
export function accountKey(scope: string, email: string): string {
  return `${scope}:account:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

export function ipKey(scope: string, ip: string): string {
  return `${scope}:ip:${ip}`;
}

/** Counts one request against `key`; returns whether it is within the policy. */
export async function hitRateLimit(db: Db, key: string, policy: RatePolicy, now = new Date()): Promise<{ allowed: boolean; count: number; retryAfterSeconds: number }> {
  const nowIso = now.toISOString();
  const result = await db.execute<{ count: number; window_start: string | Date }>(sql`
    insert into request_counter (key, window_start, count) values (${key}, ${nowIso}::timestamptz, 1)
    on conflict (key) do update set
      count = case when request_counter.window_start <= ${nowIso}::timestamptz - make_interval(secs => ${policy.windowSeconds}) then 1 else request_counter.count + 1 end,
      window_start = case when request_counter.window_start <= ${nowIso}::timestamptz - make_interval(secs => ${policy.windowSeconds}) then ${nowIso}::timestamptz else request_counter.window_start end
    returning count, window_start`);
  const row = (result as { rows: { count: number; window_start: string | Date }[] }).rows[0];
  const count = Number(row?.count ?? 1);
  const start = new Date(row?.window_start ?? now).getTime();
  const retryAfterSeconds = Math.max(1, Math.ceil((start + policy.windowSeconds * 1000 - now.getTime()) / 1000));
  return { allowed: count <= policy.max, count, retryAfterSeconds };
}

/** Counts the request against every key and throws RateLimitedError if any is over. */
export async function requireWithinLimits(db: Db, checks: { key: string; policy: RatePolicy }[], now = new Date()): Promise<void> {
  for (const { key, policy } of checks) {
    const r = await hitRateLimit(db, key, policy, now);
    if (!r.allowed) {
      const minutes = Math.ceil(r.retryAfterSeconds / 60);
      throw new RateLimitedError(`Too many attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`, r.retryAfterSeconds);
    }
  }
}

/** Forgets the counters of one key (for example after a successful sign-in). */
export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from request_counter where key = ${key}`);
}
