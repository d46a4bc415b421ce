import { describe, expect, it } from "vitest";
import reference from "./fixtures/analyze-reference.json";
import { createExperimentDesign, type Day } from "./experiment";
import {
  buildReferenceSet,
  countArrangements,
  invertRandomizationTest,
  randomizationPValue,
  type RandomizationDesign,
} from "./randomization";
import { createSeededRng } from "./rng";

/** Days from (block, condition, value) triples on consecutive dates. */
function makeDays(rows: [number, "A" | "B", number | null][]): Day[] {
  return rows.map(([block, condition, value], i) => ({
    date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
    block,
    condition,
    value,
  }));
}

/** Days from (block, period, condition, value) on consecutive dates. */
function makePeriodDays(rows: [number, number, "A" | "B", number | null][]): Day[] {
  return makeDays(rows.map(([block, , condition, value]) => [block, condition, value])).map((day, i) => ({
    ...day,
    period: rows[i]![1],
  }));
}

/**
 * A deliberately naive second implementation: list every label vector that keeps each block's
 * counts of A units (recursively; a unit is a day, or a whole period when the design has them),
 * recompute the statistic from scratch for each.
 */
function naivePValue(design: RandomizationDesign, shift: number): { p: number; total: number; used: number } {
  const values = Array.from(design.values, (v, i) => (design.isA[i] ? v - shift : v));
  const stat = (labels: number[]): number | null => {
    const a = values.filter((v, i) => labels[i] === 1 && !Number.isNaN(v));
    const b = values.filter((v, i) => labels[i] === 0 && !Number.isNaN(v));
    if (a.length === 0 || b.length === 0) return null;
    return a.reduce((s, v) => s + v, 0) / a.length - b.reduce((s, v) => s + v, 0) / b.length;
  };
  const observed = stat(Array.from(design.isA))!;
  let all: number[][] = [new Array<number>(values.length).fill(0)];
  design.blocks.forEach((block, b) => {
    const units: number[][] = design.periods
      ? design.periods[b]!.map((p) => Array.from(p))
      : Array.from(block, (d) => [d]);
    const a = units.filter((unit) => design.isA[unit[0]!]).length;
    const next: number[][] = [];
    const choose = (start: number, left: number, picked: number[][]): void => {
      if (left === 0) {
        for (const base of all) {
          const copy = base.slice();
          for (const unit of units) for (const d of unit) copy[d] = picked.includes(unit) ? 1 : 0;
          next.push(copy);
        }
        return;
      }
      for (let i = start; i <= units.length - left; i++) choose(i + 1, left - 1, [...picked, units[i]!]);
    };
    choose(0, a, []);
    all = next;
  });
  let hits = 0;
  let used = 0;
  for (const labeling of all) {
    const t = stat(labeling);
    if (t === null) continue;
    used++;
    if (Math.abs(t) >= Math.abs(observed) * (1 - 1e-9)) hits++;
  }
  return { p: hits / used, total: all.length, used };
}

const rng = () => createSeededRng(7);

describe("the randomization test on 3 pairs (8 arrangements, by hand)", () => {
  // Pairs (A, B): (1, 2), (3, 5), (2, 6); differences A − B: −1, −2, −4; T = Σ ±d / 3.
  // |T| over the 8 sign patterns: 7/3, 5/3, 1, 1/3, 1/3, 1, 5/3, 7/3 → 2 of 8 reach 7/3: p = 0.25.
  const design = createExperimentDesign(
    makeDays([
      [1, "A", 1],
      [1, "B", 2],
      [2, "B", 5],
      [2, "A", 3],
      [3, "A", 2],
      [3, "B", 6],
    ]),
  );
  const set = buildReferenceSet(design, { draws: 100, rng: rng() });

  it("enumerates exactly 8 arrangements", () => {
    expect(set.method).toBe("exact");
    expect(set.arrangements).toBe(8);
    expect(set.draws).toBeNull();
    expect(set.observed).toBeCloseTo(-7 / 3, 12);
    expect([...set.intercepts].map((t) => Math.abs(t) * 3).sort((a, b) => a - b)).toEqual(
      [1, 1, 3, 3, 5, 5, 7, 7].map((x) => expect.closeTo(x, 9) as unknown as number),
    );
  });

  it("gives p = 2/8", () => {
    expect(randomizationPValue(set)).toBe(0.25);
  });

  it("cannot bound the interval with so few arrangements (smallest p is 2/8)", () => {
    expect(invertRandomizationTest(set, set.observed, 5)).toEqual([-Infinity, Infinity]);
  });
});

