/**
 * Bayesian regression with AR(1) errors over consecutive calendar days, fitted by Gibbs sampling
 * with data augmentation for the missing days.
 *
 *   y_t = α + δ·x_t + u_t,  u_t = ρ·u_(t−1) + ε_t,  ε_t ~ N(0, σ²),  u_1 ~ N(0, σ²/(1 − ρ²))
 *   priors: flat on α and δ, ρ ~ U(−1, 1), p(σ²) ∝ 1/σ².
 *
 * Speed: the data enter every conditional only through three 3×3 lagged cross-product matrices
 * of z_t = (1, x_t, y_t). Their sums over lags between observed days are computed once; an
 * iteration only re-adds the lags that touch an imputed day, so it costs O(missing days).
 * @module
 */
import { drawGamma, drawTruncatedNormal, type Rng } from "./rng";

/** The series: one slot per calendar day from the first to the last date. */
export interface Ar1Series {
  /** Values, NaN when missing (including calendar days without a row). */
  y: Float64Array;
  /** 1 on A days; 0 on B days and days without a row (their x never matters: y is imputed). */
  x: Float64Array;
}

export interface Ar1Options {
  rng: Rng;
  /** Independent chains (default 2). */
  chains?: number;
  /** Iterations dropped at the start of each chain (default 1,000). */
  burnIn?: number;
  /** Iterations kept per chain (default 5,000). */
  kept?: number;
  /** Fix ρ instead of sampling it (ρ = 0 gives the independent-errors model; used to test the sampler). */
  fixedRho?: number;
}

/** Posterior draws, one array per chain. */
export interface Ar1Draws {
  alpha: Float64Array[];
  delta: Float64Array[];
  rho: Float64Array[];
  sigma2: Float64Array[];
  /** Share of proposed ρ values accepted by the Metropolis–Hastings step. */
  rhoAcceptance: number;
}

/** Runs of missing slots as [start, end] inclusive. */
function missingRuns(y: Float64Array): Int32Array[] {
  const runs: Int32Array[] = [];
  let start = -1;
  for (let t = 0; t <= y.length; t++) {
    const missing = t < y.length && y[t] !== y[t];
    if (missing && start < 0) start = t;
    if (!missing && start >= 0) {
      runs.push(Int32Array.of(start, t - 1));
      start = -1;
    }
  }
  return runs;
}

/** Number of running sums kept by {@link accumulate}. */
const SUMS = 15;

/**
 * Adds, over the lags t in `lags` (each ≥ 1), the sums behind the lagged cross products of
 * z_t = (1, x_t, y_t): count, Σx_t, Σx_(t−1), Σx_t², Σx_t x_(t−1), Σx_(t−1)², Σy_t, Σy_(t−1),
 * Σx_t y_t, Σx_(t−1) y_t, Σx_t y_(t−1), Σx_(t−1) y_(t−1), Σy_t², Σy_t y_(t−1), Σy_(t−1)².
 */
function accumulate(y: Float64Array, x: Float64Array, lags: Int32Array, into: Float64Array): void {
  let n = 0,
    sx1 = 0,
    sx0 = 0,
    sxx11 = 0,
    sxx10 = 0,
    sxx00 = 0;
  let sy1 = 0,
    sy0 = 0,
    sxy11 = 0,
    sx0y1 = 0,
    sx1y0 = 0,
    sx0y0 = 0,
    syy11 = 0,
    syy10 = 0,
    syy00 = 0;
  for (let k = 0; k < lags.length; k++) {
    const t = lags[k]!;
    const x1 = x[t]!,
      x0 = x[t - 1]!,
      y1 = y[t]!,
      y0 = y[t - 1]!;
    n++;
    sx1 += x1;
    sx0 += x0;
    sxx11 += x1 * x1;
    sxx10 += x1 * x0;
    sxx00 += x0 * x0;
    sy1 += y1;
    sy0 += y0;
    sxy11 += x1 * y1;
    sx0y1 += x0 * y1;
    sx1y0 += x1 * y0;
    sx0y0 += x0 * y0;
    syy11 += y1 * y1;
    syy10 += y1 * y0;
    syy00 += y0 * y0;
  }
  into[0]! += n;
  into[1]! += sx1;
  into[2]! += sx0;
  into[3]! += sxx11;
  into[4]! += sxx10;
  into[5]! += sxx00;
  into[6]! += sy1;
  into[7]! += sy0;
  into[8]! += sxy11;
  into[9]! += sx0y1;
  into[10]! += sx1y0;
  into[11]! += sx0y0;
  into[12]! += syy11;
  into[13]! += syy10;
  into[14]! += syy00;
}

