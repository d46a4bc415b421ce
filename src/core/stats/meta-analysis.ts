/**
 * `matwise pool`: random-effects meta-analysis of many people's effects, reproducing the R
 * package metafor with its defaults (`rma(yi, sei = se, method = "REML" | "DL")`, `predict()`,
 * `blup()`), including its iteration, starting value, stopping rule and truncation, so that the
 * numbers agree with metafor to a relative 1e-6.
 * @module
 */
import gammainc from "@stdlib/math-base-special-gammainc";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { parseDecimal, rowError } from "./fields";

export type PoolMethod = "REML" | "DL";

/** One person's effect and its standard error (for example bayes.effect_mean and effect_sd). */
export interface PersonEffect {
  id: string;
  effect: number;
  se: number;
}

/** A person row as read from a file; `row` is the 1-based line number. */
export interface RawPersonRow {
  row: number;
  id: string;
  effect: string;
  se: string;
}

/** The pooled result, shaped exactly like the JSON output of `matwise pool --json`. */
export interface PoolResult {
  k: number;
  method: PoolMethod;
  estimate: number;
  se: number;
  ci95: [number, number];
  z: number;
  p: number;
  tau2: number;
  I2: number;
  H2: number;
  Q: number;
  Q_df: number;
  Q_p: number;
  /** Prediction interval for the true effect of a new person. */
  pi95: [number, number];
  /** Shrunken (empirical Bayes) estimate of each person's true effect. */
  people: { id: string; estimate: number; se: number; pi95: [number, number] }[];
}

/** metafor's Fisher-scoring controls (rma.uni defaults). */
const THRESHOLD = 1e-5;
const MAX_ITERATIONS = 100;
/** metafor's ll0check tolerance: .Machine$double.eps^0.25. */
const LL_TOLERANCE = Math.pow(2 ** -52, 0.25);

/** The Fisher scoring algorithm did not converge within metafor's 100 iterations. */
export class ConvergenceError extends Error {
  override readonly name = "ConvergenceError";
}

/** Validates person rows: non-empty unique id, numeric effect, positive se, at least 2 rows. */
export function parsePersonRows(rows: readonly RawPersonRow[]): PersonEffect[] {
  if (rows.length < 2) throw rowError(rows[0]?.row ?? 2, `need at least 2 people, found ${rows.length}`);
  const seen = new Map<string, number>();
  return rows.map((raw) => {
    const id = raw.id.trim();
    if (id === "") throw rowError(raw.row, "id is empty");
    const first = seen.get(id);
    if (first !== undefined) throw rowError(raw.row, `duplicate id "${id}" (first on row ${first})`);
    seen.set(id, raw.row);
    const effect = parseDecimal(raw.effect, raw.row, "effect");
    const se = parseDecimal(raw.se, raw.row, "se");
    if (!(se > 0)) throw rowError(raw.row, `se must be positive, got ${raw.se.trim()}`);
    return { id, effect, se };
  });
}

interface WeightSums {
  /** Σw, Σw², Σw³, Σwy and the weighted mean. */
  w: number;
  w2: number;
  w3: number;
  wy: number;
  mean: number;
}

function weightSums(y: Float64Array, v: Float64Array, tau2: number): WeightSums {
  let w = 0,
    w2 = 0,
    w3 = 0,
    wy = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = 1 / (v[i]! + tau2);
    w += wi;
    w2 += wi * wi;
    w3 += wi * wi * wi;
    wy += wi * y[i]!;
  }
  return { w, w2, w3, wy, mean: wy / w };
}

/** Σ w_i (y_i − ȳ_w)² at the given τ² (the weighted residual sum of squares). */
function weightedRss(y: Float64Array, v: Float64Array, tau2: number, mean: number): number {
  let rss = 0;
  for (let i = 0; i < y.length; i++) rss += (y[i]! - mean) ** 2 / (v[i]! + tau2);
  return rss;
}

/** Restricted log-likelihood of the intercept-only model (metafor's formula, for ll0check). */
function restrictedLogLik(y: Float64Array, v: Float64Array, tau2: number): number {
  const sums = weightSums(y, v, tau2);
  let logDet = 0;
  for (let i = 0; i < v.length; i++) logDet += Math.log(v[i]! + tau2);
  const k = y.length;
  return (
    -0.5 * (k - 1) * Math.log(2 * Math.PI) -
    0.5 * logDet -
    0.5 * Math.log(sums.w) -
    0.5 * weightedRss(y, v, tau2, sums.mean)
  );
}

/**
 * REML τ² by metafor's Fisher scoring: start at the Hedges (HE) estimate truncated at 0, step
 * (y'PPy − tr P)/tr(PP), halve a step that would go below 0, stop when |Δτ²| ≤ 1e-5 (at most
 * 100 iterations), then metafor's check against τ² = 0 and truncation at 0.
 * @see Viechtbauer (2005), Journal of Educational and Behavioral Statistics 30:261–293 (Fisher scoring for REML).
 * @see Viechtbauer (2010), Journal of Statistical Software 36(3) (metafor's rma.uni).
 */