describe("the randomization test on 3 blocks of two 2-day periods (8 arrangements, by hand)", () => {
  // Block 1: A period (1, 2), B period (3, 4): difference of period sums A − B = 3 − 7 = −4.
  // Block 2: B period (5, 6), A period (2, 3): 5 − 11 = −6.
  // Block 3: A period (5, 4), B period (3, 3): 9 − 6 = +3.
  // Every arrangement has 6 A and 6 B days, so T = Σ ±(difference) / 6; observed T = −7/6.
  // Swapping a block's periods flips the sign of its difference. 6·T over the 8 sign patterns
  // (+ keeps, − swaps blocks 1, 2, 3): +++ −7, ++− −13, +−+ 5, +−− −1, −++ 1, −+− −5, −−+ 13, −−− 7.
  // |6·T| ≥ 7 for 7, 13, 13, 7: 4 of 8, so p = 0.5.
  const days = makePeriodDays([
    [1, 1, "A", 1],
    [1, 1, "A", 2],
    [1, 2, "B", 3],
    [1, 2, "B", 4],
    [2, 1, "B", 5],
    [2, 1, "B", 6],
    [2, 2, "A", 2],
    [2, 2, "A", 3],
    [3, 1, "A", 5],
    [3, 1, "A", 4],
    [3, 2, "B", 3],
    [3, 2, "B", 3],
  ]);
  const design = createExperimentDesign(days);
  const set = buildReferenceSet(design, { draws: 100, rng: rng() });

  it("enumerates 2^3 arrangements of whole periods", () => {
    expect(countArrangements(design)).toBe(8);
    expect(set).toMatchObject({ method: "exact", arrangements: 8, draws: null, skipped: 0 });
    expect(set.observed).toBeCloseTo(-7 / 6, 12);
    expect([...set.intercepts].map((t) => t * 6).sort((a, b) => a - b)).toEqual(
      [-13, -7, -5, -1, 1, 5, 7, 13].map((x) => expect.closeTo(x, 9) as unknown as number),
    );
  });

  it("gives p = 4/8", () => {
    expect(randomizationPValue(set)).toBe(0.5);
  });

  it("differs from the day-level test on the same data (C(4, 2)^3 = 216 arrangements)", () => {
    const dayLevel = createExperimentDesign(days.map(({ period: _period, ...day }) => day));
    expect(countArrangements(dayLevel)).toBe(216);
    expect(randomizationPValue(buildReferenceSet(dayLevel, { draws: 100, rng: rng() }))).toBeCloseTo(
      naivePValue(dayLevel, 0).p,
      12,
    );
    expect(naivePValue(dayLevel, 0).p).not.toBe(0.5);
  });

  it("cannot bound the interval with 8 arrangements", () => {
    expect(invertRandomizationTest(set, set.observed, 5)).toEqual([-Infinity, Infinity]);
  });
});

describe.each(reference)("randomization test against R brute force: $name", (fixture) => {
  const days = fixture.days.map((d) => ({ ...d, condition: d.condition as "A" | "B", value: d.value ?? null }));
  const design = createExperimentDesign(days);
  const set = buildReferenceSet(design, { draws: 100, rng: rng() });

  it("counts the arrangements and the skipped ones", () => {
    expect(set.arrangements).toBe(fixture.randomization.arrangements);
    expect(set.intercepts.length).toBe(fixture.randomization.used);
    expect(set.skipped).toBe(fixture.randomization.arrangements - fixture.randomization.used);
  });

  it.each(fixture.randomization.tests)("p(d = $shift) = $p", ({ shift, p }) => {
    expect(randomizationPValue(set, shift)).toBeCloseTo(p, 12);
  });
});

describe("randomization test against a naive enumerator", () => {
  // Blocks of 2, 3 and 5 days, unequal A counts, missing days, one block all A.
  const design = createExperimentDesign(
    makeDays([
      [1, "A", 4.2],
      [1, "B", 5.1],
      [2, "B", 6.3],
      [2, "A", 4.4],
      [2, "B", null],
      [3, "A", 3.1],
      [3, "B", 4.0],
      [3, "A", 3.8],
      [3, "B", 5.2],
      [3, "B", 4.9],
      [4, "A", 2.9],
      [4, "A", null],
      [5, "B", 5.5],
      [5, "A", 3.7],
    ]),
  );
  const set = buildReferenceSet(design, { draws: 100, rng: rng() });

  it("matches at d = 0 and at shifts on both sides", () => {
    expect(set.arrangements).toBe(2 * 3 * 10 * 1 * 2);
    for (const shift of [0, -2, -1.3, -0.5, 0.4, 1.7]) {
      const naive = naivePValue(design, shift);
      expect(set.intercepts.length).toBe(naive.used);
      expect(randomizationPValue(set, shift), `shift ${shift}`).toBeCloseTo(naive.p, 12);
    }
  });
});

