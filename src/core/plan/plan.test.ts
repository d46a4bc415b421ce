import { describe, expect, it } from "vitest";
import { estimateContact, REFERENCE_MAT } from "../pressure/model";
import { POSITION_TEXT } from "../sessions/labels";
import { MAX_SESSION_MINUTES, SESSION_AREAS } from "../sessions/options";
import { describePlanDay, PLAN_POSITION_TEXT } from "./labels";
import { LYING_LIMITS, POSITION_LIMITS } from "./limits";
import { createBreakInPlan, getGentleness, PlanInputSchema, type PlanInput } from "./plan";

const base: PlanInput = {
  skin: "average",
  tolerance: "average",
  area: "back",
  level: "fine",
  areasOff: [],
  professionalAgreed: false,
  start: "2026-12-01",
};
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
      (["back", "feet", "legs", "neck-shoulders"] as const).flatMap((area) =>
        (["fine", "extra-care", "keep-area-off"] as const).map((level) => ({ skin, tolerance, area, level })),
      ),
    ),
  );
  it.each(cases)("%o", (over) => {
    const p = made(over);
    expect([14, 21]).toContain(p.days.length); // two or three weeks
    const sessions = p.days.filter((d) => !d.rest);
    expect(sessions[0]!.layer).toBe("clothing"); // always start through a layer
    for (const d of p.days) expect(d.minutes).toBeLessThanOrEqual(MAX_SESSION_MINUTES);
    const lying = sessions.filter((d) => d.position === "lying");
    if (lying.length > 0) {
      expect(lying[0]!.minutes).toBeGreaterThanOrEqual(5);
      expect(lying.at(-1)!.minutes).toBeGreaterThanOrEqual(15);
    }
    // lengths only grow within a position
    const lengths = sessions.filter((d) => d.position !== "standing").map((d) => d.minutes);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    // once on bare skin, the plan stays there
    const firstBare = p.days.findIndex((d) => d.layer === "bare-skin");
    if (firstBare >= 0) expect(p.days.slice(firstBare).every((d) => d.layer === "bare-skin")).toBe(true);
    // standing comes last, if at all
    const firstStanding = p.days.findIndex((d) => d.position === "standing");
    if (firstStanding >= 0) {
      expect(p.days.slice(firstStanding).every((d) => d.position === "standing" || d.rest)).toBe(true);
      expect(firstStanding).toBeGreaterThanOrEqual(p.days.length - 3);
    }
  });
});

/** Every profile the form can send that gets a plan: skin × tolerance × area × level. */
const everyProfile = (["low", "average", "high"] as const).flatMap((skin) =>
  (["low", "average", "high"] as const).flatMap((tolerance) =>
    SESSION_AREAS.flatMap((area) =>
      (
        [
          { level: "fine" },
          { level: "extra-care" },
          { level: "keep-area-off", areasOff: area === "back" ? ["feet"] : ["back"] },
          { level: "see-professional", professionalAgreed: true },
        ] as const
      ).map((l) => ({ skin, tolerance, area, ...l }) as Partial<PlanInput>),
    ),
  ),
);

describe("every plan step keeps to the guide's limits for its position (issue 26, item 1)", () => {
  it.each(everyProfile)("%o", (over) => {
    const p = made(over);
    const sessions = p.days.filter((d) => !d.rest);
    for (const position of new Set(sessions.map((d) => d.position))) {
      const limits = POSITION_LIMITS[position];
      const inPosition = sessions.filter((d) => d.position === position);
      expect(inPosition[0]!.minutes, `first ${position} session`).toBeLessThanOrEqual(limits.firstMinutes);
      inPosition.forEach((d, i) => {
        expect(d.minutes, `day ${d.day}, ${position}`).toBeGreaterThanOrEqual(1);
        expect(d.minutes, `day ${d.day}, ${position}`).toBeLessThanOrEqual(limits.mostMinutes);
        if (i > 0)
          expect(d.minutes - inPosition[i - 1]!.minutes, `growth to day ${d.day}, ${position}`).toBeLessThanOrEqual(
            limits.stepMinutes,
          );
      });
    }
  });

  it("standing starts at a minute or less and grows a minute at a time", () => {
    const p = made({ skin: "low", tolerance: "high", area: "feet" });
    const standing = p.days.filter((d) => d.position === "standing" && !d.rest).map((d) => d.minutes);
    expect(standing.length).toBeGreaterThan(0);
    expect(standing[0]).toBeLessThanOrEqual(1);
    expect(standing).toEqual([1, 2, 3]);
  });

  it("derives each position's limits from the pressure model, not from copies", () => {
    const index = (position: "sitting" | "standing") => {
      const e = estimateContact(REFERENCE_MAT, position);
      if (e.kind !== "estimate") throw new Error("the reference mat has a known density");
      return e.intensityIndex;
    };
    expect(POSITION_LIMITS.lying).toEqual({ loadVersusLying: 1, ...LYING_LIMITS });
    for (const position of ["sitting", "standing"] as const) {
      expect(POSITION_LIMITS[position].loadVersusLying).toBeCloseTo(index(position), 0);
      expect(POSITION_LIMITS[position].mostMinutes).toBeLessThanOrEqual(
        LYING_LIMITS.mostMinutes / index(position) + 0.5,
      );
    }
    // The how-to guide: standing is about ten times lying, so start with a minute or less.
    expect(POSITION_LIMITS.standing.firstMinutes).toBe(1);
    // Sitting on the mat is about twice lying: never as long as lying.
    expect(POSITION_LIMITS.sitting.mostMinutes).toBeLessThan(LYING_LIMITS.mostMinutes / 2);
  });
});

describe("the plan names sitting on the mat and never leaning (issue 26, item 2)", () => {
  it.each([PLAN_POSITION_TEXT.sitting, POSITION_TEXT.sitting])("%s", (text) => {
    expect(text).toMatch(/sitting on the mat/i);
    expect(text).not.toMatch(/lean/i);
  });

  it("legs sit on the mat, with sitting's limits, not lying's", () => {
    const p = made({ skin: "low", tolerance: "high", area: "legs" });
    expect(p.days.every((d) => d.position === "sitting")).toBe(true);
    expect(Math.max(...p.days.map((d) => d.minutes))).toBe(POSITION_LIMITS.sitting.mostMinutes);
  });
});

describe("feet sessions are never 'over a thin shirt' (issue 26, item 11)", () => {
  it.each(everyProfile.filter((o) => o.area === "feet" || o.area === "legs"))("%o", (over) => {
    const p = made(over);
    for (const d of p.days.filter((x) => !x.rest)) expect(describePlanDay(d, over.area!)).not.toMatch(/shirt/);
  });
});

describe("createBreakInPlan: examples", () => {
  it.each([
    // over, days, first minutes, target, bare skin from, standing from
    [{}, 21, 10, 25, 6, null],
    [{ skin: "low", tolerance: "high" }, 14, 10, 30, 4, null],
    [{ skin: "low", tolerance: "high", area: "feet" }, 14, 8, 25, 4, 12], // the only plan that stands, at the end, from 1 minute
    [{ area: "feet" }, 21, 8, 20, 6, null], // a typical person: feet seated, no standing
    [{ area: "legs" }, 21, 4, 11, 6, null], // sitting on the mat: about twice the load of lying
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
