import { describe, expect, it } from "vitest";
import { analyzeExperiment } from "./analyze";
import { analyzeAnytime, blockContrasts, eProcessPath, THRESHOLD } from "./anytime";
import { createExperimentDesign, type Day } from "./experiment";
import { createSeededRng } from "./rng";
import { simulateExperiment } from "./simulation";

/** Every sign pattern of `sizes`: the contrasts the fair coins could have produced under the null. */
function allSignings(sizes: readonly number[]): number[][] {
  return Array.from({ length: 2 ** sizes.length }, (_, mask) => sizes.map((s, i) => ((mask >> i) & 1 ? s : -s)));
}

describe("the e-process under the null, by enumeration of every coin", () => {
  const sizes = [0.4, 2.1, 1.3, 0.2, 3.5, 0.9, 1.1, 2.6, 0.7, 1.8, 0.3, 1.5];
  const signings = allSignings(sizes);

  it.each([1, -1] as const)("is a martingale on side %i: the mean wealth after every block is exactly 1", (side) => {
    const sums = new Float64Array(sizes.length);
    for (const contrasts of signings) eProcessPath(contrasts, 0, side).forEach((e, t) => (sums[t]! += e));
    for (const sum of sums) expect(sum / signings.length).toBeCloseTo(1, 10);
  });

  it("ever reaches its threshold with probability at most its α (Ville's inequality)", () => {
    const ever = (side: 1 | -1, threshold: number) =>
      signings.filter((c) => eProcessPath(c, 0, side).some((e) => e >= threshold)).length / signings.length;
    expect(ever(1, THRESHOLD.benefit)).toBeLessThanOrEqual(1 / THRESHOLD.benefit);
    expect(ever(-1, THRESHOLD.harm)).toBeLessThanOrEqual(1 / THRESHOLD.harm);
    // It is not vacuous: all twelve signs for the mat do reach it.
    expect(eProcessPath(sizes, 0, 1).at(-1)!).toBeGreaterThan(THRESHOLD.benefit);
  });

  it("is a martingale under a shifted null too: contrasts δ ± size, tested at δ", () => {
    const delta = 1.7;
    const sums = new Float64Array(sizes.length);
    for (const contrasts of signings)
      eProcessPath(
        contrasts.map((x) => x + delta),
        delta,
        1,
      ).forEach((e, t) => (sums[t]! += e));
    for (const sum of sums) expect(sum / signings.length).toBeCloseTo(1, 10);
  });
});

describe("the e-process under the null, by simulation of correlated days", () => {
  it("says 'benefit' at some look in at most its share of null experiments (AR(1) ρ = 0.7, looks after every pair)", () => {
    const rng = createSeededRng(3);
    let benefit = 0;
    let harm = 0;
    const runs = 2_000;
    for (let r = 0; r < runs; r++) {
      const { contrasts } = blockContrasts(createExperimentDesign(simulateExperiment(rng, 40, 0.7, 0, 0.1, 1)), -1);
      if (eProcessPath(contrasts, 0, 1).some((e) => e >= THRESHOLD.benefit)) benefit++;
      if (eProcessPath(contrasts, 0, -1).some((e) => e >= THRESHOLD.harm)) harm++;
    }
    // α = 0.04 and 0.01, plus three Monte-Carlo standard errors.
    expect(benefit / runs).toBeLessThanOrEqual(0.04 + 3 * Math.sqrt((0.04 * 0.96) / runs));
    expect(harm / runs).toBeLessThanOrEqual(0.01 + 3 * Math.sqrt((0.01 * 0.99) / runs));
  });

  it("finds a real effect: 1 point at sd 1.5 in most 42-pair experiments", () => {
    const rng = createSeededRng(4);
    const rho = 0.5;
    const effect = -(1 / 1.5) / Math.sqrt(1 - rho * rho);
    let found = 0;
    for (let r = 0; r < 300; r++) {
      const { contrasts } = blockContrasts(
        createExperimentDesign(simulateExperiment(rng, 42, rho, effect, 0.05, 1)),
        -1,
      );
      if (analyzeAnytime(contrasts).verdict === "benefit") found++;
    }
    expect(found / 300).toBeGreaterThan(0.7);
  });
});

