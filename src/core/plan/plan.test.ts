import { describe, expect, it } from "vitest";
import { MAX_SESSION_MINUTES } from "../sessions/options";
import { createBreakInPlan, getGentleness, MAX_STANDING_MINUTES, PlanInputSchema, type PlanInput } from "./plan";

const base: PlanInput = { skin: "average", tolerance: "average", area: "back", level: "fine", areasOff: [], professionalAgreed: false, start: "2026-12-01" };
const plan = (over: Partial<PlanInput>) => createBreakInPlan({ ...base, ...over });
const made = (over: Partial<PlanInput>) => {
  const p = plan(over);
  if (p.kind !== "plan") throw new Error(`expected a plan, got ${p.reason}`);
  return p;
};

describe("getGentleness", () => {
  it.each([
    // skin, tolerance, level → step of care
    ["average", "average", "fine", 1],
    ["low", "high", "fine", 0], // robust skin and high tolerance: the quickest plan
    ["high", "average", "fine", 2],
    ["average", "low", "fine", 2],
    ["high", "low", "fine", 3],
    ["average", "average", "extra-care", 2], // "take extra care" makes the plan gentler
    ["high", "low", "extra-care", 3], // never beyond the gentlest step
    ["low", "high", "extra-care", 1],
    ["average", "average", "see-professional", 2], // with a professional's agreement: gentler still
  ] as const)("%s skin, %s tolerance, %s → %i", (skin, tolerance, level, want) => {
    expect(getGentleness({ skin, tolerance, level })).toBe(want);
  });
});

describe("createBreakInPlan: when there is no plan", () => {
  it.each([
    [{ level: "none" }, "no-check"], // no current safety check
    [{ level: "see-professional" }, "see-professional"], // until a professional agreed
    [{ level: "keep-area-off", areasOff: ["back"], area: "back" }, "area-off"], // the chosen area is to stay off the mat
  ] as const)("%o → %s", (over, reason) => {
    expect(plan(over as Partial<PlanInput>)).toEqual({ kind: "blocked", reason });
  });

  it("plans once a professional agreed, and gentler than for the same person at 'fine'", () => {
    const agreed = made({ level: "see-professional", professionalAgreed: true });
    const fine = made({});
    expect(agreed.gentleness).toBeGreaterThan(fine.gentleness);
    expect(agreed.days[0]!.minutes).toBeLessThanOrEqual(fine.days[0]!.minutes);
  });

  it("plans for another area when one is to be kept off", () => {
    const p = made({ level: "keep-area-off", areasOff: ["back"], area: "feet" });
    expect(p.areasOff).toEqual(["back"]);
  });
});

describe("createBreakInPlan: the shape of every plan", () => {
  const cases = (["low", "average", "high"] as const).flatMap((skin) =>
    (["low", "average", "high"] as const).flatMap((tolerance) =>
      (["back", "feet", "legs", "neck-shoulders"] as const).flatMap((area) => (["fine", "extra-care", "keep-area-off"] as const).map((level) => ({ skin, tolerance, area, level }))),
    ),
  );
  it.each(cases)("%o", (over) => {
    const p = made(over);
    expect([14, 21]).toContain(p.days.length); // two or three weeks
    const sessions = p.days.filter((d) => !d.rest);
    expect(sessions[0]!.minutes).toBeGreaterThanOrEqual(5);
    expect(sessions[0]!.minutes).toBeLessThanOrEqual(10);
    expect(sessions[0]!.layer).toBe("clothing"); // always start through a layer
    for (const d of p.days) expect(d.minutes).toBeLessThanOrEqual(MAX_SESSION_MINUTES);
    const last = sessions.filter((d) => d.position !== "standing").at(-1)!;
    expect(last.minutes).toBeGreaterThanOrEqual(15);
    expect(last.minutes).toBeLessThanOrEqual(30);
    // lengths only grow (standing days are shorter on purpose)
    const lengths = sessions.filter((d) => d.position !== "standing").map((d) => d.minutes);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    // once on bare skin, the plan stays there
    const firstBare = p.days.findIndex((d) => d.layer === "bare-skin");
    if (firstBare >= 0) expect(p.days.slice(firstBare).every((d) => d.layer === "bare-skin")).toBe(true);
    // standing comes last, if at all, and briefly
    const firstStanding = p.days.findIndex((d) => d.position === "standing");
    if (firstStanding >= 0) {
      expect(p.days.slice(firstStanding).every((d) => d.position === "standing" || d.rest)).toBe(true);
      expect(firstStanding).toBeGreaterThanOrEqual(p.days.length - 3);
      for (const d of p.days.slice(firstStanding)) expect(d.minutes).toBeLessThanOrEqual(MAX_STANDING_MINUTES);
    }
  });
});

describe("createBreakInPlan: examples", () => {
  it.each([
    // over, days, first minutes, target, bare skin from, standing from
    [{}, 21, 10, 25, 6, null],
    [{ skin: "low", tolerance: "high" }, 14, 10, 30, 4, null],
    [{ skin: "low", tolerance: "high", area: "feet" }, 14, 10, 30, 4, 12], // the only plan that stands, at the end
    [{ area: "feet" }, 21, 10, 25, 6, null], // a typical person: feet seated, no standing
    [{ skin: "high" }, 21, 5, 20, 14, null], // sensitive skin: bare skin later
    [{ skin: "high", tolerance: "low" }, 21, 5, 15, 19, null], // gentlest: bare skin only in the last days
    [{ level: "extra-care" }, 21, 5, 20, 10, null],
  ] as const)("%o", (over, days, first, target, bareFrom, standingFrom) => {
    const p = made(over);
    expect(p.days).toHaveLength(days);
    expect(p.days[0]!.minutes).toBe(first);
    expect(Math.max(...p.days.filter((d) => d.position !== "standing").map((d) => d.minutes))).toBe(target);
    expect(p.bareSkinFromDay).toBe(bareFrom);
    expect(p.standingFromDay).toBe(standingFrom);
  });

  it("dates the days from the start, across a month end", () => {
    const p = made({ start: "2026-12-30" });
    expect(p.days.slice(0, 4).map((d) => d.date)).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
  });

  it("gives rest days no minutes", () => {
    const p = made({ skin: "high" });
    const rest = p.days.filter((d) => d.rest);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((d) => d.minutes === 0)).toBe(true);
  });

  it("picks the position from the area", () => {
    expect(made({ area: "back" }).days[0]!.position).toBe("lying");
    expect(made({ area: "feet" }).days[0]!.position).toBe("feet-only");
    expect(made({ area: "legs" }).days[0]!.position).toBe("sitting");
  });
});

describe("PlanInputSchema", () => {
  it.each([
    [{ ...base, skin: "very" }, "skin"],
    [{ ...base, start: "2026-13-45" }, "start"],
    [{ ...base, level: "great" }, "level"],
    [{ ...base, areasOff: ["tail"] }, "areasOff.0"],
  ])("refuses %o at %s", (value, path) => {
    const r = PlanInputSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });
});
