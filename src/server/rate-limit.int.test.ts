import { expect, it } from "vitest";
import { RateLimitedError } from "../core/errors";
import { describeEachDatabase } from "./db/testing";
import { sql } from "drizzle-orm";
import {
  accountKey,
  clearRateLimit,
  hitRateLimit,
  LONGEST_WINDOW_SECONDS,
  purgeExpiredCounters,
  requireWithinLimits,
} from "./rate-limit";

describeEachDatabase("database rate limits", (t) => {
  const policy = { windowSeconds: 60, max: 3 };
  const t0 = new Date("2026-01-01T10:00:00Z");

  it("allows up to max hits in a window, then refuses with the time to wait", async () => {
    const key = "test:ip:1";
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await hitRateLimit(t.db, key, policy, new Date(t0.getTime() + i * 1000)));
    expect(counts.map((c) => c.allowed)).toEqual([true, true, true, false]);
    expect(counts[3]?.retryAfterSeconds).toBe(57);
  });

  it("starts a new window once the old one has passed", async () => {
    const key = "test:ip:2";
    for (let i = 0; i < 4; i++) await hitRateLimit(t.db, key, policy, t0);
    expect((await hitRateLimit(t.db, key, policy, new Date(t0.getTime() + 61_000))).count).toBe(1);
  });

  it("counts concurrent hits exactly (no lost updates)", async () => {
    const key = "test:ip:3";
    await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(t.db, key, { windowSeconds: 60, max: 100 }, t0)));
    expect((await hitRateLimit(t.db, key, policy, t0)).count).toBe(21);
  });

  it("requireWithinLimits throws RateLimitedError, and clearing resets the key", async () => {
    const key = accountKey("sign-in", "Someone@Example.com");
    expect(key).not.toContain("example");
    const checks = [{ key, policy: { windowSeconds: 60, max: 1 } }];
    await requireWithinLimits(t.db, checks, t0);
    await expect(requireWithinLimits(t.db, checks, t0)).rejects.toBeInstanceOf(RateLimitedError);
    // The refusal says when the limit ends.
    await expect(requireWithinLimits(t.db, checks, new Date(t0.getTime() + 30_000))).rejects.toThrow(
      "You can try again in 1 minute, after 10:01 UTC.",
    );
    await clearRateLimit(t.db, key);
    await expect(requireWithinLimits(t.db, checks, t0)).resolves.toBeUndefined();
  });

  const keys = async () =>
    ((await t.db.execute(sql`select key from request_counter order by key`)) as { rows: { key: string }[] }).rows.map(
      (r) => r.key,
    );
  const counterAt = (key: string, at: Date) =>
    t.db.execute(
      sql`insert into request_counter (key, window_start, count) values (${key}, ${at.toISOString()}::timestamptz, 1)`,
    );

  it("deletes counters whose window ended under every policy, and better-auth's stale rows, and keeps the rest", async () => {
    const now = new Date("2027-06-01T12:00:00Z");
    const longAgo = new Date(now.getTime() - LONGEST_WINDOW_SECONDS * 1000 - 1000);
    const recent = new Date(now.getTime() - LONGEST_WINDOW_SECONDS * 1000 + 60_000);
    await counterAt("purge:ended", longAgo);
    await counterAt("purge:live", recent);
    await t.db.execute(
      sql`insert into rate_limit (id, key, count, last_request) values ('old', 'lib:old', 1, ${now.getTime() - 120_000}), ('new', 'lib:new', 1, ${now.getTime() - 1_000})`,
    );
    expect(await purgeExpiredCounters(t.db, now)).toBeGreaterThanOrEqual(2);
    const left = await keys();
    expect(left).toContain("purge:live");
    expect(left).not.toContain("purge:ended");
    const lib = (await t.db.execute(sql`select key from rate_limit`)) as { rows: { key: string }[] };
    expect(lib.rows.map((r) => r.key)).toEqual(["lib:new"]);
  });

  it("purges on the back of counted requests, at most every ten minutes, with no timer", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const old = new Date(now.getTime() - 2 * LONGEST_WINDOW_SECONDS * 1000);
    const check = [{ key: "purge:hit", policy: { windowSeconds: 60, max: 100 } }];
    await counterAt("purge:old-1", old);
    await requireWithinLimits(t.db, check, now);
    expect(await keys()).not.toContain("purge:old-1");
    await counterAt("purge:old-2", old);
    await requireWithinLimits(t.db, check, new Date(now.getTime() + 60_000));
    expect(await keys()).toContain("purge:old-2");
    await requireWithinLimits(t.db, check, new Date(now.getTime() + 11 * 60_000));
    expect(await keys()).not.toContain("purge:old-2");
  });
});
