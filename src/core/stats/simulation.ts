/**
 * Operating characteristics of the n-of-1 analysis by simulation: experiments in pairs of
 * periods (one day or longer) with AR(1) errors, analyzed by the same functions `matwise
 * analyze` uses. Run by scripts/stats/simulate.ts and the `simulation` benchmark.
 * @module
 */
import { fitAr1Gibbs } from "./ar1-gibbs";
import { analyzeExperiment } from "./analyze";
import { blockContrasts, eProcessPath, THRESHOLD } from "./anytime";
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
export function simulateExperiment(
  rng: Rng,
  pairs: number,
  rho: number,
  effect: number,
  missing: number,
  periodDays = 1,
): Day[] {
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

export interface LookSimulationOptions {
  replicates: number;
  rng: Rng;
  /** Days per period (1, 2, 3, …). */
  periodDays: number;
  /** Pairs in the longest experiment; looks come after every pair (default 42). */
  pairs?: number;
  /** The planned end of the fixed analysis, in pairs (default 21). */
  plannedPairs?: number;
  /** AR(1) coefficient (default 0.5). */
  rho?: number;
  /** The mat's true benefit in standard deviations of a day (default 2/3: 1 point at sd 1.5). */
  effectSd?: number;
  /** Share of days missing completely at random (default 0.05). */
  missing?: number;
  /**
   * Replicates whose fixed analysis (`analyzeExperiment`, as on the page) is run at every look
   * from the sixth pair (default: all); it is the slow part.
   */
  fixedReplicates?: number;
  /** Sampler and randomization sizes of the fixed analysis at each look (defaults smaller than the command's: 2 × 600 after 200, 2,000 draws). */
  kept?: number;
  burnIn?: number;
  draws?: number;
}

/** Shares of experiments, looked at after every pair: the anytime answer and the fixed verdict side by side. */
export interface LookSimulationResult {
  replicates: number;
  fixedReplicates: number;
  periodDays: number;
  pairs: number;
  plannedPairs: number;
  anytime: {
    /** No effect: "benefit" at some look up to `pairs`. */
    everBenefitNull: number;
    /** No effect: "harm" at some look. */
    everHarmNull: number;
    /** With the effect: "benefit" by `plannedPairs` and by `pairs` (stopping at the first). */
    powerByPlanned: number;
    powerByAll: number;
    /** With the effect: `cs95` holds it at every look up to `pairs`. */
    coverage: number;
  };
  fixed: {
    /** No effect: a benefit verdict ("meaningful" or "likely") at some look from the sixth pair to `pairs`. */
    everBenefitNull: number;
    /** No effect: a benefit verdict at the planned end only. */
    plannedBenefitNull: number;
    /** With the effect: a benefit verdict at the planned end, and at `pairs` pairs (one look each). */
    powerAtPlanned: number;
    powerAtAll: number;
    /** With the effect: the 95% randomization interval (of A − B) holds it at every look from the sixth pair. */
    coverage: number;
  };
  /** Monte-Carlo standard error of a share near 5 % at `replicates` and at `fixedReplicates`. */
  shareSe: number;
  fixedShareSe: number;
}

/**
 * Looks after every pair (issue 23, item 5): how often each answer ever says "benefit" when the
 * mat does nothing, how often it finds a real effect by the planned end and by twice that, and
 * whether its interval holds the effect at every look. Outcomes where lower is better, as pain.
 */
export function runLookSimulation(options: LookSimulationOptions): LookSimulationResult {
  const { replicates, rng, periodDays } = options;
  const pairs = options.pairs ?? 42;
  const planned = options.plannedPairs ?? 21;
  const rho = options.rho ?? 0.5;
  const missing = options.missing ?? 0.05;
  const fixedReplicates = Math.min(options.fixedReplicates ?? replicates, replicates);
  // simulateExperiment's innovations have variance 1, so a day's standard deviation is 1/√(1 − ρ²).
  const effect = -(options.effectSd ?? 2 / 3) / Math.sqrt(1 - rho * rho);
  const benefitTrue = -effect;
  const sampler = { kept: options.kept ?? 600, burnIn: options.burnIn ?? 200, draws: options.draws ?? 2_000 };
  const tally = {
    aNull: 0,
    aHarm: 0,
    aPlanned: 0,
    aAll: 0,
    aCover: 0,
    fNull: 0,
    fPlannedNull: 0,
    fPlanned: 0,
    fAll: 0,
    fCover: 0,
  };
  /** The first look (in pairs) at which a path of wealth reached `threshold`, or Infinity. */
  const firstCrossing = (path: number[], blockIndex: number[], threshold: number) => {
    const at = path.findIndex((e) => e >= threshold);
    return at < 0 ? Infinity : blockIndex[at]! + 1;
  };
  const isBenefit = (v: string) => v === "meaningful-benefit" || v === "likely-benefit";
  for (let r = 0; r < replicates; r++) {
    const nullDays = simulateExperiment(rng, pairs, rho, 0, missing, periodDays);
    const withDays = simulateExperiment(rng, pairs, rho, effect, missing, periodDays);
    const nullC = blockContrasts(createExperimentDesign(nullDays), -1);
    const withC = blockContrasts(createExperimentDesign(withDays), -1);
    if (firstCrossing(eProcessPath(nullC.contrasts, 0, 1), nullC.blockIndex, THRESHOLD.benefit) <= pairs) tally.aNull++;
    if (firstCrossing(eProcessPath(nullC.contrasts, 0, -1), nullC.blockIndex, THRESHOLD.harm) <= pairs) tally.aHarm++;
    const found = firstCrossing(eProcessPath(withC.contrasts, 0, 1), withC.blockIndex, THRESHOLD.benefit);
    if (found <= planned) tally.aPlanned++;
    if (found <= pairs) tally.aAll++;
    const missed =
      eProcessPath(withC.contrasts, benefitTrue, 1).some((e) => e >= THRESHOLD.benefit) ||
      eProcessPath(withC.contrasts, benefitTrue, -1).some((e) => e >= THRESHOLD.harm);
    if (!missed) tally.aCover++;
    if (r >= fixedReplicates) continue;
    const daysPerPair = 2 * periodDays;
    let everNull = false;
    let covered = true;
    for (let k = 6; k <= pairs; k++) {
      const opts = { rng, autocorrelation: true, chains: 2, ...sampler };
      const n = analyzeExperiment(nullDays.slice(0, k * daysPerPair), opts);
      if (isBenefit(n.verdict)) {
        everNull = true;
        if (k === planned) tally.fPlannedNull++;
      }
      const w = analyzeExperiment(withDays.slice(0, k * daysPerPair), opts);
      if (!(w.ci95[0] <= effect && effect <= w.ci95[1])) covered = false;
      if (k === planned && isBenefit(w.verdict)) tally.fPlanned++;
      if (k === pairs && isBenefit(w.verdict)) tally.fAll++;
    }
    if (everNull) tally.fNull++;
    if (covered) tally.fCover++;
  }
  const share = (x: number, n: number) => (n > 0 ? x / n : Number.NaN);
  return {
    replicates,
    fixedReplicates,
    periodDays,
    pairs,
    plannedPairs: planned,
    anytime: {
      everBenefitNull: share(tally.aNull, replicates),
      everHarmNull: share(tally.aHarm, replicates),
      powerByPlanned: share(tally.aPlanned, replicates),
      powerByAll: share(tally.aAll, replicates),
      coverage: share(tally.aCover, replicates),
    },
    fixed: {
      everBenefitNull: share(tally.fNull, fixedReplicates),
      plannedBenefitNull: share(tally.fPlannedNull, fixedReplicates),
      powerAtPlanned: share(tally.fPlanned, fixedReplicates),
      powerAtAll: share(tally.fAll, fixedReplicates),
      coverage: share(tally.fCover, fixedReplicates),
    },
    shareSe: Math.sqrt((0.05 * 0.95) / replicates),
    fixedShareSe: Math.sqrt((0.05 * 0.95) / Math.max(fixedReplicates, 1)),
  };
}

/** Targets of issue 23, item 5, for the anytime answer. */
export const LOOK_TARGETS = { everBenefitNull: 0.05, powerByPlanned: 0.6, powerByAll: 0.9, coverage: 0.95 } as const;
