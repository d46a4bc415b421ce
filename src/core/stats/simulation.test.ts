import { describe, expect, it } from "vitest";
import { createSeededRng } from "./rng";
import { isWithinBands, runSimulation, simulateExperiment } from "./simulation";

describe("the simulation (a few replicates; the documented run uses 2,000)", () => {
  it("runs end to end and returns sane shares", () => {
    let calls = 0;
    const result = runSimulation({
      replicates: 12,
      rng: createSeededRng(99),
      pairs: 20,
      draws: 2_000,
      kept: 1_000,
      burnIn: 200,
      onReplicate: () => calls++,
    });
    expect(calls).toBe(12);
    expect(result.replicates).toBe(12);
    expect(result.dayLevelTypeIRate).toBeNull();
    for (const share of [result.typeIRate, result.ciCoverage, result.credibleCoverage]) {
      expect(Number.isInteger(share * 12)).toBe(true);
    }
    // With 12 replicates the shares are noisy; these bounds fail only if something is broken.
    expect(result.typeIRate).toBeLessThanOrEqual(4 / 12);
    expect(result.ciCoverage).toBeGreaterThanOrEqual(8 / 12);
    expect(result.credibleCoverage).toBeGreaterThanOrEqual(8 / 12);
  });

  it("runs with 3-day periods, permuting whole periods", () => {
    const result = runSimulation({
      replicates: 8,
      rng: createSeededRng(98),
      pairs: 8,
      periodDays: 3,
      kept: 1_000,
      burnIn: 200,
    });
    expect(result.replicates).toBe(8);
    for (const share of [result.typeIRate, result.ciCoverage, result.credibleCoverage, result.independentCoverage]) {
      expect(Number.isInteger(share * 8)).toBe(true);
    }
    expect(result.typeIRate).toBeLessThanOrEqual(3 / 8);
    expect(Number.isInteger(result.dayLevelTypeIRate! * 8)).toBe(true);
    expect(result.ciCoverage).toBeGreaterThanOrEqual(5 / 8);
    expect(result.credibleCoverage).toBeGreaterThanOrEqual(5 / 8);
  });

  it("simulates pairs of periods: one condition per period, AB or BA per block", () => {
    const days = simulateExperiment(createSeededRng(2), 50, 0.5, -1, 0, 3);
    expect(days).toHaveLength(300);
    const orders = new Set<string>();
    for (let b = 1; b <= 50; b++) {
      const block = days.filter((d) => d.block === b);
      expect(block.map((d) => d.period)).toEqual([1, 1, 1, 2, 2, 2]);
      const order = block.map((d) => d.condition).join("");
      expect(["AAABBB", "BBBAAA"]).toContain(order);
      orders.add(order);
    }
    expect(orders.size).toBe(2);
    // One-day periods are the day-level design: no period, the same days as before.
    const plain = simulateExperiment(createSeededRng(3), 20, 0.5, -1, 0.1);
    expect(simulateExperiment(createSeededRng(3), 20, 0.5, -1, 0.1, 1)).toEqual(plain);
    expect(plain.some((d) => "period" in d)).toBe(false);
  });

  it("simulates paired experiments with AR(1) errors and missing days", () => {
    const days = simulateExperiment(createSeededRng(1), 200, 0.5, -1, 0.1);
    expect(days).toHaveLength(400);
    const missing = days.filter((d) => d.value === null).length / days.length;
    expect(missing).toBeGreaterThan(0.05);
    expect(missing).toBeLessThan(0.15);
    for (let b = 1; b <= 200; b++) {
      expect(
        days
          .filter((d) => d.block === b)
          .map((d) => d.condition)
          .sort(),
      ).toEqual(["A", "B"]);
    }
    // The AR(1) errors make consecutive values clearly correlated.
    const v = days.map((d) => d.value);
    let num = 0;
    let den = 0;
    const measured = v.filter((x): x is number => x !== null);
    const mean = measured.reduce((s, x) => s + x, 0) / measured.length;
    for (let t = 1; t < v.length; t++) {
      if (v[t] === null || v[t - 1] === null) continue;
      num += (v[t]! - mean) * (v[t - 1]! - mean);
      den += (v[t]! - mean) ** 2;
    }
    expect(num / den).toBeGreaterThan(0.2);
  });

  it("checks the bands", () => {
    const base = {
      replicates: 2000,
      typeIRate: 0.05,
      dayLevelTypeIRate: null,
      ciCoverage: 0.95,
      credibleCoverage: 0.95,
      independentCoverage: 0.5,
      shareSe: 0.005,
    };
    expect(isWithinBands(base)).toBe(true);
    expect(isWithinBands({ ...base, typeIRate: 0.08 })).toBe(false);
    expect(isWithinBands({ ...base, credibleCoverage: 0.92 })).toBe(false);
  });
});