/** c0 = Σ z_t z_tᵀ, c1 = Σ z_t z_(t−1)ᵀ, c00 = Σ z_(t−1) z_(t−1)ᵀ (row-major 3×3) from the sums. */
function crossProducts(s: Float64Array, c0: Float64Array, c1: Float64Array, c00: Float64Array): void {
  const n = s[0]!,
    sx1 = s[1]!,
    sx0 = s[2]!,
    sxx11 = s[3]!,
    sxx10 = s[4]!,
    sxx00 = s[5]!,
    sy1 = s[6]!,
    sy0 = s[7]!;
  const sxy11 = s[8]!,
    sx0y1 = s[9]!,
    sx1y0 = s[10]!,
    sx0y0 = s[11]!,
    syy11 = s[12]!,
    syy10 = s[13]!,
    syy00 = s[14]!;
  c0[0] = n;
  c0[1] = sx1;
  c0[2] = sy1;
  c0[3] = sx1;
  c0[4] = sxx11;
  c0[5] = sxy11;
  c0[6] = sy1;
  c0[7] = sxy11;
  c0[8] = syy11;
  c1[0] = n;
  c1[1] = sx0;
  c1[2] = sy0;
  c1[3] = sx1;
  c1[4] = sxx10;
  c1[5] = sx1y0;
  c1[6] = sy1;
  c1[7] = sx0y1;
  c1[8] = syy10;
  c00[0] = n;
  c00[1] = sx0;
  c00[2] = sy0;
  c00[3] = sx0;
  c00[4] = sxx00;
  c00[5] = sx0y0;
  c00[6] = sy0;
  c00[7] = sx0y0;
  c00[8] = syy00;
}

/** wᵀ M w for a 3×3 matrix M. */
function quadratic(m: Float64Array, w0: number, w1: number, w2: number): number {
  return (
    w0 * (m[0]! * w0 + m[1]! * w1 + m[2]! * w2) +
    w1 * (m[3]! * w0 + m[4]! * w1 + m[5]! * w2) +
    w2 * (m[6]! * w0 + m[7]! * w1 + m[8]! * w2)
  );
}

/** Least squares of y on (1, x) over the observed slots: the starting point of every chain. */
function leastSquaresStart(series: Ar1Series): { alpha: number; delta: number; se: number; sigma2: number } {
  let nA = 0,
    nB = 0,
    sumA = 0,
    sumB = 0;
  for (let t = 0; t < series.y.length; t++) {
    const v = series.y[t]!;
    if (v !== v) continue;
    if (series.x[t]) {
      nA++;
      sumA += v;
    } else {
      nB++;
      sumB += v;
    }
  }
  const meanA = sumA / nA,
    meanB = sumB / nB;
  let rss = 0;
  for (let t = 0; t < series.y.length; t++) {
    const v = series.y[t]!;
    if (v === v) rss += (v - (series.x[t] ? meanA : meanB)) ** 2;
  }
  const sigma2 = Math.max(rss / Math.max(nA + nB - 2, 1), 1e-12);
  return { alpha: meanB, delta: meanA - meanB, se: Math.sqrt(sigma2 * (1 / nA + 1 / nB)), sigma2 };
}

/**
 * Gibbs sampler for regression with AR(1) errors: (α, δ) from the Prais–Winsten transformed
 * normal regression, σ² from its inverse-gamma conditional, ρ by a Metropolis–Hastings step with
 * the truncated-normal proposal of Chib (1993) corrected for the stationary first day, and the
 * missing days as a joint draw of each gap (an AR(1) bridge between its observed neighbours).
 * Requires at least one observed A and one observed B slot.
 * @see Chib (1993), Journal of Econometrics 58:275–294 (Gibbs sampling for regression with autoregressive errors).
 * @see Chib & Greenberg (1994), Journal of Econometrics 64:183–206 (MH step for the stationary initial term).
 * @see Tanner & Wong (1987), JASA 82:528–540 (data augmentation).
 */
