import { describe, expect, it } from "vitest";
import { createSeededRng } from "../stats/rng";
import { protocolLength } from "./protocol";
import { addDays } from "../datetime";
import { toAnalysisRows } from "./days";
import { blocksCompleted, createSchedule, drawPairOrders } from "./schedule";

describe("createSchedule", () => {
  it.each([
    // period days, pairs, washout
    [1, 6, false],
    [2, 7, true],
    [3, 6, false],
    [7, 6, true],
  ] as const)(
    "%i-day periods, %i pairs, washout %s: every day once, each pair one A and one B period",
    (periodDays, pairs, washout) => {
      const days = createSchedule({ startsOn: "2026-03-27", periodDays, pairs, washout }, 12345);
      expect(days).toHaveLength(protocolLength({ periodDays, pairs, washout }));
      expect(days.map((d) => d.day)).toEqual(days.map((_, i) => i + 1));
      expect(days.map((d) => d.date)).toEqual(days.map((_, i) => addDays("2026-03-27", i)));
      for (let block = 1; block <= pairs; block++) {
        const inBlock = days.filter((d) => d.kind === "period" && d.block === block);
        expect(inBlock).toHaveLength(2 * periodDays);
        expect(inBlock.filter((d) => d.kind === "period" && d.condition === "A")).toHaveLength(periodDays);
        // A period is consecutive days of one condition.
        const periods = new Set(inBlock.map((d) => (d.kind === "period" ? `${d.period}${d.condition}` : "")));
        expect(periods.size).toBe(2);
      }
      expect(days.filter((d) => d.kind === "washout")).toHaveLength(washout ? pairs - 1 : 0);
    },
  );

  it("is reproduced from its seed, and the first pair is randomized too", () => {
    const p = { startsOn: "2026-01-01", periodDays: 1, pairs: 28, washout: false } as const;
    expect(createSchedule(p, 99)).toEqual(createSchedule(p, 99));
    const firsts = new Set(Array.from({ length: 40 }, (_, s) => drawPairOrders(s + 1, 1)[0]));
    expect(firsts).toEqual(new Set(["AB", "BA"]));
  });

  it("draws each pair's order as the seeded generator's fair coin", () => {
    const rng = createSeededRng(7);
    expect(drawPairOrders(7, 10)).toEqual(Array.from({ length: 10 }, () => (rng.uniform() < 0.5 ? "AB" : "BA")));
  });

  it("crosses month ends and daylight-saving dates as plain calendar days", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});

describe("blocksCompleted", () => {
  it("counts the pairs the analysis takes on any day, before, during and after the schedule, none with a day after it", () => {
    for (const periodDays of [1, 2, 3, 7] as const) {
      for (const washout of [false, true]) {
        const protocol = { startsOn: "2026-03-27", pairs: 6, periodDays, washout };
        const schedule = createSchedule(protocol, 7);
        for (let offset = -3; offset <= protocolLength(protocol) + 3; offset++) {
          const through = addDays(protocol.startsOn, offset);
          const taken = new Set(toAnalysisRows(schedule, [], "pain", { through }).map((r) => r.block)).size;
          const rows = toAnalysisRows(schedule, [], "pain", { through });
          expect(
            blocksCompleted(protocol, through),
            `${periodDays}-day periods, washout ${washout}, day ${offset + 1}`,
          ).toBe(taken);
          expect(rows.every((r) => r.date <= through)).toBe(true);
        }
      }
    }
  });
});
