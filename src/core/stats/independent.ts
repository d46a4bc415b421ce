/**
 * The independent-errors model in closed form: y = α + δ·x + ε, ε ~ N(0, σ²) i.i.d., flat priors
 * on α and δ, p(σ²) ∝ 1/σ². The marginal posterior of δ is Student-t with n − 2 degrees of
 * freedom, centred on the least-squares estimate with the least-squares standard error.
 * @module
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";

/** The Student-t posterior of δ. */
export interface StudentTPosterior {
  /** Least-squares estimate mean(A) − mean(B): the posterior centre (and mean when df > 1). */
  location: number;
  /** Least-squares standard error: the posterior scale. */
  scale: number;
  df: number;
  /** Posterior standard deviation, scale·√(df/(df − 2)); NaN when df ≤ 2. */
  sd: number;
  /** P(δ ≤ q). */
  cdf(q: number): number;
}

/**
 * Closed-form posterior of δ over the non-missing days (missing days dropped).
 * Throws RangeError unless there is an A day, a B day and at least 3 days in all.
 * @see Box & Tiao (1973), Bayesian Inference in Statistical Analysis, §2.7 (the normal linear model with the Jeffreys prior).
 */
export function fitIndependent(values: Float64Array, isA: Uint8Array): StudentTPosterior {
  let nA = 0,
    nB = 0,
    sumA = 0,
    sumB = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    if (isA[i]) {
      nA++;
      sumA += v;
    } else {
      nB++;
      sumB += v;
    }
  }
  if (nA === 0 || nB === 0 || nA + nB < 3)
    throw new RangeError("need an A day, a B day and at least 3 non-missing days");
  const meanA = sumA / nA,
    meanB = sumB / nB;
  let rss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) rss += (v - (isA[i] ? meanA : meanB)) ** 2;
  }
  const df = nA + nB - 2;
  const location = meanA - meanB;
  const scale = Math.sqrt((rss / df) * (1 / nA + 1 / nB));
  return {
    location,
    scale,
    df,
    sd: df > 2 ? scale * Math.sqrt(df / (df - 2)) : Number.NaN,
    cdf: (q) => (scale > 0 ? tCdf((q - location) / scale, df) : q >= location ? 1 : 0),
  };
}
