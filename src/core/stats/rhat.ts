/**
 * Convergence diagnostic for Markov chains.
 * @module
 */

/**
 * Split R-hat: each chain is cut in two halves and the potential scale reduction factor is
 * computed over the halves, which also catches a chain that drifts. Values near 1 mean the
 * chains agree; above 1.01 is a warning sign.
 * @see Gelman & Rubin (1992), Statistical Science 7:457–472; Gelman et al. (2013), Bayesian Data Analysis, 3rd ed., §11.4.
 */
export function splitRhat(chains: readonly Float64Array[]): number {
  const half = Math.floor(Math.min(...chains.map((chain) => chain.length)) / 2);
  if (half < 2) return Number.NaN;
  const means: number[] = [];
  const variances: number[] = [];
  for (const chain of chains) {
    for (const start of [0, chain.length - half]) {
      let mean = 0;
      for (let i = 0; i < half; i++) mean += chain[start + i]!;
      mean /= half;
      let ss = 0;
      for (let i = 0; i < half; i++) ss += (chain[start + i]! - mean) ** 2;
      means.push(mean);
      variances.push(ss / (half - 1));
    }
  }
  const m = means.length;
  const grand = means.reduce((a, b) => a + b, 0) / m;
  const between = (half / (m - 1)) * means.reduce((acc, mean) => acc + (mean - grand) ** 2, 0);
  const within = variances.reduce((a, b) => a + b, 0) / m;
  if (within === 0) return between === 0 ? 1 : Number.POSITIVE_INFINITY;
  const pooled = ((half - 1) / half) * within + between / half;
  return Math.sqrt(pooled / within);
}
