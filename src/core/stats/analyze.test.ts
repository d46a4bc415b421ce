import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import reference from "./fixtures/analyze-reference.json";
import { analyzeExperiment, decideVerdict, type Verdict } from "./analyze";
import { createExperimentDesign, parseDayRows, type Day, type RawDayRow } from "./experiment";
import { fitIndependent } from "./independent";
import { createSeededRng, type Rng } from "./rng";

/** A paired experiment: `pairs` blocks of two consecutive days, AR(1) noise, true effect δ on A. */
function pairedExperiment(rng: Rng, pairs: number, delta: number, rho = 0.3, missingShare = 0): Day[] {
  const days: Day[] = [];
  let u = rng.normal();
  for (let b = 0; b < pairs; b++) {
    const aFirst = rng.uniform() < 0.5;
    for (let j = 0; j < 2; j++) {
      const condition = (j === 0) === aFirst ? "A" : "B";
      u = rho * u + rng.normal();
      const missing = rng.uniform() < missingShare;
      days.push({
        date: new Date(Date.UTC(2024, 0, 1 + 2 * b + j)).toISOString().slice(0, 10),
        block: b + 1,
        condition,
        value: missing ? null : 5 + (condition === "A" ? delta : 0) + u,
      });
    }
  }
  return days;
}

const small = { chains: 2, burnIn: 300, kept: 1_500 };

describe("the independent model against R's lm()", () => {
  it.each(reference)("$name", (fixture) => {
    const days = fixture.days.map((d) => ({ ...d, condition: d.condition as "A" | "B", value: d.value ?? null }));
    const design = createExperimentDesign(days);
    const fit = fitIndependent(design.values, design.isA);
    expect(fit.location).toBeCloseTo(fixture.lm.effect, 12);
    expect(fit.scale).toBeCloseTo(fixture.lm.se, 12);
    expect(fit.df).toBe(fixture.lm.df);
  });
});

describe("analyzeExperiment", () => {
  it("reports the counts, means, effect and benefit in both directions", () => {
    const days = pairedExperiment(createSeededRng(1), 10, -1, 0.3, 0.1);
    const lower = analyzeExperiment(days, { rng: createSeededRng(2), autocorrelation: false });
    const measured = days.filter((d) => d.value !== null);
    const a = measured.filter((d) => d.condition === "A").map((d) => d.value!);
    const b = measured.filter((d) => d.condition === "B").map((d) => d.value!);
    expect(lower.n.A).toBe(a.length);
    expect(lower.n.B).toBe(b.length);
    expect(lower.n.blocks).toBe(10);
    const complete = new Set(days.filter((d) => d.value !== null && d.condition === "A").map((d) => d.block));
    const completeB = new Set(days.filter((d) => d.value !== null && d.condition === "B").map((d) => d.block));
    expect(lower.n.complete_blocks).toBe([...complete].filter((x) => completeB.has(x)).length);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(lower.mean.A).toBeCloseTo(mean(a), 12);
    expect(lower.effect).toBeCloseTo(mean(a) - mean(b), 12);
    expect(lower.benefit).toBeCloseTo(-lower.effect, 12);
    const higher = analyzeExperiment(days, { rng: createSeededRng(2), autocorrelation: false, better: "higher" });
    expect(higher.benefit).toBeCloseTo(lower.effect, 12);
    expect(higher.bayes.p_benefit).toBeCloseTo(1 - lower.bayes.p_benefit, 12);
  });

  it("computes the independent model's probabilities from the Student-t posterior", () => {
    const fixture = reference.find((f) => f.name === "pairs-missing")!;
    const days = fixture.days.map((d) => ({ ...d, condition: d.condition as "A" | "B", value: d.value ?? null }));
    const result = analyzeExperiment(days, { rng: createSeededRng(1), autocorrelation: false, mcid: 1 });
    expect(result.bayes.model).toBe("independent");
    expect(result.bayes.rho_mean).toBeNull();
    expect(result.bayes.rhat).toBeNull();
    expect(result.bayes.effect_mean).toBeCloseTo(fixture.lm.effect, 12);
    const df = fixture.lm.df;
    expect(result.bayes.effect_sd).toBeCloseTo(fixture.lm.se * Math.sqrt(df / (df - 2)), 12);
    // lower is better: P(δ < 0) and P(δ ≤ −1). R: pt((0 - (-1.5)) / 0.2622022, 8) etc.
    expect(result.bayes.p_benefit).toBeGreaterThan(0.999);
    expect(result.bayes.p_meaningful).toBeGreaterThan(0.9);
    expect(result.bayes.p_meaningful).toBeLessThan(0.99);
    expect(result.randomization).toEqual({ p: 2 / 64, method: "exact", arrangements: 64, draws: null });
    // Two of the six pairs lost a day: 4 complete blocks, too few for a verdict.
    expect(result.n.complete_blocks).toBe(4);
    expect(result.verdict).toBe("not-enough-data");
  });

  it("fits the AR(1) model with 2 chains by default and agrees with the randomization test's direction", () => {
    const days = pairedExperiment(createSeededRng(5), 40, -1.5, 0.5, 0.05);
    const result = analyzeExperiment(days, { rng: createSeededRng(6), ...small });
    expect(result.bayes.model).toBe("ar1");
    expect(result.bayes.rhat).not.toBeNull();
    expect(result.bayes.rho_mean).toBeGreaterThan(0);
    expect(result.randomization.method).toBe("monte-carlo");
    expect(result.randomization.draws).toBe(20_000);
    expect(result.randomization.p).toBeLessThan(0.01);
    expect(result.ci95[0]).toBeLessThan(result.effect);
    expect(result.ci95[1]).toBeGreaterThan(result.effect);
    expect(result.ci95[1]).toBeLessThan(0);
    expect(result.bayes.p_benefit).toBeGreaterThan(0.99);
    expect(Math.abs(result.bayes.effect_mean - result.effect)).toBeLessThan(3 * result.bayes.effect_sd);
  });

  it("treats calendar gaps as missing days and says so", () => {
    const days = pairedExperiment(createSeededRng(8), 12, -1).filter((d) => d.date !== "2024-01-05" && d.date !== "2024-01-06");
    const result = analyzeExperiment(days, { rng: createSeededRng(9), ...small });
    expect(createExperimentDesign(days).calendarGapDays).toBe(2);
    expect(createExperimentDesign(days).calendarValues).toHaveLength(24);
    expect(result.warnings.some((w) => w.startsWith("2 calendar day(s)"))).toBe(true);
    expect(result.n.blocks).toBe(11);
  });

  it("says not-enough-data below 6 complete blocks and warns about an unbounded interval", () => {
    const days = pairedExperiment(createSeededRng(10), 4, -3);
    const result = analyzeExperiment(days, { rng: createSeededRng(11), ...small });
    expect(result.verdict).toBe("not-enough-data");
    expect(result.randomization.arrangements).toBe(16);
    expect(result.ci95).toEqual([-Infinity, Infinity]);
    expect(result.warnings.some((w) => w.includes("unbounded"))).toBe(true);
    expect((JSON.parse(JSON.stringify(result)) as { ci95: unknown }).ci95).toEqual([null, null]);
  });

  it("falls back to the independent model when values do not vary within conditions", () => {
    const days: Day[] = pairedExperiment(createSeededRng(12), 8, 0).map((d) => ({ ...d, value: d.condition === "A" ? 3 : 5 }));
    const result = analyzeExperiment(days, { rng: createSeededRng(13), ...small });
    expect(result.bayes.model).toBe("independent");
    expect(result.effect).toBe(-2);
    expect(result.bayes.p_benefit).toBe(1);
    expect(result.warnings.some((w) => w.includes("do not vary"))).toBe(true);
  });

  it("is reproducible from the seed", () => {
    const days = pairedExperiment(createSeededRng(14), 30, -0.5, 0.4, 0.1);
    const a = analyzeExperiment(days, { rng: createSeededRng(3), ...small });
    const b = analyzeExperiment(days, { rng: createSeededRng(3), ...small });
    expect(a).toEqual(b);
  });

  it("refuses data without a measured A and B day", () => {
    const days = pairedExperiment(createSeededRng(15), 3, 0).map((d) => (d.condition === "A" ? { ...d, value: null } : d));
    expect(() => analyzeExperiment(days, { rng: createSeededRng(1) })).toThrow(ValidationError);
  });
});

