/**
 * Fixed-window rate limits with the counters in the database, so a limit holds however
 * many server processes share it. One atomic upsert per hit: no read-then-write race.
 * @module
 */
import { createHash } from "node:crypto";
import { RateLimitedError } from "../core/errors";
import type { Db } from "./db/client";
import { logger } from "./log";
import { countRequest, deleteCounter, deleteEndedCounters } from "./repositories/rate-counters";

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

/** Reader feedback (/api/feedback): per client address. */
export const FEEDBACK_LIMITS = {
  perIp: { windowSeconds: 60 * 60, max: 20 },
} as const satisfies Record<string, RatePolicy>;

/**
 * The longest window of any policy above: a counter whose window started longer ago than this
 * has ended under every policy, so it can be deleted. A new policy must be listed here.
 */
export const LONGEST_WINDOW_SECONDS = Math.max(
  ...[...Object.values(AUTH_LIMITS), ...Object.values(FEEDBACK_LIMITS)].map((p) => p.windowSeconds),
);

/** How often (at most) one process deletes ended counters, piggy-backing on a counted request. */
const PURGE_EVERY_MS = 10 * 60 * 1000;
/** better-auth's own limiter window (src/server/auth/auth.ts: rateLimit.window). */
const LIBRARY_WINDOW_MS = 60 * 1000;

/** An account key that does not store the email itself. */
export function accountKey(scope: string, email: string): string {
  return `${scope}:account:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

export function ipKey(scope: string, ip: string): string {
  return `${scope}:ip:${ip}`;
}

/** Counts one request against `key`; returns whether it is within the policy. */
export async function hitRateLimit(
  db: Db,
  key: string,
  policy: RatePolicy,
  now = new Date(),
): Promise<{ allowed: boolean; count: number; retryAfterSeconds: number }> {
  const { count, windowStart } = await countRequest(db, key, policy.windowSeconds, now);
  const start = windowStart.getTime();
  const retryAfterSeconds = Math.max(1, Math.ceil((start + policy.windowSeconds * 1000 - now.getTime()) / 1000));
  return { allowed: count <= policy.max, count, retryAfterSeconds };
}

/**
 * What a refused person reads: how long to wait and the time (UTC) the limit ends, e.g.
 * "Too many attempts. You can try again in 12 minutes, after 14:05 UTC."
 */
export function retryMessage(retryAfterSeconds: number, now: Date): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const ends = new Date(now.getTime() + retryAfterSeconds * 1000);
  const hhmm = ends.toISOString().slice(11, 16);
  return `Too many attempts. You can try again in ${minutes} minute${minutes === 1 ? "" : "s"}, after ${hhmm} UTC.`;
}

/** Counts the request against every key and throws RateLimitedError (saying when it ends) if any is over. */
export async function requireWithinLimits(
  db: Db,
  checks: { key: string; policy: RatePolicy }[],
  now = new Date(),
): Promise<void> {
  await purgeOccasionally(db, now);
  for (const { key, policy } of checks) {
    if (policy.windowSeconds > LONGEST_WINDOW_SECONDS)
      throw new Error(
        `rate policy for ${key} has a window longer than LONGEST_WINDOW_SECONDS: list it in src/server/rate-limit.ts`,
      );
    const r = await hitRateLimit(db, key, policy, now);
    if (!r.allowed) throw new RateLimitedError(retryMessage(r.retryAfterSeconds, now), r.retryAfterSeconds);
  }
}

/**
 * Deletes counters whose window ended under every policy (older than LONGEST_WINDOW_SECONDS),
 * and better-auth's own limiter rows older than its window. Returns how many rows went.
 */
export async function purgeExpiredCounters(db: Db, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - LONGEST_WINDOW_SECONDS * 1000);
  return deleteEndedCounters(db, cutoff, now.getTime() - LIBRARY_WINDOW_MS);
}

/** When this process last purged each database (ms since the epoch, by the `now` it was given). */
const lastPurge = new WeakMap<Db, number>();

/**
 * Purges at most once per PURGE_EVERY_MS per process, on the back of a counted request: no
 * timer keeps the process alive, and a quiet server has nothing to purge. A failure is not the
 * request's problem; the next purge tries again.
 */
async function purgeOccasionally(db: Db, now: Date): Promise<void> {
  if (now.getTime() - (lastPurge.get(db) ?? Number.NEGATIVE_INFINITY) < PURGE_EVERY_MS) return;
  lastPurge.set(db, now.getTime());
  await purgeExpiredCounters(db, now).catch((err: unknown) =>
    logger.warn("could not delete ended rate-limit counters", err),
  );
}

/** Forgets the counters of one key (for example after a successful sign-in). */
export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await deleteCounter(db, key);
}
