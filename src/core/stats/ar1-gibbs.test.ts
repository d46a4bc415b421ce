import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { describe, expect, it } from "vitest";
import { fitAr1Gibbs, type Ar1Draws } from "./ar1-gibbs";
import { fitIndependent } from "./independent";
import { createSeededRng, type Rng } from "./rng";
import { splitRhat } from "./rhat";

/** A simulated series: y_t = 5 + δ·x_t + u_t with AR(1) u; x alternates in random pairs. */
function simulate(
  rng: Rng,
  size: number,
  delta: number,
  rho: number,
  missingShare = 0,
): { y: Float64Array; x: Float64Array } {
  const y = new Float64Array(size);
  const x = new Float64Array(size);
  let u = rng.normal() / Math.sqrt(1 - rho * rho);
  for (let t = 0; t < size; t += 2) {
    const aFirst = rng.uniform() < 0.5;
    x[t] = aFirst ? 1 : 0;
    if (t + 1 < size) x[t + 1] = aFirst ? 0 : 1;
  }
  for (let t = 0; t < size; t++) {
    if (t > 0) u = rho * u + rng.normal();
    y[t] = 5 + delta * x[t]! + u;
  }
  // Leave the first and last day measured in some tests, not in others: missing is random.
  for (let t = 0; t < size; t++) if (rng.uniform() < missingShare) y[t] = Number.NaN;
  return { y, x };
}

function pooled(chains: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(chains.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chain of chains) {
    out.set(chain, at);
    at += chain.length;
  }
  return out;
}

function moments(values: Float64Array): { mean: number; sd: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

/** Effective sample size from the initial positive sequence of autocorrelations (Geyer 1992). */
function effectiveSize(values: Float64Array): number {
  const { mean, sd } = moments(values);
  const n = values.length;
  let sum = 0;
  for (let lag = 1; lag < 200; lag++) {
    let c = 0;
    for (let i = lag; i < n; i++) c += (values[i]! - mean) * (values[i - lag]! - mean);
    const r = c / ((n - 1) * sd * sd);
    if (r < 0.05) break;
    sum += r;
  }
  return n / (1 + 2 * sum);
}

/**
 * Agreement of the sampled δ with a Student-t posterior: mean within 4.5 Monte-Carlo standard
 * errors, sd within 5 %, and the CDF within 0.02 at five quantiles.
 */
function expectStudentT(draws: Ar1Draws, location: number, scale: number, df: number): void {
  const delta = pooled(draws.delta);
  const { mean, sd } = moments(delta);
  const expectedSd = scale * Math.sqrt(df / (df - 2));
  const mcse = expectedSd / Math.sqrt(draws.delta.reduce((n, c) => n + effectiveSize(c), 0));
  expect(Math.abs(mean - location), `mean ${mean} vs ${location} (mcse ${mcse})`).toBeLessThan(4.5 * mcse);
  expect(sd / expectedSd).toBeGreaterThan(0.95);
  expect(sd / expectedSd).toBeLessThan(1.05);
  for (const z of [-1.5, -0.7, 0, 0.7, 1.5]) {
    const q = location + z * scale;
    const share = delta.filter((d) => d <= q).length / delta.length;
    expect(Math.abs(share - tCdf(z, df)), `P(δ ≤ ${q})`).toBeLessThan(0.02);
  }
}

/** GLS with a known AR(1) ρ over the observed days only, via the explicit covariance matrix. */
function knownRhoPosterior(
  y: Float64Array,
  x: Float64Array,
  rho: number,
): { location: number; scale: number; df: number } {
  const idx = [...y.keys()].filter((t) => !Number.isNaN(y[t]!));
  const n = idx.length;
  // Σ_ij = ρ^|t_i − t_j| / (1 − ρ²); invert by Gauss–Jordan.
  const a = idx.map((ti) => idx.map((tj) => rho ** Math.abs(ti - tj) / (1 - rho * rho)));
  const inv = idx.map((_, i) => idx.map((__, j) => (i === j ? 1 : 0)));
  for (let c = 0; c < n; c++) {
    const pivot = a[c]![c]!;
    for (let j = 0; j < n; j++) {
      a[c]![j]! /= pivot;
      inv[c]![j]! /= pivot;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        a[r]![j]! -= f * a[c]![j]!;
        inv[r]![j]! -= f * inv[c]![j]!;
      }
    }
  }
  const X = idx.map((t) => [1, x[t]!]);
  const Y = idx.map((t) => y[t]!);
  const xtw = [0, 1].map((k) => idx.map((_, j) => idx.reduce((s, __, i) => s + X[i]![k]! * inv[i]![j]!, 0)));
  const xtwx = [0, 1].map((k) => [0, 1].map((l) => idx.reduce((s, _, j) => s + xtw[k]![j]! * X[j]![l]!, 0)));
  const xtwy = [0, 1].map((k) => idx.reduce((s, _, j) => s + xtw[k]![j]! * Y[j]!, 0));
  const det = xtwx[0]![0]! * xtwx[1]![1]! - xtwx[0]![1]! ** 2;
  const v = [
    [xtwx[1]![1]! / det, -xtwx[0]![1]! / det],
    [-xtwx[0]![1]! / det, xtwx[0]![0]! / det],
  ];
  const beta = [v[0]![0]! * xtwy[0]! + v[0]![1]! * xtwy[1]!, v[1]![0]! * xtwy[0]! + v[1]![1]! * xtwy[1]!];
  const resid = Y.map((yy, i) => yy - beta[0]! - beta[1]! * X[i]![1]!);
  let rss = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rss += resid[i]! * inv[i]![j]! * resid[j]!;
  const df = n - 2;
  return { location: beta[1]!, scale: Math.sqrt((rss / df) * v[1]![1]!), df };
}

