import { describe, expect, it } from "vitest";
import { AUTH_LIMITS, FEEDBACK_LIMITS, LONGEST_WINDOW_SECONDS, retryMessage } from "./rate-limit";

describe("rate-limit messages and windows", () => {
  it.each([
    // seconds to wait, now, message
    [12 * 60, "2026-11-30T13:53:00Z", "You can try again in 12 minutes, after 14:05 UTC."],
    [30, "2026-11-30T13:53:00Z", "You can try again in 1 minute, after 13:53 UTC."],
    [61, "2026-11-30T23:59:30Z", "You can try again in 2 minutes, after 00:00 UTC."],
  ])("%i s from %s → %s", (seconds, now, expected) => {
    expect(retryMessage(seconds, new Date(now))).toBe(`Too many attempts. ${expected}`);
  });

  it("knows the longest window of every policy", () => {
    for (const p of [...Object.values(AUTH_LIMITS), ...Object.values(FEEDBACK_LIMITS)])
      expect(p.windowSeconds).toBeLessThanOrEqual(LONGEST_WINDOW_SECONDS);
  });
});
