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

/** The message of the ValidationError that `run` throws (the whole line, to compare exactly). */
function validationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  return "(no error)";
}

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
    const days = pairedExperiment(createSeededRng(8), 12, -1).filter(
      (d) => d.date !== "2024-01-05" && d.date !== "2024-01-06",
    );
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
    const days: Day[] = pairedExperiment(createSeededRng(12), 8, 0).map((d) => ({
      ...d,
      value: d.condition === "A" ? 3 : 5,
    }));
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

  it.each([
    ["exact (10 pairs, 1,024 arrangements)", 10],
    ["Monte Carlo (24 pairs)", 24],
  ])("gives exactly the day-level result when every period is one day: %s", (_name, pairs) => {
    const days = pairedExperiment(createSeededRng(16), pairs, -0.8, 0.4, 0.1);
    const withPeriods = days.map((d, i) => ({ ...d, period: (i % 2) + 1 }));
    for (const autocorrelation of [true, false]) {
      const plain = analyzeExperiment(days, { rng: createSeededRng(4), autocorrelation, draws: 5_000, ...small });
      const { design, ...rest } = analyzeExperiment(withPeriods, {
        rng: createSeededRng(4),
        autocorrelation,
        draws: 5_000,
        ...small,
      });
      expect(rest).toEqual(plain);
      expect(plain).not.toHaveProperty("design");
      expect(design).toEqual({ blocks: pairs, periods: 2 * pairs, period_days: { min: 1, max: 1 } });
    }
  });

  it("permutes whole periods and reports the design", () => {
    // 12 pairs of 3-day periods: 2^12 = 4,096 arrangements; day by day there would be C(6, 3)^12.
    const days: Day[] = [];
    const rng = createSeededRng(17);
    for (let b = 0; b < 12; b++) {
      const aFirst = rng.uniform() < 0.5;
      for (let j = 0; j < 6; j++) {
        const condition = j < 3 === aFirst ? "A" : "B";
        days.push({
          date: new Date(Date.UTC(2024, 0, 1 + 6 * b + j)).toISOString().slice(0, 10),
          block: b + 1,
          condition,
          value: 5 + (condition === "A" ? -1 : 0) + rng.normal(),
          period: j < 3 ? 1 : 2,
        });
      }
    }
    const result = analyzeExperiment(days, { rng: createSeededRng(18), ...small });
    expect(result.design).toEqual({ blocks: 12, periods: 24, period_days: { min: 3, max: 3 } });
    expect(result.randomization).toMatchObject({ method: "exact", arrangements: 4_096 });
    expect(result.bayes.model).toBe("ar1");
    expect(result.warnings).toEqual([]);
    // Day by day the same data would give a different reference set.
    const dayLevel = analyzeExperiment(
      days.map(({ period: _p, ...d }) => d),
      { rng: createSeededRng(18), ...small },
    );
    expect(dayLevel.randomization.method).toBe("monte-carlo");
    expect(dayLevel.effect).toBe(result.effect);

    // The independent model ignores the correlation within periods, and says so.
    const independent = analyzeExperiment(days, { rng: createSeededRng(18), autocorrelation: false });
    expect(independent.warnings).toEqual([
      expect.stringContaining("the independent model treats the days of a period as unrelated"),
    ]);
    const oneDay = analyzeExperiment(
      pairedExperiment(createSeededRng(19), 8, -1).map((d, i) => ({ ...d, period: i % 2 })),
      {
        rng: createSeededRng(18),
        autocorrelation: false,
      },
    );
    expect(oneDay.warnings).toEqual([]);
  });

  it("refuses data without a measured A and B day", () => {
    const days = pairedExperiment(createSeededRng(15), 3, 0).map((d) =>
      d.condition === "A" ? { ...d, value: null } : d,
    );
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
  const row = (r: number, date: string, block: string, condition: string, value: string): RawDayRow => ({
    row: r,
    date,
    block,
    condition,
    value,
  });
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
    expect(parseDayRows([good, row(3, "2024-01-02", "1", "B", " ")])[1]).toEqual({
      date: "2024-01-02",
      block: 1,
      condition: "B",
      value: null,
    });
  });
});