describe("the confidence sequence", () => {
  const rng = createSeededRng(9);
  const contrasts = Array.from({ length: 30 }, () => 1 + rng.normal());
  const result = analyzeAnytime(contrasts);
  const rejectedBy = (delta: number, side: 1 | -1) =>
    eProcessPath(contrasts, delta, side).some((e) => e >= (side > 0 ? THRESHOLD.benefit : THRESHOLD.harm));

  it("is the set of effects neither side has rejected at any look", () => {
    const [lower, upper] = result.cs95 as [number, number];
    expect(lower).toBeLessThan(upper);
    const width = upper - lower;
    expect(rejectedBy(lower - 1e-6 * width, 1)).toBe(true);
    expect(rejectedBy(lower + 1e-6 * width, 1)).toBe(false);
    expect(rejectedBy(upper + 1e-6 * width, -1)).toBe(true);
    expect(rejectedBy(upper - 1e-6 * width, -1)).toBe(false);
    expect(rejectedBy((lower + upper) / 2, 1) || rejectedBy((lower + upper) / 2, -1)).toBe(false);
  });

  it("agrees with the verdict: 'benefit' exactly when the lower end is above 0", () => {
    expect(result.verdict).toBe("benefit");
    expect(result.cs95[0]).toBeGreaterThan(0);
    expect(result.e_benefit).toBeGreaterThanOrEqual(THRESHOLD.benefit);
  });

  it("only narrows as blocks arrive (a running intersection)", () => {
    let previous: [number, number] = [-Infinity, Infinity];
    for (let t = 1; t <= contrasts.length; t++) {
      const [lo, hi] = analyzeAnytime(contrasts.slice(0, t)).cs95;
      const now: [number, number] = [lo ?? -Infinity, hi ?? Infinity];
      expect(now[0]).toBeGreaterThanOrEqual(previous[0] - 1e-9);
      expect(now[1]).toBeLessThanOrEqual(previous[1] + 1e-9);
      previous = now;
    }
  });

  it("keeps a verdict once reached: the e-value is stopped at the threshold", () => {
    const strong = [3, 2.5, 3.2, 2.8, 3.1, 2.9, 3.3, 3.0];
    const reached = analyzeAnytime(strong);
    expect(reached.verdict).toBe("benefit");
    const later = analyzeAnytime([...strong, -3, -3, -3, -3]);
    expect(later.verdict).toBe("benefit");
    expect(later.e_benefit).toBe(reached.e_benefit);
  });

  it("covers a constant effect at every look in ≥ 95% of simulated experiments", () => {
    const sim = createSeededRng(12);
    let covered = 0;
    const runs = 500;
    for (let r = 0; r < runs; r++) {
      const xs = Array.from({ length: 40 }, () => 0.8 + 1.3 * sim.normal());
      if (!rejectedAt(xs, 0.8)) covered++;
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.95 - 3 * Math.sqrt((0.05 * 0.95) / runs));
  });
});

function rejectedAt(contrasts: number[], delta: number): boolean {
  return (
    eProcessPath(contrasts, delta, 1).some((e) => e >= THRESHOLD.benefit) ||
    eProcessPath(contrasts, delta, -1).some((e) => e >= THRESHOLD.harm)
  );
}

describe("awkward data: an answer, never NaN", () => {
  const day = (date: string, block: number, condition: "A" | "B", value: number | null, period?: number): Day =>
    period === undefined ? { date, block, condition, value } : { date, block, condition, value, period };

  it.each([
    ["no usable block", []],
    ["one block", [2]],
    ["all contrasts 0", [0, 0, 0, 0, 0, 0, 0, 0]],
    ["five blocks", [1, 1, 1, 1, 1]],
  ])("%s: undecided, finite e-values, interval ends null or finite", (_name, contrasts) => {
    const r = analyzeAnytime(contrasts);
    expect(r.verdict).toBe("undecided");
    expect(Number.isFinite(r.e_benefit) && Number.isFinite(r.e_harm)).toBe(true);
    for (const end of r.cs95) expect(end === null || Number.isFinite(end)).toBe(true);
  });

  it("every value equal: undecided, with an answer", () => {
    const days = Array.from({ length: 12 }, (_, i) =>
      day(`2024-03-${String(i + 1).padStart(2, "0")}`, 1 + Math.floor(i / 2), i % 2 ? "B" : "A", 4),
    );
    const r = analyzeExperiment(days, { rng: createSeededRng(1), autocorrelation: false });
    expect(r.anytime.verdict).toBe("undecided");
    expect(JSON.stringify(r.anytime)).not.toMatch(/NaN/);
  });

  it("a block with a missing condition counts only once both periods are measured; gaps are fine", () => {
    const days = [
      day("2024-03-01", 1, "A", 3, 1),
      day("2024-03-02", 1, "A", null, 1),
      day("2024-03-03", 1, "B", 5, 2),
      day("2024-03-04", 1, "B", 6, 2),
      day("2024-03-05", 2, "B", null, 1),
      day("2024-03-06", 2, "A", 2, 2),
      day("2024-03-09", 3, "B", 5, 1),
      day("2024-03-10", 3, "A", 3, 2),
      day("2024-03-11", 3, "A", 4, 2),
    ];
    const c = blockContrasts(createExperimentDesign(days), -1);
    expect(c.incomplete).toBe(1);
    expect(c.contrasts).toEqual([-(3 - 5.5), -(3.5 - 5)]);
  });

  it("blocks with unequal numbers of A and B days (no periods) are left out with a warning", () => {
    const days = [
      day("2024-03-01", 1, "A", 3),
      day("2024-03-02", 1, "A", 3),
      day("2024-03-03", 1, "B", 5),
      ...Array.from({ length: 8 }, (_, i) =>
        day(`2024-04-${String(i + 1).padStart(2, "0")}`, 2 + Math.floor(i / 2), i % 2 ? "B" : "A", i % 2 ? 5 : 3),
      ),
    ];
    const r = analyzeExperiment(days, { rng: createSeededRng(1), autocorrelation: false });
    expect(r.warnings.some((w) => w.includes("unequal numbers of A and B days"))).toBe(true);
    expect(blockContrasts(createExperimentDesign(days), -1).unbalanced).toBe(1);
  });
});

