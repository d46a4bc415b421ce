/**
 * The randomization test of an n-of-1 experiment and its inversion into a 95% interval.
 *
 * The units that are randomized are days, or whole periods when the design has them. Every
 * arrangement of the reference set (a relabelling of A/B among the units of each block that keeps
 * the block's counts) is reduced to a line in the shift d: T_i(d) = intercept_i + slope_i · d, the
 * statistic (over days) after d has been subtracted from every observed-A value. The test at
 * d = 0 and every p(d) of the inversion then reuse the same arrangements (the same Monte-Carlo
 * draws) in O(1) each.
 * @module
 */
import type { Rng } from "./rng";

/** Relative tolerance under which |T| and |T_obs| count as tied. */
export const TIE_TOLERANCE = 1e-9;

/** The design the test needs: values (NaN = missing), observed labels, and blocks of day indices. */
export interface RandomizationDesign {
  values: Float64Array;
  isA: Uint8Array;
  blocks: readonly Int32Array[];
  /**
   * The randomized units when periods last longer than a day: per block (in the order of
   * `blocks`) its periods, each the day indices of one condition. Absent: every day is a unit.
   */
  periods?: readonly (readonly Int32Array[])[] | undefined;
}

/**
 * The randomized units, each reduced to what the statistic needs: the sum and number of its
 * measured days and how many of those are observed A (all of them or none). A day unit holds its
 * value (sum 0, count 0 when missing), so the sums below are the same additions as over days.
 */
interface Units {
  sum: Float64Array;
  count: Int32Array;
  kept: Int32Array;
  isA: Uint8Array;
  /** Unit indices of each block. */
  blocks: Int32Array[];
}

export interface ReferenceSetOptions {
  /** Enumerate when the number of distinct arrangements is at most this (default 100,000). */
  maxExact?: number;
  /** Monte-Carlo draws when there are more (default 20,000). */
  draws: number;
  rng: Rng;
}

/** The arrangements of the reference set as lines in the shift d. */
export interface ReferenceSet {
  method: "exact" | "monte-carlo";
  /** Distinct arrangements (exact), or null. */
  arrangements: number | null;
  /** Monte-Carlo draws used (skipped draws are redrawn), or null. */
  draws: number | null;
  /** Arrangements left out because A or B had no non-missing day in them. */
  skipped: number;
  intercepts: Float64Array;
  slopes: Float64Array;
  /** The observed statistic: mean(A) − mean(B) over non-missing days. */
  observed: number;
}

interface BlockSums {
  /** Sum, count and observed-A count of the non-missing days labelled A in each option. */
  sum: Float64Array;
  count: Int32Array;
  keptA: Int32Array;
}

interface Totals {
  total: number;
  n: number;
  nObsA: number;
}