describe("fitAr1Gibbs", () => {
  it("with ρ fixed at 0 reproduces the closed-form Student-t posterior (n − 2 df)", () => {
    const { y, x } = simulate(createSeededRng(21), 60, -0.8, 0);
    const draws = fitAr1Gibbs({ y, x }, { rng: createSeededRng(22), fixedRho: 0 });
    const closed = fitIndependent(y, Uint8Array.from(x));
    expect(closed.df).toBe(58);
    expectStudentT(draws, closed.location, closed.scale, closed.df);
  });

  it("with ρ fixed at 0 and missing days, matches the closed form over the measured days only", () => {
    const { y, x } = simulate(createSeededRng(31), 70, 0.5, 0, 0.2);
    const closed = fitIndependent(y, Uint8Array.from(x));
    expect(closed.df).toBeLessThan(68);
    const draws = fitAr1Gibbs({ y, x }, { rng: createSeededRng(32), fixedRho: 0 });
    expectStudentT(draws, closed.location, closed.scale, closed.df);
  });

  it("with ρ fixed at 0.6 and gaps (also at both ends), matches GLS over the measured days", () => {
    const { y, x } = simulate(createSeededRng(41), 50, -1, 0.6, 0.25);
    y[0] = Number.NaN;
    y[1] = Number.NaN;
    y[49] = Number.NaN;
    const gls = knownRhoPosterior(y, x, 0.6);
    const draws = fitAr1Gibbs({ y, x }, { rng: createSeededRng(42), fixedRho: 0.6, kept: 8_000 });
    expectStudentT(draws, gls.location, gls.scale, gls.df);
  });

  it("recovers ρ and δ from a long AR(1) series with missing days, with converged chains", () => {
    const { y, x } = simulate(createSeededRng(51), 400, -1, 0.5, 0.1);
    const draws = fitAr1Gibbs({ y, x }, { rng: createSeededRng(52) });
    const rho = moments(pooled(draws.rho));
    const delta = moments(pooled(draws.delta));
    expect(Math.abs(rho.mean - 0.5)).toBeLessThan(0.12);
    expect(Math.abs(delta.mean + 1)).toBeLessThan(3 * delta.sd);
    expect(splitRhat(draws.delta)).toBeLessThan(1.01);
    expect(draws.rhoAcceptance).toBeGreaterThan(0.9);
  });

  it("agrees with the closed form when the true ρ is 0 (within Monte-Carlo and ρ-estimation error)", () => {
    const { y, x } = simulate(createSeededRng(61), 300, 0.7, 0);
    const closed = fitIndependent(y, Uint8Array.from(x));
    const delta = moments(pooled(fitAr1Gibbs({ y, x }, { rng: createSeededRng(62) }).delta));
    expect(Math.abs(delta.mean - closed.location)).toBeLessThan(0.25 * closed.sd);
    expect(delta.sd / closed.sd).toBeGreaterThan(0.9);
    expect(delta.sd / closed.sd).toBeLessThan(1.15);
  });

  it("is reproducible from the seed and keeps chains × kept draws", () => {
    const { y, x } = simulate(createSeededRng(71), 40, 0, 0.3, 0.1);
    const a = fitAr1Gibbs({ y, x }, { rng: createSeededRng(9), chains: 3, kept: 200, burnIn: 50 });
    const b = fitAr1Gibbs({ y, x }, { rng: createSeededRng(9), chains: 3, kept: 200, burnIn: 50 });
    expect(a.delta).toHaveLength(3);
    expect(a.delta[2]).toHaveLength(200);
    expect(a.delta).toEqual(b.delta);
    expect(a.rho).toEqual(b.rho);
  });
});

describe("splitRhat", () => {
  it("is near 1 for chains from one distribution and large when they disagree", () => {
    const rng = createSeededRng(5);
    const same = [0, 1].map(() => Float64Array.from({ length: 2000 }, () => rng.normal()));
    expect(splitRhat(same)).toBeLessThan(1.01);
    const apart = [0, 3].map((shift) => Float64Array.from({ length: 2000 }, () => shift + rng.normal()));
    expect(splitRhat(apart)).toBeGreaterThan(1.5);
    const drifting = [Float64Array.from({ length: 2000 }, (_, i) => i / 500 + rng.normal())];
    expect(splitRhat(drifting)).toBeGreaterThan(1.1);
  });
});
