import { expect, it } from "vitest";
import { RateLimitedError } from "../core/errors";
import { describeEachDatabase } from "./db/testing";
import { accountKey, clearRateLimit, hitRateLimit, requireWithinLimits } from "./rate-limit";

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
    await clearRateLimit(t.db, key);
    await expect(requireWithinLimits(t.db, checks, t0)).resolves.toBeUndefined();
  });
});
