import { describe, expect, it } from "vitest";
import { concealCondition, concealSeed, isConcealed } from "./concealment";

describe("allocation concealment", () => {
  it.each([
    // date, today, ended, concealed
    ["2026-12-08", "2026-12-07", false, true], // tomorrow, running: kept back
    ["2026-12-07", "2026-12-07", false, false], // today: shown
    ["2026-12-06", "2026-12-07", false, false], // the past: shown
    ["2026-12-30", "2026-12-07", true, false], // ended: everything shown
  ] as const)("day %s on %s (ended %s): concealed %s", (date, today, ended, concealed) => {
    expect(isConcealed(date, { today, ended })).toBe(concealed);
  });

  it("replaces only a future day's condition with words that give its date", () => {
    const clock = { today: "2026-12-07", ended: false };
    expect(concealCondition({ date: "2026-12-09", condition: "A", pain: null }, clock)).toEqual({
      date: "2026-12-09",
      condition: "concealed until 2026-12-09",
      pain: null,
    });
    expect(concealCondition({ date: "2026-12-07", condition: "B" }, clock)).toEqual({
      date: "2026-12-07",
      condition: "B",
    });
  });

  it("keeps the seed back until the end", () => {
    expect(concealSeed(123, false)).toBe("concealed until the experiment ends");
    expect(concealSeed(123, true)).toBe(123);
    expect(concealSeed(null, false)).toBeNull();
  });
});
