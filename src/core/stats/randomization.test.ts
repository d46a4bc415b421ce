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

/**
 * A deliberately naive second implementation: list every label vector that keeps each block's
 * counts (recursively, day by day), recompute the statistic from scratch for each.
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
  for (const block of design.blocks) {
    const a = Array.from(block).filter((d) => design.isA[d]).length;
    const next: number[][] = [];
    const choose = (start: number, left: number, picked: number[]): void => {
      if (left === 0) {
        for (const base of all) {
          const copy = base.slice();
          for (const d of block) copy[d] = picked.includes(d) ? 1 : 0;
          next.push(copy);
        }
        return;
      }
      for (let i = start; i <= block.length - left; i++) choose(i + 1, left - 1, [...picked, block[i]!]);
    };
    choose(0, a, []);
    all = next;
  }
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
    makeDays([[1, "A", 1], [1, "B", 2], [2, "B", 5], [2, "A", 3], [3, "A", 2], [3, "B", 6]]),
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
      [1, "A", 4.2], [1, "B", 5.1],
      [2, "B", 6.3], [2, "A", 4.4], [2, "B", null],
      [3, "A", 3.1], [3, "B", 4.0], [3, "A", 3.8], [3, "B", 5.2], [3, "B", 4.9],
      [4, "A", 2.9], [4, "A", null],
      [5, "B", 5.5], [5, "A", 3.7],
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