describe("decideVerdict", () => {
  it.each<[number, number, number, Verdict]>([
    [5, 1, 1, "not-enough-data"], // too few complete blocks whatever the evidence
    [6, 0.95, 0.8, "meaningful-benefit"], // p_meaningful at the 0.80 threshold
    [6, 0.95, 0.79, "likely-benefit"],
    [6, 0.9, 0.1, "likely-benefit"], // p_benefit at the 0.90 threshold
    [6, 0.89, 0.1, "no-clear-difference"],
    [6, 0.11, 0, "no-clear-difference"],
    [6, 0.1, 0, "likely-worse"], // p_benefit at the 0.10 threshold
  ])("complete %i, p_benefit %f, p_meaningful %f → %s", (complete, pBenefit, pMeaningful, verdict) => {
    expect(decideVerdict(complete, pBenefit, pMeaningful)).toBe(verdict);
  });
});

describe("parseDayRows", () => {
  const row = (r: number, date: string, block: string, condition: string, value: string): RawDayRow => ({ row: r, date, block, condition, value });
  const good = row(2, "2024-01-01", "1", "A", "3");
  it.each([
    [[good, row(3, "2024-01-01", "1", "B", "4")], "row 3: duplicate date 2024-01-01 (first on row 2)"],
    [[good, row(3, "2024-02-30", "1", "B", "4")], 'row 3: date "2024-02-30" is not a valid YYYY-MM-DD date'],
    [[good, row(3, "2024-01-02", "1", "C", "4")], 'row 3: condition "C" is unknown'],
    [[good, row(3, "2024-01-02", "1", "B", "four")], 'row 3: value "four" is not a number'],
    [[good, row(3, "2024-01-02", "1.5", "B", "4")], 'row 3: block "1.5" is not an integer'],
    [[good], "row 2: need at least 2 day rows, found 1"],
  ])("rejects bad rows (%#)", (rows, message) => {
    expect(() => parseDayRows(rows)).toThrow(message);
  });

  it("accepts empty values as missing days", () => {
    expect(parseDayRows([good, row(3, "2024-01-02", "1", "B", " ")])[1]).toEqual({ date: "2024-01-02", block: 1, condition: "B", value: null });
  });
});