describe("the JSON contract of `anytime`", () => {
  it("has exactly e_benefit, e_harm, cs95, verdict and method, with cs95 oriented like `benefit`", () => {
    const rng = createSeededRng(5);
    const days = simulateExperiment(rng, 20, 0.3, 2, 0, 1); // the mat raises the outcome by 2: better "higher" is a benefit
    const r = analyzeExperiment(days, { rng: createSeededRng(1), better: "higher", autocorrelation: false });
    const json = JSON.parse(JSON.stringify(r)) as { anytime: Record<string, unknown>; benefit: number };
    expect(Object.keys(json.anytime).sort()).toEqual(["cs95", "e_benefit", "e_harm", "method", "verdict"]);
    expect(json.anytime["verdict"]).toBe("benefit");
    const [lo, hi] = json.anytime["cs95"] as [number, number];
    expect(lo).toBeGreaterThan(0);
    expect(lo).toBeLessThan(json.benefit);
    expect(hi).toBeGreaterThan(json.benefit);
    const lower = analyzeExperiment(days, { rng: createSeededRng(1), better: "lower", autocorrelation: false });
    expect(lower.anytime.verdict).toBe("harm");
    expect(lower.anytime.cs95[1]).toBeLessThan(0);
  });
});

describe("against a second, naive implementation written from the decision record", () => {
  /** Decision 093 read literally: products per strength, their mean, the first crossing; the interval by a fine scan instead of bisection. */
  function naive(xs: number[]) {
    const gammas = [0.3, 0.6, 1];
    const wealth = (delta: number, side: number) => {
      const path: number[] = [];
      for (let t = 0; t < xs.length; t++) {
        let mean = 0;
        for (const g of gammas) {
          let w = 1;
          for (let j = 0; j <= t; j++) {
            const earlier = xs.slice(0, j);
            const s = j >= 2 ? Math.sqrt(earlier.reduce((a, x) => a + x * x, 0) / j) : null;
            const z = side * (xs[j]! - delta);
            const b =
              z === 0 ? 0 : s === null ? Math.tanh(g) * Math.sign(z) : s === 0 ? Math.sign(z) : Math.tanh((g * z) / s);
            w *= 1 + b;
          }
          mean += w / gammas.length;
        }
        path.push(mean);
      }
      return path;
    };
    const ever = (delta: number, side: number, threshold: number) => wealth(delta, side).some((e) => e >= threshold);
    let lower = Infinity;
    let upper = -Infinity;
    for (let delta = -3; delta <= 5; delta += 0.001) {
      if (!ever(delta, 1, 25) && !ever(delta, -1, 100)) {
        lower = Math.min(lower, delta);
        upper = Math.max(upper, delta);
      }
    }
    const stop = (path: number[], threshold: number) => path.find((e) => e >= threshold) ?? path.at(-1)!;
    return { eBenefit: stop(wealth(0, 1), 25), eHarm: stop(wealth(0, -1), 100), lower, upper };
  }

  it("gives the same e-values and the same interval (to the scan's step)", () => {
    const rng = createSeededRng(21);
    const xs = Array.from({ length: 18 }, () => 0.9 + 1.2 * rng.normal());
    const fast = analyzeAnytime(xs);
    const slow = naive(xs);
    expect(fast.e_benefit).toBeCloseTo(slow.eBenefit, 9);
    expect(fast.e_harm).toBeCloseTo(slow.eHarm, 9);
    expect(Math.abs(fast.cs95[0]! - slow.lower)).toBeLessThan(0.0011);
    expect(Math.abs(fast.cs95[1]! - slow.upper)).toBeLessThan(0.0011);
  });
});