/** n choose k as a float (exact for the sizes that matter here). */
function choose(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** The units of a design: its days, or its periods when it has them. */
function unitsOf(design: RandomizationDesign): Units {
  if (!design.periods) {
    const size = design.values.length;
    const units: Units = {
      sum: new Float64Array(size),
      count: new Int32Array(size),
      kept: new Int32Array(size),
      isA: design.isA,
      blocks: design.blocks.slice(),
    };
    for (let day = 0; day < size; day++) {
      const value = design.values[day]!;
      if (value === value) {
        units.sum[day] = value;
        units.count[day] = 1;
        units.kept[day] = design.isA[day]!;
      }
    }
    return units;
  }
  const size = design.periods.reduce((n, periods) => n + periods.length, 0);
  const units: Units = {
    sum: new Float64Array(size),
    count: new Int32Array(size),
    kept: new Int32Array(size),
    isA: new Uint8Array(size),
    blocks: [],
  };
  let unit = 0;
  for (const periods of design.periods) {
    const block = new Int32Array(periods.length);
    periods.forEach((days, k) => {
      block[k] = unit;
      units.isA[unit] = design.isA[days[0]!]!;
      for (const day of days) {
        const value = design.values[day]!;
        if (value === value) {
          units.sum[unit]! += value;
          units.count[unit]!++;
          units.kept[unit]! += design.isA[day]!;
        }
      }
      unit++;
    });
    units.blocks.push(block);
  }
  return units;
}

/** Per-block sums of every way to place the block's A labels (one option when the block is fixed). */
function enumerateBlock(units: Units, block: Int32Array): BlockSums {
  const size = block.length;
  let a = 0;
  for (const unit of block) a += units.isA[unit]!;
  const options = choose(size, a);
  const sums: BlockSums = {
    sum: new Float64Array(options),
    count: new Int32Array(options),
    keptA: new Int32Array(options),
  };
  const pick = new Int32Array(a);
  for (let i = 0; i < a; i++) pick[i] = i;
  for (let option = 0; option < options; option++) {
    let sum = 0;
    let count = 0;
    let keptA = 0;
    for (let i = 0; i < a; i++) {
      const unit = block[pick[i]!]!;
      sum += units.sum[unit]!;
      count += units.count[unit]!;
      keptA += units.kept[unit]!;
    }
    sums.sum[option] = sum;
    sums.count[option] = count;
    sums.keptA[option] = keptA;
    // Next combination in lexicographic order.
    let i = a - 1;
    while (i >= 0 && pick[i] === size - a + i) i--;
    if (i < 0) break;
    pick[i]!++;
    for (let j = i + 1; j < a; j++) pick[j] = pick[j - 1]! + 1;
  }
  return sums;
}

function totalsOf(design: RandomizationDesign): Totals {
  let total = 0;
  let n = 0;
  let nObsA = 0;
  for (let i = 0; i < design.values.length; i++) {
    const value = design.values[i]!;
    if (value === value) {
      total += value;
      n++;
      nObsA += design.isA[i]!;
    }
  }
  return { total, n, nObsA };
}

/**
 * Number of distinct arrangements: the product over blocks of C(units in block, A units in
 * block), stopping early once it exceeds `limit`. Units are days, or periods when the design has
 * them (two per block: 2^blocks arrangements).
 */
export function countArrangements(design: RandomizationDesign, limit = Number.POSITIVE_INFINITY): number {
  return countUnitArrangements(unitsOf(design), limit);
}

function countUnitArrangements(units: Units, limit: number): number {
  let count = 1;
  for (const block of units.blocks) {
    let a = 0;
    for (const unit of block) a += units.isA[unit]!;
    count *= choose(block.length, a);
    if (count > limit) return count;
  }
  return count;
}

/** Writes the line of one arrangement into the arrays; returns false when it must be skipped. */
function storeLine(
  sumA: number,
  nA: number,
  keptA: number,
  totals: Totals,
  intercepts: Float64Array,
  slopes: Float64Array,
  at: number,
): boolean {
  const nB = totals.n - nA;
  if (nA === 0 || nB === 0) return false;
  intercepts[at] = sumA / nA - (totals.total - sumA) / nB;
  slopes[at] = -keptA / nA + (totals.nObsA - keptA) / nB;
  return true;
}

/**
 * Builds the reference set: exact enumeration when there are at most `maxExact` distinct
 * arrangements, else `draws` seeded random arrangements (uniform within each block; a draw in
 * which A or B has no measured day is skipped and redrawn). With periods, whole periods are
 * relabelled within their block, as they were assigned. `rng.uniform()` must carry at least 32
 * random bits (MT19937 does): pair blocks take their coin flips 32 at a time from it.
 * @see Edgington & Onghena (2007), Randomization Tests, 4th ed., ch. 3–4 (systematic and random reference sets).
 * @see Edgington & Onghena (2007), Randomization Tests, 4th ed. (random assignment within blocks: the reference set follows the assignment that was made, here of whole periods).
 * @see Bulté & Onghena (2008), Behavior Research Methods 40:467–478 (randomized block single-case designs and their randomization tests).
 */
export function buildReferenceSet(design: RandomizationDesign, options: ReferenceSetOptions): ReferenceSet {
  const maxExact = options.maxExact ?? 100_000;
  const totals = totalsOf(design);
  let sumObsA = 0;
  for (let i = 0; i < design.values.length; i++) {
    const value = design.values[i]!;
    if (value === value && design.isA[i]) sumObsA += value;
  }
  const observed = sumObsA / totals.nObsA - (totals.total - sumObsA) / (totals.n - totals.nObsA);
  const units = unitsOf(design);
  const arrangements = countUnitArrangements(units, maxExact);
  if (arrangements <= maxExact) return enumerateExactly(units, totals, arrangements, observed);
  return drawRandomly(units, totals, options, observed);
}

function enumerateExactly(units: Units, totals: Totals, arrangements: number, observed: number): ReferenceSet {
  // Fixed blocks (one option) add a constant; variable blocks turn an odometer.
  let baseSum = 0;
  let baseCount = 0;
  let baseKept = 0;
  const variable: BlockSums[] = [];
  for (const block of units.blocks) {
    const sums = enumerateBlock(units, block);
    if (sums.sum.length === 1) {
      baseSum += sums.sum[0]!;
      baseCount += sums.count[0]!;
      baseKept += sums.keptA[0]!;
    } else {
      variable.push(sums);
    }
  }
  const intercepts = new Float64Array(arrangements);
  const slopes = new Float64Array(arrangements);
  const digits = new Int32Array(variable.length);
  let sumA = baseSum;
  let nA = baseCount;
  let keptA = baseKept;
  for (const sums of variable) {
    sumA += sums.sum[0]!;
    nA += sums.count[0]!;
    keptA += sums.keptA[0]!;
  }
  let stored = 0;
  for (let arrangement = 0; arrangement < arrangements; arrangement++) {
    if (storeLine(sumA, nA, keptA, totals, intercepts, slopes, stored)) stored++;
    // Advance the odometer, updating the sums incrementally.
    for (let j = 0; j < variable.length; j++) {
      const sums = variable[j]!;
      const from = digits[j]!;
      const to = from + 1 === sums.sum.length ? 0 : from + 1;
      digits[j] = to;
      sumA += sums.sum[to]! - sums.sum[from]!;
      nA += sums.count[to]! - sums.count[from]!;
      keptA += sums.keptA[to]! - sums.keptA[from]!;
      if (to !== 0) break;
    }
  }
  return {
    method: "exact",
    arrangements,
    draws: null,
    skipped: arrangements - stored,
    intercepts: intercepts.subarray(0, stored),
    slopes: slopes.subarray(0, stored),
    observed,
  };
}

/** Sum, count and observed-A count of the non-missing days of a whole block. */
function enumerateWhole(units: Units, block: Int32Array): { sum: number; count: number; kept: number } {
  let sum = 0;
  let count = 0;
  let kept = 0;
  for (const unit of block) {
    sum += units.sum[unit]!;
    count += units.count[unit]!;
    kept += units.kept[unit]!;
  }
  return { sum, count, kept };
}

function drawRandomly(units: Units, totals: Totals, options: ReferenceSetOptions, observed: number): ReferenceSet {
  const { draws, rng } = options;
  const intercepts = new Float64Array(draws);
  const slopes = new Float64Array(draws);
  // Other blocks with both labels: the rarer label is placed by a partial Fisher–Yates shuffle.
  // Pairs (two units, one A): a coin flip swaps the labels, adding a precomputed change to the
  // sums (8-bit tables, see below), so 32 flips come from one uniform.
  const pairSum: number[] = [];
  const pairCount: number[] = [];
  const pairKept: number[] = [];
  const variable: { units: Int32Array; placeA: boolean; take: number; sum: number; count: number; kept: number }[] = [];
  let baseSum = 0;
  let baseCount = 0;
  let baseKept = 0;
  for (const block of units.blocks) {
    let a = 0;
    for (const unit of block) a += units.isA[unit]!;
    if (a === 0) continue;
    if (a === block.length) {
      const whole = enumerateWhole(units, block);
      baseSum += whole.sum;
      baseCount += whole.count;
      baseKept += whole.kept;
    } else if (block.length === 2) {
      const unitA = units.isA[block[0]!] ? block[0]! : block[1]!;
      const unitB = unitA === block[0] ? block[1]! : block[0]!;
      baseSum += units.sum[unitA]!;
      baseCount += units.count[unitA]!;
      baseKept += units.kept[unitA]!;
      // Swapped: B's unit becomes the A unit.
      pairSum.push(units.sum[unitB]! - units.sum[unitA]!);
      pairCount.push(units.count[unitB]! - units.count[unitA]!);
      pairKept.push(units.kept[unitB]! - units.kept[unitA]!);
    } else {
      const placeA = a <= block.length - a;
      const whole = enumerateWhole(units, block);
      variable.push({ units: Int32Array.from(block), placeA, take: placeA ? a : block.length - a, ...whole });
    }
  }
  // Lookup tables over groups of 8 pairs: entry `bits` holds the change when the pairs whose
  // bit is set are swapped, so one draw costs one lookup per 8 pairs.
  const pairs = pairSum.length;
  const groups = Math.ceil(pairs / 8);
  const tableSum = new Float64Array(groups * 256);
  const tableCount = new Int32Array(groups * 256);
  const tableKept = new Int32Array(groups * 256);
  for (let group = 0; group < groups; group++) {
    for (let bits = 1; bits < 256; bits++) {
      const low = bits & -bits;
      const pair = group * 8 + Math.log2(low);
      const from = group * 256 + (bits ^ low);
      const at = group * 256 + bits;
      const inRange = pair < pairs;
      tableSum[at] = tableSum[from]! + (inRange ? pairSum[pair]! : 0);
      tableCount[at] = tableCount[from]! + (inRange ? pairCount[pair]! : 0);
      tableKept[at] = tableKept[from]! + (inRange ? pairKept[pair]! : 0);
    }
  }
  let stored = 0;
  let skipped = 0;
  const maxAttempts = 100 * draws;
  for (let attempt = 0; stored < draws && attempt < maxAttempts; attempt++) {
    let sumA = baseSum;
    let nA = baseCount;
    let keptA = baseKept;
    let bits = 0;
    for (let group = 0; group < groups; group++) {
      if ((group & 3) === 0) bits = Math.floor(rng.uniform() * 4294967296) >>> 0;
      const at = group * 256 + (bits & 255);
      sumA += tableSum[at]!;
      nA += tableCount[at]!;
      keptA += tableKept[at]!;
      bits >>>= 8;
    }
    for (const { units: shuffled, placeA, take, sum: blockSum, count: blockCount, kept: blockKept } of variable) {
      const size = shuffled.length;
      let sum = 0;
      let count = 0;
      let kept = 0;
      for (let i = 0; i < take; i++) {
        const j = i + Math.floor(rng.uniform() * (size - i));
        const unit = shuffled[j]!;
        shuffled[j] = shuffled[i]!;
        shuffled[i] = unit;
        sum += units.sum[unit]!;
        count += units.count[unit]!;
        kept += units.kept[unit]!;
      }
      if (placeA) {
        sumA += sum;
        nA += count;
        keptA += kept;
      } else {
        // The chosen days are B; A is the rest of the block.
        sumA += blockSum - sum;
        nA += blockCount - count;
        keptA += blockKept - kept;
      }
    }
    if (storeLine(sumA, nA, keptA, totals, intercepts, slopes, stored)) stored++;
    else skipped++;
  }
  return {
    method: "monte-carlo",
    arrangements: null,
    draws: stored,
    skipped,
    intercepts: intercepts.subarray(0, stored),
    slopes: slopes.subarray(0, stored),
    observed,
  };
}

/**
 * Two-sided p-value of the hypothesis "the mat shifts every value by `shift`": the share of
 * arrangements with |T| ≥ |T_obs| (ties within a relative 1e-9). Exact sets contain the observed
 * arrangement; Monte-Carlo sets use p = (1 + hits) / (1 + draws).
 * @see Edgington & Onghena (2007), Randomization Tests, 4th ed., §3.4 and §4.7 (p = (1 + hits)/(1 + N)).
 */
export function randomizationPValue(reference: ReferenceSet, shift = 0): number {
  const { intercepts, slopes } = reference;
  const threshold = Math.abs(reference.observed - shift) * (1 - TIE_TOLERANCE);
  let hits = 0;
  for (let i = 0; i < intercepts.length; i++) {
    if (Math.abs(intercepts[i]! + slopes[i]! * shift) >= threshold) hits++;
  }
  return reference.method === "exact" ? hits / intercepts.length : (1 + hits) / (1 + intercepts.length);
}

/** Outward steps tried before an end of the interval is declared unbounded. */
const MAX_OUTWARD_STEPS = 64;

/**
 * The 95% interval for a constant additive effect by inverting the randomization test: the set
 * of shifts d with p(d) > alpha. Each end is found by bisection to within 1e-6 × `scale` from the
 * bracket [estimate, estimate ± 4 × scale] (moved outward by that step while p > alpha), where
 * `scale` is the range of the values. An end that stays inside after 64 steps is ±Infinity.
 * @see Edgington & Onghena (2007), Randomization Tests, 4th ed., §4.9 (confidence intervals by test inversion).
 */
export function invertRandomizationTest(
  reference: ReferenceSet,
  estimate: number,
  scale: number,
  alpha = 0.05,
): [number, number] {
  const step = 4 * scale;
  const tolerance = 1e-6 * scale;
  const findEnd = (direction: 1 | -1): number => {
    const inside = estimate;
    let outside = estimate + direction * step;
    let steps = 1;
    while (randomizationPValue(reference, outside) > alpha) {
      if (steps === MAX_OUTWARD_STEPS) return direction * Number.POSITIVE_INFINITY;
      outside += direction * step;
      steps++;
    }
    let lo = inside;
    let hi = outside;
    while (Math.abs(hi - lo) > tolerance) {
      const mid = (lo + hi) / 2;
      if (randomizationPValue(reference, mid) > alpha) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  return [findEnd(-1), findEnd(1)];
}