export function fitAr1Gibbs(series: Ar1Series, options: Ar1Options): Ar1Draws {
  const { rng } = options;
  const chains = options.chains ?? 2;
  const burnIn = options.burnIn ?? 1_000;
  const kept = options.kept ?? 5_000;
  const size = series.y.length;
  if (size < 3) throw new RangeError("the AR(1) model needs at least 3 calendar days");

  // Centre the values: the posterior of δ and ρ is unchanged, α moves by the centre.
  let centre = 0;
  let observed = 0;
  for (const v of series.y)
    if (v === v) {
      centre += v;
      observed++;
    }
  centre /= observed;
  const x = series.x;
  const start = leastSquaresStart(series);
  const runs = missingRuns(series.y);
  const missing = runs.length > 0;
  // Lags t ≥ 1 split by whether y_t or y_(t−1) is imputed (those change every iteration).
  const fixedLags: number[] = [];
  const movingLags: number[] = [];
  for (let t = 1; t < size; t++) {
    (series.y[t] !== series.y[t] || series.y[t - 1] !== series.y[t - 1] ? movingLags : fixedLags).push(t);
  }
  const moving = Int32Array.from(movingLags);
  const fixedSums = new Float64Array(SUMS);
  const sums = new Float64Array(SUMS);

  const draws: Ar1Draws = { alpha: [], delta: [], rho: [], sigma2: [], rhoAcceptance: 0 };
  const c0 = new Float64Array(9),
    c1 = new Float64Array(9),
    c00 = new Float64Array(9),
    g = new Float64Array(9);
  let accepted = 0;
  let proposed = 0;

  for (let chain = 0; chain < chains; chain++) {
    const y = new Float64Array(size);
    for (let t = 0; t < size; t++) y[t] = series.y[t]! - centre;
    if (chain === 0) accumulate(y, x, Int32Array.from(fixedLags), fixedSums);
    // Dispersed starting points: δ on alternate sides of the estimate, ρ spread over (−0.5, 0.5).
    let alpha = start.alpha - centre;
    let delta = start.delta + (chain % 2 === 0 ? -2 : 2) * start.se;
    let rho = options.fixedRho ?? (chains === 1 ? 0 : -0.5 + chain / (chains - 1));
    let sigma2 = start.sigma2;
    if (!missing) crossProducts(fixedSums, c0, c1, c00);
    const out = {
      alpha: new Float64Array(kept),
      delta: new Float64Array(kept),
      rho: new Float64Array(kept),
      sigma2: new Float64Array(kept),
    };

    for (let iteration = 0; iteration < burnIn + kept; iteration++) {
      if (missing) {
        imputeGaps(y, x, runs, alpha, delta, rho, sigma2, rng);
        sums.set(fixedSums);
        accumulate(y, x, moving, sums);
        crossProducts(sums, c0, c1, c00);
      }
      const y0 = y[0]!,
        x0 = x[0]!;

      // G(ρ) = (1 − ρ²) z_0 z_0ᵀ + c0 − ρ (c1 + c1ᵀ) + ρ² c00: the Prais–Winsten cross products.
      const lead = 1 - rho * rho;
      for (let i = 0; i < 3; i++) {
        const zi = i === 0 ? 1 : i === 1 ? x0 : y0;
        for (let j = 0; j < 3; j++) {
          const zj = j === 0 ? 1 : j === 1 ? x0 : y0;
          g[3 * i + j] =
            lead * zi * zj + c0[3 * i + j]! - rho * (c1[3 * i + j]! + c1[3 * j + i]!) + rho * rho * c00[3 * i + j]!;
        }
      }

      // (α, δ) | ρ, σ², y ~ N(β̂, σ² (X*ᵀX*)⁻¹).
      const a11 = g[0]!,
        a12 = g[1]!,
        a22 = g[4]!,
        b1 = g[2]!,
        b2 = g[5]!;
      const det = a11 * a22 - a12 * a12;
      const v11 = a22 / det,
        v12 = -a12 / det,
        v22 = a11 / det;
      const mean1 = v11 * b1 + v12 * b2,
        mean2 = v12 * b1 + v22 * b2;
      const l11 = Math.sqrt(v11),
        l21 = v12 / l11,
        l22 = Math.sqrt(Math.max(v22 - l21 * l21, 0));
      const sigma = Math.sqrt(sigma2);
      const e1 = rng.normal(),
        e2 = rng.normal();
      alpha = mean1 + sigma * l11 * e1;
      delta = mean2 + sigma * (l21 * e1 + l22 * e2);

      // σ² | α, δ, ρ, y ~ Inv-Gamma(T/2, S/2) with S the Prais–Winsten residual sum of squares.
      const ss = quadratic(g, -alpha, -delta, 1);
      sigma2 = ss / 2 / drawGamma(rng, size / 2);

      // ρ | α, δ, σ², y: truncated-normal proposal, accepted with the ratio of the initial-term factor.
      if (options.fixedRho === undefined) {
        const u0 = y0 - alpha - delta * x0;
        const cross = quadratic(c1, -alpha, -delta, 1);
        const lagged = quadratic(c00, -alpha, -delta, 1);
        const candidate = drawTruncatedNormal(rng, cross / lagged, Math.sqrt(sigma2 / lagged), -1, 1);
        proposed++;
        if (Math.log(1 - rng.uniform()) < logInitialFactor(candidate, u0, sigma2) - logInitialFactor(rho, u0, sigma2)) {
          rho = candidate;
          accepted++;
        }
      }

      if (iteration >= burnIn) {
        const k = iteration - burnIn;
        out.alpha[k] = alpha + centre;
        out.delta[k] = delta;
        out.rho[k] = rho;
        out.sigma2[k] = sigma2;
      }
    }
    draws.alpha.push(out.alpha);
    draws.delta.push(out.delta);
    draws.rho.push(out.rho);
    draws.sigma2.push(out.sigma2);
  }
  draws.rhoAcceptance = proposed === 0 ? 1 : accepted / proposed;
  return draws;
}

