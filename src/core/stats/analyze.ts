/**
 * `matwise analyze`: one person's randomized n-of-1 experiment, A (the mat) against B (the
 * comparator). Combines the design-based randomization test, its inverted 95% interval, and a
 * Bayesian model of the effect, then states a verdict. The result object is the public JSON.
 * @module
 */
import { ValidationError } from "../errors";
import { fitAr1Gibbs } from "./ar1-gibbs";
import { analyzeAnytime, blockContrasts, type AnytimeResult } from "./anytime";
import { createExperimentDesign, type Day } from "./experiment";
import { fitIndependent } from "./independent";
import { buildReferenceSet, invertRandomizationTest, randomizationPValue } from "./randomization";
import { splitRhat } from "./rhat";
import type { Rng } from "./rng";

export type Direction = "lower" | "higher";

export type Verdict =
  "not-enough-data" | "meaningful-benefit" | "likely-benefit" | "no-clear-difference" | "likely-worse";

export interface AnalyzeOptions {
  /** Which direction of the outcome is better (default "lower", e.g. pain). */
  better?: Direction;
  /** Minimal clinically important difference, in outcome units (default 1). */
  mcid?: number;
  /** Monte-Carlo draws when the reference set is too large to enumerate (default 20,000). */
  draws?: number;
  /** false: the independent-errors model in closed form; true (default): the AR(1) sampler. */
  autocorrelation?: boolean;
  /** The random source, consumed by the randomization draws, then chain after chain. */
  rng: Rng;
  /** Sampler size (defaults 2 chains × 5,000 kept after 1,000 burn-in). */
  chains?: number;
  burnIn?: number;
  kept?: number;
  /** Largest reference set that is enumerated (default 100,000). */
  maxExact?: number;
}

/**
 * The design when whole periods were randomized: blocks, periods (two per block) and days per
 * period (the days listed, measured or not; shortest and longest).
 */
export interface PeriodDesign {
  blocks: number;
  periods: number;
  period_days: { min: number; max: number };
}

/** The analysis, shaped exactly like the JSON output of `matwise analyze --json`. */
export interface AnalysisResult {
  n: { A: number; B: number; blocks: number; complete_blocks: number };
  /** Only when the days carry periods; absent, every day was randomized on its own. */
  design?: PeriodDesign;
  mean: { A: number; B: number };
  /** mean(A) − mean(B) over non-missing days. */
  effect: number;
  /** effect oriented so that positive favours the mat. */
  benefit: number;
  randomization: { p: number; method: "exact" | "monte-carlo"; arrangements: number | null; draws: number | null };
  /** 95% interval by test inversion; an unbounded end is ±Infinity (null in JSON). */
  ci95: [number, number];
  bayes: {
    model: "ar1" | "independent";
    effect_mean: number;
    effect_sd: number;
    rho_mean: number | null;
    rhat: number | null;
    p_benefit: number;
    p_meaningful: number;
  };
  verdict: Verdict;
  /**
   * The anytime-valid answer (decision 093): valid however often the data are looked at and
   * whenever the experiment stops; `verdict` above is the fixed analysis, valid once, at the
   * planned end.
   */
  anytime: AnytimeResult;
  warnings: string[];
}

/** Complete blocks needed before any verdict other than not-enough-data. */
export const MIN_COMPLETE_BLOCKS = 6;
/** R-hat above this adds a warning. */
export const RHAT_WARNING = 1.01;

/**
 * The verdict rules, in order: too few complete blocks; P(benefit ≥ mcid) ≥ 0.80;
 * P(benefit > 0) ≥ 0.90; P(benefit > 0) ≤ 0.10; otherwise no clear difference.
 */
export function decideVerdict(completeBlocks: number, pBenefit: number, pMeaningful: number): Verdict {
  if (completeBlocks < MIN_COMPLETE_BLOCKS) return "not-enough-data";
  if (pMeaningful >= 0.8) return "meaningful-benefit";
  if (pBenefit >= 0.9) return "likely-benefit";
  if (pBenefit <= 0.1) return "likely-worse";
  return "no-clear-difference";
}

