/**
 * The signed-in session, kept for a few seconds (issue 27, decision 095). Looking a session up
 * costs two database round trips (the session row, then its user); a person moving between
 * pages asks for the same one many times a minute. So a lookup that found a session is kept
 * for `SESSION_CACHE_MS` under the exact signed cookie it came with (its value carries the
 * cookie's signature, so only a cookie that was already checked can hit).
 *
 * Invalidation rule: in this process, everything that ends a session or changes what a cached
 * one says drops it at once: sign-out drops the cookie's entry; sign-out everywhere, a password
 * change, an account deletion and a time-zone change drop every entry of the person; a password
 * reset (whose link names no session) drops all entries. A lookup that was under way when an
 * entry was dropped does not put it back (the generation check). Other processes on the same
 * PostgreSQL see the change within `SESSION_CACHE_MS` at the latest.
 * @module
 */

/** How long a looked-up session is reused without asking the database again. */
export const SESSION_CACHE_MS = 5_000;
/** Most sessions kept at once; the oldest go first. */
const MAX_ENTRIES = 5_000;

interface Entry<T> {
  value: T;
  userId: string;
  until: number;
}

/** What the cache needs to know about a session: whose it is and when it ends. */
export interface CacheableSession {
  user: { id: string };
  session: { expiresAt: Date };
}

const entries = new Map<string, Entry<CacheableSession>>();
let generation = 0;

/** The session cookies of a request as one key (name and signed value), or null without one. */
export function sessionCacheKey(request: Request): string | null {
  const cookie = request.headers.get("cookie");
  if (!cookie) return null;
  const found = cookie.match(/(?:^|;\s*)((?:__Secure-)?better-auth\.session_token=[^;]*)/g);
  return found ? found.map((c) => c.replace(/^;?\s*/, "")).join("; ") : null;
}

/** The generation to hand back to `rememberSession`: a drop in between keeps the lookup out. */
export function sessionGeneration(): number {
  return generation;
}

/** The kept session for `key`, or undefined when there is none, or it is too old or has ended. */
export function cachedSession<T extends CacheableSession>(key: string, now = Date.now()): T | undefined {
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.until <= now || entry.value.session.expiresAt.getTime() <= now) {
    entries.delete(key);
    return undefined;
  }
  return entry.value as T;
}

/** Keeps a session found for `key`, unless something was dropped since the lookup began. */
export function rememberSession(key: string, value: CacheableSession, startedAt: number, now = Date.now()): void {
  if (startedAt !== generation) return;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(key, { value, userId: value.user.id, until: now + SESSION_CACHE_MS });
}

/** Drops the entry of this request's cookie (sign-out). */
export function forgetSession(request: Request): void {
  generation++;
  const key = sessionCacheKey(request);
  if (key) entries.delete(key);
}

/** Drops every entry of a person (sign-out everywhere, password change, deletion, time zone). */
export function forgetSessionsOf(userId: string): void {
  generation++;
  for (const [key, entry] of entries) if (entry.userId === userId) entries.delete(key);
}

/** Drops every entry (a password reset, whose link does not say which sessions it ends). */
export function forgetAllSessions(): void {
  generation++;
  entries.clear();
}