/** log Ψ(ρ): the stationary first-day term, √(1 − ρ²)·exp(−(1 − ρ²)u₀²/(2σ²)), that the proposal leaves out. */
function logInitialFactor(rho: number, u0: number, sigma2: number): number {
  const lead = 1 - rho * rho;
  return 0.5 * Math.log(lead) - (lead * u0 * u0) / (2 * sigma2);
}

/**
 * Draws every run of missing slots jointly from its conditional given the observed neighbours:
 * forward from the left neighbour, backward from the right one (a stationary AR(1) reversed is the
 * same AR(1)), or as a bridge between both.
 */
function imputeGaps(
  y: Float64Array,
  x: Float64Array,
  runs: readonly Int32Array[],
  alpha: number,
  delta: number,
  rho: number,
  sigma2: number,
  rng: Rng,
): void {
  const sigma = Math.sqrt(sigma2);
  const rho2 = rho * rho;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const first = run[0]!,
      last = run[1]!;
    const hasLeft = first > 0,
      hasRight = last < y.length - 1;
    if (!hasLeft) {
      let next = y[last + 1]! - alpha - delta * x[last + 1]!;
      for (let t = last; t >= first; t--) {
        next = rho * next + sigma * rng.normal();
        y[t] = alpha + delta * x[t]! + next;
      }
      continue;
    }
    let previous = y[first - 1]! - alpha - delta * x[first - 1]!;
    const right = hasRight ? y[last + 1]! - alpha - delta * x[last + 1]! : 0;
    for (let t = first; t <= last; t++) {
      let mean = rho * previous;
      let variance = sigma2;
      if (hasRight) {
        // u_R | u_t ~ N(ρ^m u_t, σ² g_m), g_m = (1 − ρ^(2m)) / (1 − ρ²); combine with u_t | u_(t−1).
        const rhoM = Math.pow(rho, last + 1 - t);
        const gm = rho2 === 0 ? 1 : (1 - rhoM * rhoM) / (1 - rho2);
        const precision = 1 + (rhoM * rhoM) / gm;
        mean = (rho * previous + (rhoM * right) / gm) / precision;
        variance = sigma2 / precision;
      }
      previous = mean + (hasRight ? Math.sqrt(variance) : sigma) * rng.normal();
      y[t] = alpha + delta * x[t]! + previous;
    }
  }
}