/** Counts of a design with periods, for the report. */
function describePeriods(blocks: readonly (readonly Int32Array[])[]): PeriodDesign {
  let periods = 0,
    min = Infinity,
    max = 0;
  for (const block of blocks) {
    for (const period of block) {
      periods++;
      min = Math.min(min, period.length);
      max = Math.max(max, period.length);
    }
  }
  return { blocks: blocks.length, periods, period_days: { min, max } };
}

/**
 * Analyzes one experiment. When the days carry periods, the randomization test and its interval
 * permute whole periods within blocks (as they were assigned); the Bayesian models stay per day.
 * Throws {@link ValidationError} when the data cannot be analyzed at all (no non-missing A or B
 * day, fewer than 3 non-missing days, bad periods, bad options).
 * @see Edgington & Onghena (2007), Randomization Tests, 4th ed. (the test and its inversion; random assignment within blocks).
 * @see Chib (1993), Journal of Econometrics 58:275–294 (the AR(1) model).
 */
export function analyzeExperiment(days: readonly Day[], options: AnalyzeOptions): AnalysisResult {
  const better = options.better ?? "lower";
  const mcid = options.mcid ?? 1;
  const draws = options.draws ?? 20_000;
  if (!Number.isFinite(mcid) || mcid < 0) throw new ValidationError(`mcid must be a number ≥ 0, got ${mcid}`);
  if (!Number.isInteger(draws) || draws < 1)
    throw new ValidationError(`draws must be a positive integer, got ${draws}`);
  const design = createExperimentDesign(days);
  const warnings: string[] = [];

  let nA = 0,
    nB = 0,
    sumA = 0,
    sumB = 0,
    min = Infinity,
    max = -Infinity;
  design.values.forEach((v, i) => {
    if (v !== v) return;
    if (design.isA[i]) {
      nA++;
      sumA += v;
    } else {
      nB++;
      sumB += v;
    }
    min = Math.min(min, v);
    max = Math.max(max, v);
  });
  if (nA === 0 || nB === 0 || nA + nB < 3) {
    throw new ValidationError(
      `need at least one measured A day, one measured B day and 3 measured days in all (found A ${nA}, B ${nB})`,
    );
  }
  const completeBlocks = design.blocks.filter((block) => {
    let a = false,
      b = false;
    for (const day of block) {
      if (design.values[day] !== design.values[day]) continue;
      if (design.isA[day]) a = true;
      else b = true;
    }
    return a && b;
  }).length;
  const meanA = sumA / nA,
    meanB = sumB / nB;
  const effect = meanA - meanB;
  const sign = better === "higher" ? 1 : -1;

  // Randomization test and its inversion over the same arrangements.
  const reference = buildReferenceSet(design, {
    draws,
    rng: options.rng,
    ...(options.maxExact ? { maxExact: options.maxExact } : {}),
  });
  const p = randomizationPValue(reference);
  const range = max - min;
  const ci95 = invertRandomizationTest(reference, reference.observed, range > 0 ? range : 1);
  if (reference.skipped > 0) {
    warnings.push(
      `${reference.skipped} arrangement(s) left out of the randomization test because A or B had no measured day in them`,
    );
  }
  if (!Number.isFinite(ci95[0]) || !Number.isFinite(ci95[1])) {
    warnings.push(
      "the 95% interval is unbounded: too few blocks for the randomization test to exclude any effect size",
    );
  }
  if (design.calendarGapDays > 0) {
    warnings.push(
      `${design.calendarGapDays} calendar day(s) between the first and last date have no row; the AR(1) model treats them as missing days`,
    );
  }

  const independent = fitIndependent(design.values, design.isA);
  let bayes: AnalysisResult["bayes"];
  const useAr1 = (options.autocorrelation ?? true) && independent.scale > 0;
  if ((options.autocorrelation ?? true) && !useAr1) {
    warnings.push(
      "the values do not vary within conditions, so the AR(1) model cannot be fitted; the independent model is reported",
    );
  }
  if (useAr1) {
    const fit = fitAr1Gibbs(
      { y: design.calendarValues, x: design.calendarIsA },
      { rng: options.rng, chains: options.chains ?? 2, burnIn: options.burnIn ?? 1_000, kept: options.kept ?? 5_000 },
    );
    let total = 0,
      sum = 0,
      sumSq = 0,
      rhoSum = 0,
      benefitHits = 0,
      meaningfulHits = 0;
    fit.delta.forEach((chain, c) => {
      const rho = fit.rho[c]!;
      for (let i = 0; i < chain.length; i++) {
        const delta = chain[i]!;
        const benefit = sign * delta;
        total++;
        sum += delta;
        sumSq += delta * delta;
        rhoSum += rho[i]!;
        if (benefit > 0) benefitHits++;
        if (benefit >= mcid) meaningfulHits++;
      }
    });
    const mean = sum / total;
    const rhat = splitRhat(fit.delta);
    if (!(rhat <= RHAT_WARNING))
      warnings.push(
        `R-hat for the effect is ${rhat.toFixed(3)} (above ${RHAT_WARNING}): the sampler may not have converged`,
      );
    bayes = {
      model: "ar1",
      effect_mean: mean,
      effect_sd: Math.sqrt(Math.max((sumSq - total * mean * mean) / (total - 1), 0)),
      rho_mean: rhoSum / total,
      rhat,
      p_benefit: benefitHits / total,
      p_meaningful: meaningfulHits / total,
    };
  } else {
    // P(sign·δ > 0) and P(sign·δ ≥ mcid) from the Student-t posterior.
    const above = (q: number): number => 1 - independent.cdf(q);
    bayes = {
      model: "independent",
      effect_mean: independent.location,
      effect_sd: independent.sd,
      rho_mean: null,
      rhat: null,
      p_benefit: sign > 0 ? above(0) : independent.cdf(0),
      p_meaningful: sign > 0 ? above(mcid) : independent.cdf(-mcid),
    };
    if (!Number.isFinite(independent.sd))
      warnings.push("too few measured days for a finite posterior standard deviation");
  }
  const periodDesign = design.periods ? describePeriods(design.periods) : undefined;
  if (bayes.model === "independent" && periodDesign && periodDesign.period_days.max > 1) {
    warnings.push(
      "the independent model treats the days of a period as unrelated, so with periods longer than a day it can be too confident when days are correlated; the AR(1) model (the default) allows for it",
    );
  }

  const contrasts = blockContrasts(design, sign);
  if (contrasts.unbalanced > 0) {
    warnings.push(
      `${contrasts.unbalanced} block(s) have unequal numbers of A and B days, so they are left out of the anytime answer (its bets need each block's labels to be one fair swap)`,
    );
  }
  const anytime = analyzeAnytime(contrasts.contrasts);

  const verdict = decideVerdict(completeBlocks, bayes.p_benefit, bayes.p_meaningful);
  if (verdict === "not-enough-data") {
    warnings.push(`only ${completeBlocks} complete block(s); at least ${MIN_COMPLETE_BLOCKS} are needed for a verdict`);
  }
  return {
    n: { A: nA, B: nB, blocks: design.blocks.length, complete_blocks: completeBlocks },
    ...(periodDesign ? { design: periodDesign } : {}),
    mean: { A: meanA, B: meanB },
    effect,
    benefit: sign * effect,
    randomization: { p, method: reference.method, arrangements: reference.arrangements, draws: reference.draws },
    ci95,
    bayes,
    verdict,
    warnings,
    anytime,
  };
}