describe("randomization test with periods against the naive enumerator", () => {
  // Periods of unequal length, missing days (one period wholly missing), blocks interleaved in time.
  const design = createExperimentDesign(
    makePeriodDays([
      [1, 1, "B", 5.2],
      [1, 1, "B", 4.9],
      [1, 2, "A", 3.6],
      [1, 2, "A", null],
      [2, 7, "A", null],
      [2, 7, "A", null],
      [2, 8, "B", 5.0],
      [2, 8, "B", 6.1],
      [2, 8, "B", 5.4],
      [3, 1, "A", 4.0],
      [4, 1, "B", 4.8],
      [3, 1, "A", 3.2],
      [4, 1, "B", 5.5],
      [3, 2, "B", 4.7],
      [4, 2, "A", 3.9],
      [5, 1, "A", 2.8],
      [5, 2, "B", 4.4],
      [6, 1, "B", 6.0],
      [6, 1, "B", null],
      [6, 2, "A", 4.1],
      [6, 2, "A", 3.3],
    ]),
  );
  const set = buildReferenceSet(design, { draws: 100, rng: rng() });

  it("matches at d = 0 and at shifts on both sides, skipping what the naive one skips", () => {
    expect(set.arrangements).toBe(2 ** 6);
    for (const shift of [0, -2.5, -1.2, -0.3, 0.6, 1.9]) {
      const naive = naivePValue(design, shift);
      expect(naive.total).toBe(64);
      expect(set.intercepts.length).toBe(naive.used);
      expect(randomizationPValue(set, shift), `shift ${shift}`).toBeCloseTo(naive.p, 12);
    }
  });

  it("draws whole periods too: 18 blocks of two 2-day periods agree with the exact p within Monte-Carlo error", () => {
    const r = createSeededRng(21);
    const rows: [number, number, "A" | "B", number | null][] = [];
    for (let b = 1; b <= 18; b++) {
      const aFirst = r.uniform() < 0.5;
      for (let j = 0; j < 4; j++) {
        const condition = j < 2 === aFirst ? "A" : "B";
        rows.push([
          b,
          j < 2 ? 1 : 2,
          condition,
          r.uniform() < 0.1 ? null : 5 + (condition === "A" ? -0.4 : 0) + r.normal(),
        ]);
      }
    }
    const big = createExperimentDesign(makePeriodDays(rows));
    expect(countArrangements(big)).toBe(2 ** 18);
    const drawn = buildReferenceSet(big, { draws: 20_000, rng: createSeededRng(6) });
    expect(drawn).toMatchObject({ method: "monte-carlo", draws: 20_000 });
    const exact = buildReferenceSet(big, { draws: 1, rng: rng(), maxExact: 2 ** 18 });
    for (const shift of [0, -0.8]) {
      const pExact = randomizationPValue(exact, shift);
      const se = Math.sqrt((pExact * (1 - pExact)) / 20_000);
      expect(Math.abs(randomizationPValue(drawn, shift) - pExact)).toBeLessThan(4 * se + 1e-4);
    }
  });
});

describe("Monte-Carlo reference sets", () => {
  // 20 pairs: 2^20 = 1,048,576 arrangements > 100,000, so the test draws.
  const r = createSeededRng(11);
  const rows: [number, "A" | "B", number | null][] = [];
  for (let b = 1; b <= 20; b++) {
    const aFirst = r.uniform() < 0.5;
    const a = 5 - 0.6 + r.normal();
    const bValue = 5 + r.normal();
    rows.push([b, aFirst ? "A" : "B", aFirst ? a : bValue], [b, aFirst ? "B" : "A", aFirst ? bValue : a]);
  }
  const design = createExperimentDesign(makeDays(rows));

  it("switches to drawing above 100,000 arrangements and uses p = (1 + hits)/(1 + draws)", () => {
    expect(countArrangements(design)).toBe(2 ** 20);
    const set = buildReferenceSet(design, { draws: 5_000, rng: createSeededRng(3) });
    expect(set.method).toBe("monte-carlo");
    expect(set.arrangements).toBeNull();
    expect(set.draws).toBe(5_000);
    const hits = randomizationPValue(set) * 5_001 - 1;
    expect(hits).toBeCloseTo(Math.round(hits), 6);
  });

  it("is reproducible from the seed and agrees with the exact p within Monte-Carlo error", () => {
    const a = buildReferenceSet(design, { draws: 20_000, rng: createSeededRng(5) });
    const b = buildReferenceSet(design, { draws: 20_000, rng: createSeededRng(5) });
    expect(randomizationPValue(a)).toBe(randomizationPValue(b));
    const exact = buildReferenceSet(design, { draws: 1, rng: rng(), maxExact: 2 ** 20 });
    expect(exact.method).toBe("exact");
    const pExact = randomizationPValue(exact);
    const pDrawn = randomizationPValue(a);
    const se = Math.sqrt((pExact * (1 - pExact)) / 20_000);
    expect(Math.abs(pDrawn - pExact)).toBeLessThan(4 * se + 1e-4);
  });

  it("inverts the test into an interval whose ends sit where p crosses 0.05", () => {
    const set = buildReferenceSet(design, { draws: 20_000, rng: createSeededRng(5) });
    let min = Infinity;
    let max = -Infinity;
    for (const v of design.values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const range = max - min;
    const [lower, upper] = invertRandomizationTest(set, set.observed, range);
    expect(lower).toBeLessThan(set.observed);
    expect(upper).toBeGreaterThan(set.observed);
    const eps = 2e-6 * range;
    expect(randomizationPValue(set, lower + eps)).toBeGreaterThan(0.05);
    expect(randomizationPValue(set, lower - eps)).toBeLessThanOrEqual(0.05);
    expect(randomizationPValue(set, upper - eps)).toBeGreaterThan(0.05);
    expect(randomizationPValue(set, upper + eps)).toBeLessThanOrEqual(0.05);
  });
});