describe("parseDayRows with a period column", () => {
  /** A row on day `day` of January 2024 (the file's row `r`). */
  const row = (r: number, day: number, block: number, condition: string, period: string, value = "3"): RawDayRow => ({
    row: r,
    date: `2024-01-${String(day).padStart(2, "0")}`,
    block: String(block),
    condition,
    value,
    period,
  });
  /** Two blocks of two 2-day periods: AABB, BBAA. */
  const good = [
    row(2, 1, 1, "A", "1"),
    row(3, 2, 1, "A", "1"),
    row(4, 3, 1, "B", "2"),
    row(5, 4, 1, "B", "2"),
    row(6, 5, 2, "B", "1"),
    row(7, 6, 2, "B", "1"),
    row(8, 7, 2, "A", "2"),
    row(9, 8, 2, "A", "2"),
  ];

  it("reads the period of each day", () => {
    expect(parseDayRows(good).map((d) => d.period)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
    expect(parseDayRows(good)[0]).toEqual({ date: "2024-01-01", block: 1, condition: "A", value: 3, period: 1 });
  });

  it.each([
    // Rows in any order: the periods are checked in date order.
    ["rows in reverse order", [...good].reverse()],
    // Days of another block may lie between the days of a period.
    [
      "blocks interleaved",
      [
        row(2, 1, 1, "A", "1"),
        row(3, 2, 2, "B", "1"),
        row(4, 3, 1, "A", "1"),
        row(5, 4, 2, "A", "2"),
        row(6, 5, 1, "B", "2"),
        row(7, 6, 2, "A", "2"),
      ],
    ],
    // Period numbers need not restart in each block, and periods may differ in length.
    [
      "numbered through, unequal lengths",
      [
        row(2, 1, 1, "B", "7"),
        row(3, 2, 1, "A", "8"),
        row(4, 3, 1, "A", "8"),
        row(5, 4, 2, "A", "9"),
        row(6, 5, 2, "B", "10"),
      ],
    ],
    // A calendar day without a row inside a period is a missing day, not a break.
    ["a calendar gap inside a period", [row(2, 1, 1, "A", "1"), row(3, 3, 1, "A", "1"), row(4, 4, 1, "B", "2")]],
  ])("accepts %s", (_name, rows) => {
    expect(() => parseDayRows(rows)).not.toThrow();
  });

  it.each([
    // Each row: the rows, then the one-line message.
    [[good[0]!, row(3, 2, 1, "A", "x"), ...good.slice(2)], 'row 3: period "x" is not an integer'],
    [[good[0]!, row(3, 2, 1, "A", " "), ...good.slice(2)], "row 3: period is empty"],
    [[good[0]!, row(3, 2, 1, "A", "1.5"), ...good.slice(2)], 'row 3: period "1.5" is not an integer'],
    [
      [good[0]!, row(3, 2, 1, "B", "1"), ...good.slice(2)],
      "row 3: period 1 of block 1 is B here but A on row 2 (the days of a period share one condition)",
    ],
    // Date order decides, not row order: row 5 holds the second day of the period that began on row 2.
    [
      [row(2, 1, 1, "A", "1"), row(3, 3, 1, "B", "2"), row(4, 4, 1, "B", "2"), row(5, 2, 1, "B", "1")],
      "row 5: period 1 of block 1 is B here but A on row 2 (the days of a period share one condition)",
    ],
    [
      [row(2, 1, 1, "A", "1"), row(3, 2, 1, "B", "2"), row(4, 3, 1, "A", "1"), row(5, 4, 1, "B", "2")],
      "row 4: period 1 of block 1 resumes after period 2 began on row 3 (a period's days must be consecutive in date order within its block)",
    ],
    [
      [...good.slice(0, 4), row(6, 5, 1, "A", "3")],
      "row 6: block 1 has a third period (3); each block needs exactly two periods, one A and one B",
    ],
    [
      [row(2, 1, 1, "A", "1"), row(3, 2, 1, "A", "1"), row(4, 3, 1, "A", "2"), row(5, 4, 1, "A", "2")],
      "row 4: both periods of block 1 are A (the first begins on row 2); each block needs one A period and one B period",
    ],
    [
      [...good.slice(0, 4), row(6, 5, 2, "B", "1"), row(7, 6, 2, "B", "1")],
      "row 6: block 2 has only one period (1); each block needs exactly two periods, one A and one B",
    ],
  ])("rejects bad periods (%#)", (rows, message) => {
    expect(validationMessage(() => parseDayRows(rows))).toBe(message);
  });
});

describe("createExperimentDesign with periods", () => {
  const days: Day[] = [
    { date: "2024-01-03", block: 1, condition: "B", value: 4, period: 2 },
    { date: "2024-01-01", block: 1, condition: "A", value: 3, period: 1 },
    { date: "2024-01-02", block: 1, condition: "A", value: null, period: 1 },
    { date: "2024-01-04", block: 1, condition: "B", value: 5, period: 2 },
    { date: "2024-01-05", block: 2, condition: "B", value: 6, period: 1 },
    { date: "2024-01-06", block: 2, condition: "A", value: 2, period: 2 },
  ];

  it("lists each block's periods in date order as day indices", () => {
    const design = createExperimentDesign(days);
    expect(design.blocks.map((b) => [...b])).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ]);
    expect(design.periods!.map((block) => block.map((p) => [...p]))).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [[4], [5]],
    ]);
  });

  it("has no periods when the days have none", () => {
    expect(createExperimentDesign(days.map(({ period: _period, ...day }) => day)).periods).toBeUndefined();
  });

  it.each<[string, Day[], string]>([
    [
      "a day without a period",
      [...days.slice(0, 5), { ...days[5]!, period: undefined }],
      "day 2024-01-06: no period, though other days have one (give every day a period, or none)",
    ],
    [
      "a period that is no integer",
      [...days.slice(0, 5), { ...days[5]!, period: 2.5 }],
      "day 2024-01-06: period 2.5 is not an integer",
    ],
    [
      "a period interrupted",
      [...days.slice(0, 3), { ...days[3]!, period: 1 }, ...days.slice(4)],
      "day 2024-01-04: period 1 of block 1 resumes after period 2 began on day 2024-01-03 (a period's days must be consecutive in date order within its block)",
    ],
  ])("rejects %s", (_name, input, message) => {
    expect(validationMessage(() => createExperimentDesign(input))).toBe(message);
  });
});
