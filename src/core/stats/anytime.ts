/**
 * The anytime-valid answer: a test of "the mat makes no difference" and a confidence sequence
 * for its effect that stay valid however often the data are looked at and whenever the
 * experiment is stopped. Valid by the design, not by a model of the days.
 *
 * Why it holds. Each block (pair of periods) was ordered by a fair coin. Under the sharp null
 * hypothesis H_δ ("the mat shifts every day's outcome by exactly δ"), the block's contrast
 * X − δ (mean of the A period minus mean of the B period, oriented so that positive favours the
 * mat) is ±|X − δ| with the sign set by that coin alone, whatever the correlation between days.
 * So given the past and the size |X − δ|, the sign is a fair coin, and a bet that pays
 * 1 + tanh(γ (X − δ) / s) with γ and the scale s fixed before the sign is seen has expectation 1.
 * The product over blocks is a test martingale, and so is a mixture of such products; by
 * Ville's inequality it ever reaches 1/a with probability at most a. The bet 1 + tanh(γ z) is the
 * likelihood ratio of the sign given the size under a normal shift of γ standard deviations, so
 * the mixture over γ is a Bayes factor for the signs and has good power for effects of
 * 0.3 to 1 root mean square of a contrast.
 *
 * α = 0.05 is split 0.04 for benefit and 0.01 for harm (the question people ask is "does it help
 * me?"; a harm the size that matters still shows): "benefit" when the benefit side (δ = 0)
 * reaches 25, "harm" when the harm side reaches 100. The scale of each bet is the root mean square
 * of the earlier contrasts: a number fixed before the block is seen and the same for every δ. The confidence sequence is the set of δ that neither side has rejected at any
 * look so far (its running intersection): each factor falls as δ rises, so the rejected sets are
 * half-lines and the bounds are found by bisection.
 *
 * @see Shafer (2021), JRSS-A 184:407–431 (testing by betting).
 * @see Ramdas, Grünwald, Vovk & Shafer (2023), Statistical Science 38:576–601 (game-theoretic statistics and safe anytime-valid inference).
 * @see Grünwald, de Heide & Koolen (2024), JRSS-B 86:1091–1128 (safe testing; e-values).
 * @see Howard, Ramdas, McAuliffe & Sekhon (2021), Annals of Statistics 49:1055–1080 (time-uniform confidence sequences).
 * @see Waudby-Smith & Ramdas (2024), JRSS-B 86:1–27 (betting confidence sequences; mixtures over bets).
 * @module
 */
import type { ExperimentDesign } from "./experiment";

/** Level of the whole answer (a false verdict either way, or the effect ever outside `cs95`). */
export const ANYTIME_ALPHA = 0.05;
/** The share of α each side gets: benefit 0.04, harm 0.01. */
export const ALPHA_BENEFIT = 0.04;
export const ALPHA_HARM = ANYTIME_ALPHA - ALPHA_BENEFIT;
/** An e-process that reaches 1 / (its α) has rejected its side: 25 for benefit, 100 for harm. */
export const THRESHOLD = { benefit: 1 / ALPHA_BENEFIT, harm: 1 / ALPHA_HARM } as const;
/** Strengths of the bet, in root mean squares of the earlier contrasts; equal weights. */
export const BET_STRENGTHS = [0.3, 0.6, 1] as const;
/** Earlier contrasts needed before their size sets the scale of the bet; before that the bet is on the sign alone. */
const SCALE_BLOCKS = 2;

export type AnytimeVerdict = "benefit" | "harm" | "undecided";

/** The `anytime` object of `matwise analyze --json`; a public contract (add fields, never rename). */
export interface AnytimeResult {
  /** The benefit side's e-process at δ = 0, stopped when it reached the threshold. */
  e_benefit: number;
  /** The harm side's e-process at δ = 0, stopped likewise. */
  e_harm: number;
  /** 95% confidence sequence for `benefit` (positive favours the mat); null where unbounded. */
  cs95: [number | null, number | null];
  verdict: AnytimeVerdict;
  method: string;
}

export const ANYTIME_METHOD =
  "betting on the sign of each block's A − B contrast given its size (sign-flip likelihood ratios mixed over 3 bet strengths, scale from earlier blocks), " +
  "valid at every look by Ville's inequality; α = 0.05 split 0.04 benefit, 0.01 harm; " +
  "confidence sequence by inversion over a constant additive effect (running intersection)";

/** The contrasts the e-process bets on, in block order, with what it had to leave out. */
export interface BlockContrasts {
  /** Per usable block: mean of its measured A days − mean of its measured B days, times `sign` (positive favours the mat). */
  contrasts: number[];
  /** For each contrast, the index of its block in `design.blocks` (block order). */
  blockIndex: number[];
  /** Blocks with no measured day in one of their conditions (they count once both have one). */
  incomplete: number;
  /** Blocks whose A and B units differ in number, so a swap of the labels was not one fair coin. */
  unbalanced: number;
}

/**
 * The per-block contrasts: with periods, the A period's mean against the B period's; without,
 * the block's A days against its B days (usable only when they are as many, so that the
 * opposite labelling was as likely). Days not measured are left out of the means.
 */
