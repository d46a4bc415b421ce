import { describe, expect, it } from "vitest";
import { getLocalDate } from "../datetime";
import { parseKeptPlan, serializeKeptPlan } from "./kept";
import { describePlanDay } from "./labels";
import { createBreakInPlan, type PlanInput } from "./plan";
import { getPlanToday, getTargetMinutes } from "./today";

const input: PlanInput = {
  skin: "average",
  tolerance: "average",
  area: "back",
  level: "fine",
  areasOff: [],
  professionalAgreed: false,
  start: "2026-11-21",
};
const plan = createBreakInPlan(input);
if (plan.kind !== "plan") throw new Error("expected a plan");

describe("getPlanToday", () => {
  it.each([
    // local day, status, day number or days
    ["2026-11-19", "before", 2],
    ["2026-11-21", "on", 1],
    ["2026-11-25", "on", 5],
    ["2026-12-11", "on", 21],
    ["2026-12-12", "after", 1],
  ] as const)("%s: %s %i", (today, status, n) => {
    const t = getPlanToday(plan, today);
    expect(t.status).toBe(status);
    if (t.status === "on") expect(t.day.day).toBe(n);
    if (t.status === "before") expect(t.startsInDays).toBe(n);
    if (t.status === "after") expect(t.daysSinceEnd).toBe(n);
    expect(t.length).toBe(21);
  });

  it("names the next session day after a rest day", () => {
    const t = getPlanToday(plan, "2026-11-27"); // day 7 is a rest day in this plan
    expect(t.status === "on" && t.day.rest).toBe(true);
    expect(t.status === "on" ? t.next?.day : null).toBe(8);
  });

  it("counts the days on the person's own calendar: day 5 begins at their midnight", () => {
    // 21:30 on 25 November in New York is 02:30 UTC on the 26th: still day 5 there, already day 6 in UTC.
    const instant = new Date("2026-11-26T02:30:00Z");
    const inNewYork = getPlanToday(plan, getLocalDate(instant, "America/New_York"));
    const inUtc = getPlanToday(plan, getLocalDate(instant, "UTC"));
    expect(inNewYork.status === "on" ? inNewYork.day.day : 0).toBe(5);
    expect(inUtc.status === "on" ? inUtc.day.day : 0).toBe(6);
    // 08:00 on 21 November in Auckland is 19:00 UTC on the 20th: Auckland has begun, UTC has not.
    const early = new Date("2026-11-20T19:00:00Z");
    expect(getPlanToday(plan, getLocalDate(early, "Pacific/Auckland")).status).toBe("on");
    expect(getPlanToday(plan, getLocalDate(early, "UTC")).status).toBe("before");
  });

  it("knows the length to keep to afterwards", () => {
    expect(getTargetMinutes(plan)).toBe(25);
  });
});

describe("describePlanDay", () => {
  it("says the day in words", () => {
    expect(describePlanDay(plan.days[0]!, "back")).toBe("10 minutes, lying on your back, over a thin shirt");
    expect(describePlanDay(plan.days[0]!, "neck-shoulders")).toBe(
      "10 minutes, lying with your neck on the mat over a pillow, over a thin shirt",
    );
    expect(describePlanDay(plan.days[6]!, "back")).toBe("a rest day: give your skin a break");
  });
});

describe("kept plans", () => {
  it("round-trip, and refuse anything else", () => {
    const kept = { input, timeZone: "Pacific/Auckland" };
    expect(parseKeptPlan(serializeKeptPlan(kept))).toEqual(kept);
    expect(parseKeptPlan(JSON.stringify({ input: { ...input, skin: "leather" }, timeZone: "UTC" }))).toBeNull();
    expect(parseKeptPlan(JSON.stringify({ input, timeZone: "Mars/Base" }))).toEqual({ input, timeZone: "UTC" });
    expect(parseKeptPlan("{")).toBeNull();
    expect(parseKeptPlan(null)).toBeNull();
  });
});