export function estimateTau2Reml(y: Float64Array, v: Float64Array): number {
  const k = y.length;
  // Hedges estimator: (Σ(y − ȳ)² − (1 − 1/k)Σv) / (k − 1).
  let mean = 0,
    sumV = 0;
  for (let i = 0; i < k; i++) {
    mean += y[i]!;
    sumV += v[i]!;
  }
  mean /= k;
  let rss = 0;
  for (let i = 0; i < k; i++) rss += (y[i]! - mean) ** 2;
  let tau2 = Math.max(0, (rss - (sumV - sumV / k)) / (k - 1));

  let change = THRESHOLD + 1;
  let iteration = 0;
  while (change > THRESHOLD) {
    iteration++;
    const old = tau2;
    const s = weightSums(y, v, tau2);
    // Py = w ∘ (y − ȳ_w); tr P = Σw − Σw²/Σw; tr PP = Σw² − 2Σw³/Σw + (Σw²/Σw)².
    let yPPy = 0;
    for (let i = 0; i < k; i++) {
      const r = (y[i]! - s.mean) / (v[i]! + tau2);
      yPPy += r * r;
    }
    const trP = s.w - s.w2 / s.w;
    const trPP = s.w2 - (2 * s.w3) / s.w + (s.w2 / s.w) ** 2;
    let adjustment = (yPPy - trP) / trPP;
    if (Number.isNaN(adjustment)) adjustment = 0;
    while (tau2 + adjustment < 0) adjustment /= 2;
    tau2 += adjustment;
    change = Math.abs(old - tau2);
    if (iteration > MAX_ITERATIONS)
      throw new ConvergenceError("Fisher scoring algorithm did not converge (metafor's limit of 100 iterations)");
  }
  // metafor's ll0check: a fit worse than τ² = 0 means Fisher scoring found a local maximum.
  if (restrictedLogLik(y, v, 0) - restrictedLogLik(y, v, tau2) > LL_TOLERANCE && tau2 > THRESHOLD) tau2 = 0;
  return Math.max(0, tau2);
}

/**
 * DerSimonian–Laird τ²: (Q − (k − 1)) / (Σw − Σw²/Σw) with w = 1/v, truncated at 0.
 * @see DerSimonian & Laird (1986), Controlled Clinical Trials 7:177–188.
 */
export function estimateTau2Dl(y: Float64Array, v: Float64Array): number {
  const s = weightSums(y, v, 0);
  const q = weightedRss(y, v, 0, s.mean);
  return Math.max(0, (q - (y.length - 1)) / (s.w - s.w2 / s.w));
}

/**
 * Random-effects meta-analysis with metafor's defaults: the estimate with its z-based interval
 * and test, Cochran's Q, I² and H² from the "typical" within-person variance, the prediction
 * interval, and each person's best linear unbiased prediction.
 * @see Viechtbauer (2010), Journal of Statistical Software 36(3) (metafor).
 * @see Higgins & Thompson (2002), Statistics in Medicine 21:1539–1558 (I², H², typical variance).
 * @see Higgins, Thompson & Spiegelhalter (2009), JRSS A 172:137–159 (prediction interval).
 * @see Raudenbush & Bryk (1985), Journal of Educational Statistics 10:75–98 (empirical Bayes estimates).
 */
export function poolEffects(people: readonly PersonEffect[], method: PoolMethod = "REML"): PoolResult {
  const k = people.length;
  if (k < 2) throw new RangeError("pooling needs at least 2 people");
  const y = new Float64Array(k);
  const v = new Float64Array(k);
  people.forEach((person, i) => {
    y[i] = person.effect;
    v[i] = person.se * person.se;
  });
  const tau2 = method === "REML" ? estimateTau2Reml(y, v) : estimateTau2Dl(y, v);

  const random = weightSums(y, v, tau2);
  const estimate = random.mean;
  const variance = 1 / random.w;
  const se = Math.sqrt(variance);
  const z = estimate / se;
  const crit = normalQuantile(0.975, 0, 1);

  const fixed = weightSums(y, v, 0);
  const q = Math.max(0, weightedRss(y, v, 0, fixed.mean));
  const typical = (k - 1) / (fixed.w - fixed.w2 / fixed.w);
  const predictionSe = Math.sqrt(variance + tau2);

  return {
    k,
    method,
    estimate,
    se,
    ci95: [estimate - crit * se, estimate + crit * se],
    z,
    p: 2 * normalCdf(-Math.abs(z), 0, 1),
    tau2,
    I2: (100 * tau2) / (typical + tau2),
    H2: tau2 / typical + 1,
    Q: q,
    Q_df: k - 1,
    Q_p: gammainc(q / 2, (k - 1) / 2, true, true),
    pi95: [estimate - crit * predictionSe, estimate + crit * predictionSe],
    people: people.map((person, i) => {
      const shrink = tau2 / (tau2 + v[i]!);
      const pred = shrink * y[i]! + (1 - shrink) * estimate;
      const predSe = Math.sqrt(shrink * v[i]! + (1 - shrink) ** 2 * variance);
      return { id: person.id, estimate: pred, se: predSe, pi95: [pred - crit * predSe, pred + crit * predSe] };
    }),
  };
}
