/**
 * A study's pooled results: each analysed participant's effect and standard error, written as
 * exactly the CSV `matwise pool` reads, and the pooled analysis made by reading that same text
 * with the command's reader, so the page, pooled.json and the command agree number for number.
 * @module
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { parseCsvWithOptional } from "../csv";
import type { AnalysisResult } from "../stats/analyze";
import { parsePersonRows, poolEffects, type PoolMethod, type PoolResult } from "../stats/meta-analysis";

export interface StudyEffect {
  id: string;
  effect: number;
  se: number;
}

/**
 * A participant's effect for pooling: the posterior mean and SD of the mat's effect from their
 * own analysis (the numbers of their results page), turned so that a positive effect favours the mat.
 */
export function effectOf(
  bayes: Pick<AnalysisResult["bayes"], "effect_mean" | "effect_sd">,
  better: "lower" | "higher",
): { effect: number; se: number } | null {
  const { effect_mean: mean, effect_sd: sd } = bayes;
  if (!Number.isFinite(mean) || !(sd > 0)) return null;
  return { effect: better === "lower" ? -mean : mean, se: sd };
}

/** `id,effect,se` with CRLF line ends; numbers as JavaScript prints them (they read back to the same double). */
export function effectsCsv(effects: readonly StudyEffect[]): string {
  return `id,effect,se\r\n${effects.map((e) => `${e.id},${String(e.effect)},${String(e.se)}\r\n`).join("")}`;
}

/** `matwise pool effects.csv --method M --json`: the command's reader and pooling on the same text. Null with fewer than 2 people. */
export function poolEffectsCsv(csv: string, method: PoolMethod = "REML"): PoolResult | null {
  const rows = parseCsvWithOptional(csv, ["id", "effect", "se"] as const);
  if (rows.length < 2) return null;
  return poolEffects(parsePersonRows(rows.map(({ row, fields }) => ({ row, ...fields }))), method);
}

/**
 * The expected share of new people whose true benefit reaches `mcid`: P(θ ≥ mcid) for θ drawn
 * from the predictive distribution N(μ̂, τ² + SE(μ̂)²), the same distribution as the prediction interval.
 */
export function shareReaching(pool: Pick<PoolResult, "estimate" | "se" | "tau2">, mcid: number): number {
  const sd = Math.sqrt(pool.tau2 + pool.se * pool.se);
  return 1 - normalCdf(mcid, pool.estimate, sd);
}
