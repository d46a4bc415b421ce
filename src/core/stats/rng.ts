/**
 * The random source of the statistics engine. Every stochastic function takes an {@link Rng}
 * as a parameter, so results are reproducible from a seed and tests can inject their own.
 * @module
 */
import randu from "@stdlib/random-base-randu";
import normal from "@stdlib/random-base-normal";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { ValidationError } from "../errors";

/** A source of independent draws: U(0, 1) and N(0, 1). One stream, consumed in call order. */
export interface Rng {
  /** A uniform draw on [0, 1). */
  uniform(): number;
  /** A standard normal draw. */
  normal(): number;
}

/** Largest seed MT19937 accepts. */
export const MAX_SEED = 4_294_967_295;

/**
 * A seeded generator: MT19937 uniforms with standard normals drawn from the same stream.
 * Pure and deterministic (no clock, no global state), so it lives in core.
 * @see Matsumoto & Nishimura (1998), ACM TOMACS 8:3–30 (MT19937), via @stdlib/random-base-randu.
 */
export function createSeededRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 1 || seed > MAX_SEED) {
    throw new ValidationError(`seed must be an integer from 1 to ${MAX_SEED}, got ${seed}`);
  }
  const uniform = randu.factory({ seed });
  const standardNormal = normal.factory(0, 1, { prng: uniform });
  return { uniform: () => uniform(), normal: () => standardNormal() };
}

/**
 * A Gamma(shape, 1) draw.
 * @see Marsaglia & Tsang (2000), ACM TOMS 26:363–372 (with the u^(1/shape) boost for shape < 1).
 */
export function drawGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    const boost = Math.pow(1 - rng.uniform(), 1 / shape);
    return drawGamma(rng, shape + 1) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform(); // (0, 1]
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A N(mean, sd²) draw truncated to (lower, upper), by inversion of the CDF. The side of the
 * distribution is chosen so the CDF values stay in the accurate lower tail (an interval above the
 * mean is reflected below it).
 * @see Devroye (1986), Non-Uniform Random Variate Generation, §II.2 (inversion).
 */
export function drawTruncatedNormal(rng: Rng, mean: number, sd: number, lower: number, upper: number): number {
  if (lower > mean) return -drawTruncatedNormal(rng, -mean, sd, -upper, -lower);
  const pa = normalCdf((lower - mean) / sd, 0, 1);
  const pb = normalCdf((upper - mean) / sd, 0, 1);
  if (!(pb > pa)) {
    // The whole interval lies far below the mean: the mass sits at its upper end.
    return upper - (upper - lower) * 1e-9;
  }
  const p = pa + (pb - pa) * rng.uniform();
  const x = mean + sd * normalQuantile(p, 0, 1);
  return Math.min(Math.max(x, lower), upper);
}
