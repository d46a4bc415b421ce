/**
 * Operating characteristics of the n-of-1 analysis by simulation: experiments in pairs of
 * periods (one day or longer) with AR(1) errors, analyzed by the same functions `matwise
 * analyze` uses. Run by scripts/stats/simulate.ts and the `simulation` benchmark.
 * @module
 */
import { fitAr1Gibbs } from "./ar1-gibbs";
import { createExperimentDesign, type Day } from "./experiment";
import { fitIndependent } from "./independent";
import { buildReferenceSet, invertRandomizationTest, randomizationPValue } from "./randomization";
import type { Rng } from "./rng";

export interface SimulationOptions {
  replicates: number;
  rng: Rng;
  /** Pairs of periods (blocks of two periods, one A and one B) per experiment (default 30). */
  pairs?: number;
  /** Days per period (default 1: pairs of days, no period column). */
  periodDays?: number;
  /** AR(1) coefficient of the errors (default 0.5); the innovations have variance 1. */
  rho?: number;
  /** True effect of A in the coverage scenario (default −1). */
  effect?: number;
  /** Share of days missing completely at random (default 0.05). */
  missing?: number;
  /** Randomization draws and sampler size (defaults as in `matwise analyze`). */
  draws?: number;
  kept?: number;
  burnIn?: number;
  /** Called after each replicate (progress). */
  onReplicate?: (done: number) => void;
}

export interface SimulationResult {
  replicates: number;
  /** Share of null experiments (no effect) with randomization p < 0.05. */
  typeIRate: number;
  /**
   * With periods longer than a day: the same share when the test wrongly permutes single days
   * within blocks instead of whole periods (null for one-day periods). Not a target: it shows
   * why the test must follow the randomization that was done.
   */
  dayLevelTypeIRate: number | null;
  /** Share of experiments with an effect whose 95% randomization interval covers it. */
  ciCoverage: number;
  /** Share whose central 95% posterior interval of δ covers it. */
  credibleCoverage: number;
  /**
   * Share whose central 95% interval of the independent model (`--no-autocorrelation`, Student-t
   * posterior) covers it: not a target, it shows what ignoring the autocorrelation costs.
   */
  independentCoverage: number;
  /** Monte-Carlo standard error of a share near 0.05 / 0.95 at this many replicates. */
  shareSe: number;
}

/** Target bands of the issue: type-I rate 3–7 %, coverages 93–97 %. */
export const SIMULATION_BANDS = { typeI: [0.03, 0.07], coverage: [0.93, 0.97] } as const;

/** True when every share lies inside its band. */
export function isWithinBands(result: SimulationResult): boolean {
  const inside = (x: number, [lo, hi]: readonly [number, number]) => x >= lo && x <= hi;
  return (
    inside(result.typeIRate, SIMULATION_BANDS.typeI) &&
    inside(result.ciCoverage, SIMULATION_BANDS.coverage) &&
    inside(result.credibleCoverage, SIMULATION_BANDS.coverage)
  );
}

/**
 * One experiment of `pairs` pairs of periods of `periodDays` consecutive days: AB or BA by a fair
 * coin for each pair, stationary AR(1) errors (innovation variance 1), days missing completely at
 * random. Periods longer than a day are numbered 1 and 2 within their block; with one day per
 * period the days carry no period (the day-level design).
 */
export function simulateExperiment(rng: Rng, pairs: number, rho: number, effect: number, missing: number, periodDays = 1): Day[] {
  const days: Day[] = [];
  const blockDays = 2 * periodDays;
  let u = rng.normal() / Math.sqrt(1 - rho * rho);
  for (let b = 0; b < pairs; b++) {
    const aFirst = rng.uniform() < 0.5;
    for (let j = 0; j < blockDays; j++) {
      if (b + j > 0) u = rho * u + rng.normal();
      const firstPeriod = j < periodDays;
      const condition = firstPeriod === aFirst ? "A" : "B";
      const value = 5 + (condition === "A" ? effect : 0) + u;
      const day: Day = {
        date: new Date(Date.UTC(2024, 0, 1 + blockDays * b + j)).toISOString().slice(0, 10),
        block: b + 1,
        condition,
        value: rng.uniform() < missing ? null : value,
      };
      if (periodDays > 1) day.period = firstPeriod ? 1 : 2;
      days.push(day);
    }
  }
  return days;
}

function valueRange(values: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v !== v) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return max > min ? max - min : 1;
}

/** Runs the simulation: each replicate analyzes one null experiment and one with an effect. */
export function runSimulation(options: SimulationOptions): SimulationResult {
  const { replicates, rng } = options;
  const pairs = options.pairs ?? 30;
  const periodDays = options.periodDays ?? 1;
  const rho = options.rho ?? 0.5;
  const effect = options.effect ?? -1;
  const missing = options.missing ?? 0.05;
  const draws = options.draws ?? 20_000;
  let rejections = 0;
  let dayLevelRejections = 0;
  let ciCovered = 0;
  let credibleCovered = 0;
  let independentCovered = 0;
  for (let r = 0; r < replicates; r++) {
    const nullDays = simulateExperiment(rng, pairs, rho, 0, missing, periodDays);
    const nullSet = buildReferenceSet(createExperimentDesign(nullDays), { draws, rng });
    if (randomizationPValue(nullSet) < 0.05) rejections++;
    if (periodDays > 1) {
      const dayLevel = createExperimentDesign(nullDays.map(({ period: _period, ...day }) => day));
      if (randomizationPValue(buildReferenceSet(dayLevel, { draws, rng })) < 0.05) dayLevelRejections++;
    }

    const design = createExperimentDesign(simulateExperiment(rng, pairs, rho, effect, missing, periodDays));
    const set = buildReferenceSet(design, { draws, rng });
    const [lower, upper] = invertRandomizationTest(set, set.observed, valueRange(design.values));
    if (lower <= effect && effect <= upper) ciCovered++;

    const fit = fitAr1Gibbs(
      { y: design.calendarValues, x: design.calendarIsA },
      { rng, kept: options.kept ?? 5_000, burnIn: options.burnIn ?? 1_000 },
    );
    const pooled = new Float64Array(fit.delta.reduce((n, chain) => n + chain.length, 0));
    let at = 0;
    for (const chain of fit.delta) {
      pooled.set(chain, at);
      at += chain.length;
    }
    pooled.sort();
    const lo = pooled[Math.floor(0.025 * (pooled.length - 1))]!;
    const hi = pooled[Math.ceil(0.975 * (pooled.length - 1))]!;
    if (lo <= effect && effect <= hi) credibleCovered++;

    const below = fitIndependent(design.values, design.isA).cdf(effect);
    if (below >= 0.025 && below <= 0.975) independentCovered++;
    options.onReplicate?.(r + 1);
  }
  return {
    replicates,
    typeIRate: rejections / replicates,
    dayLevelTypeIRate: periodDays > 1 ? dayLevelRejections / replicates : null,
    ciCoverage: ciCovered / replicates,
    credibleCoverage: credibleCovered / replicates,
    independentCoverage: independentCovered / replicates,
    shareSe: Math.sqrt((0.05 * 0.95) / replicates),
  };
}