export function blockContrasts(design: ExperimentDesign, sign: 1 | -1): BlockContrasts {
  const contrasts: number[] = [];
  const blockIndex: number[] = [];
  let incomplete = 0;
  let unbalanced = 0;
  const { values, isA } = design;
  design.blocks.forEach((block, index) => {
    let unitsA = 0,
      unitsB = 0,
      nA = 0,
      nB = 0,
      sumA = 0,
      sumB = 0;
    for (const day of block) {
      const v = values[day]!;
      if (isA[day]) {
        unitsA++;
        if (v === v) {
          nA++;
          sumA += v;
        }
      } else {
        unitsB++;
        if (v === v) {
          nB++;
          sumB += v;
        }
      }
    }
    // With periods, each block is one A and one B period (checked when the design was made).
    if (!design.periods && unitsA !== unitsB) unbalanced++;
    else if (nA === 0 || nB === 0) incomplete++;
    else {
      contrasts.push(sign * (sumA / nA - sumB / nB));
      blockIndex.push(index);
    }
  });
  return { contrasts, blockIndex, incomplete, unbalanced };
}

/**
 * The scale of each block's bet: the root mean square of the contrasts before it (null until
 * there are {@link SCALE_BLOCKS} of them). It does not depend on δ, so every bet falls as δ rises.
 * (Chosen by simulation over the standard deviation of the earlier contrasts and over the
 * sizes including the current one: decision 093.)
 */
function predictableScales(contrasts: readonly number[]): (number | null)[] {
  let sumSq = 0;
  return contrasts.map((x, n) => {
    const scale = n >= SCALE_BLOCKS ? Math.sqrt(sumSq / n) : null;
    sumSq += x * x;
    return scale;
  });
}

/** tanh(γ z / s) with the limits written out: the sign alone before a scale exists, or when it is 0. */
function bet(gamma: number, z: number, scale: number | null): number {
  if (z === 0) return 0;
  if (scale === null) return Math.tanh(gamma) * Math.sign(z);
  if (scale === 0) return Math.sign(z);
  return Math.tanh((gamma * z) / scale);
}

/**
 * The mixture e-process of one side for the effect δ after each block: side +1 bets that the
 * contrasts exceed δ (benefit), side −1 that they fall short (harm). Entry t is the wealth after
 * t + 1 blocks; the start is 1.
 */
export function eProcessPath(
  contrasts: readonly number[],
  delta: number,
  side: 1 | -1,
  scales = predictableScales(contrasts),
): number[] {
  const wealth: number[] = BET_STRENGTHS.map(() => 1);
  return contrasts.map((x, t) => {
    const z = side * (x - delta);
    let sum = 0;
    BET_STRENGTHS.forEach((gamma, g) => {
      wealth[g]! *= 1 + bet(gamma, z, scales[t]!);
      sum += wealth[g]!;
    });
    return sum / BET_STRENGTHS.length;
  });
}

/** The e-process stopped when it first reached `threshold`: its value now, and whether it did. */
function stopped(path: readonly number[], threshold: number): { e: number; crossed: boolean } {
  for (const e of path) if (e >= threshold) return { e, crossed: true };
  return { e: path.at(-1) ?? 1, crossed: false };
}

/** Highest value any look has reached (1 before the first block). */
function peak(path: readonly number[]): number {
  let max = 1;
  for (const e of path) if (e > max) max = e;
  return max;
}

/**
 * One end of the confidence sequence: the boundary of the δ that `side` has rejected at some
 * look (side +1 rejects low δ, giving the lower bound). Null when no δ is rejected however far
 * away: with n usable blocks the wealth can at most reach 2ⁿ.
 */
function csBound(contrasts: readonly number[], side: 1 | -1, scales: (number | null)[]): number | null {
  const threshold = side > 0 ? THRESHOLD.benefit : THRESHOLD.harm;
  const rejects = (delta: number) => peak(eProcessPath(contrasts, delta, side, scales)) >= threshold;
  if (contrasts.length === 0 || 2 ** contrasts.length <= threshold) return null;
  let lo = Infinity,
    hi = -Infinity;
  for (const x of contrasts) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const spread = Math.max(hi - lo, Math.abs(hi), Math.abs(lo), 1);
  // In side-oriented units u = side·δ the rejected set is (−∞, b]: find `inside` rejected and `outside` not.
  let outside = side * (side > 0 ? hi : lo) + spread;
  let step = spread;
  let inside = side * (side > 0 ? lo : hi) - step;
  for (let i = 0; i < 200 && !rejects(side * inside); i++) {
    step *= 2;
    inside -= step;
  }
  if (!rejects(side * inside)) return null;
  if (rejects(side * outside)) outside = side * (side > 0 ? hi : lo) + 1e6 * spread; // cannot happen: every bet loses there
  for (let i = 0; i < 200 && outside - inside > 1e-12 * spread; i++) {
    const mid = (inside + outside) / 2;
    if (rejects(side * mid)) inside = mid;
    else outside = mid;
  }
  return side * inside;
}

/**
 * The anytime-valid answer for contrasts in block order (from {@link blockContrasts}). With no
 * usable block it is undecided with an unbounded interval.
 */
export function analyzeAnytime(contrasts: readonly number[]): AnytimeResult {
  const scales = predictableScales(contrasts);
  const benefit = stopped(eProcessPath(contrasts, 0, 1, scales), THRESHOLD.benefit);
  const harm = stopped(eProcessPath(contrasts, 0, -1, scales), THRESHOLD.harm);
  const verdict: AnytimeVerdict =
    benefit.crossed && !harm.crossed ? "benefit" : harm.crossed && !benefit.crossed ? "harm" : "undecided";
  return {
    e_benefit: benefit.e,
    e_harm: harm.e,
    cs95: [csBound(contrasts, 1, scales), csBound(contrasts, -1, scales)],
    verdict,
    method: ANYTIME_METHOD,
  };
}
