/**
 * `matwise analyze FILE.csv`: one person's randomized experiment (see src/core/stats/analyze.ts).
 * @module
 */
import { analyzeExperiment, type AnalysisResult, type Direction, type PeriodDesign } from "../core/stats/analyze";
import { parseAnalyzeCsv } from "../core/stats/experiment";
import { VERDICT_TEXT } from "../core/stats/labels";
import { createSeededRng, MAX_SEED } from "../core/stats/rng";
import { type CliIo, formatNumber, formatP, parseCommandLine, readTextFile, reportFailure, UsageError } from "./csv";

export const analyzeUsage = `Usage: matwise analyze FILE.csv [--better lower|higher] [--mcid X] [--seed N] [--draws N] [--no-autocorrelation] [--json]

Analyzes one person's randomized experiment: A (the mat) against B (the comparator).
FILE.csv has the header date,block,condition,value (YYYY-MM-DD, integer block, A or B,
a number or empty when the day was not measured), in any order, and an optional period
column (an integer) when periods last longer than a day: the days of one block and period
share one condition and are consecutive in date order within the block, each block has
exactly two periods, one A and one B, and the test permutes whole periods within blocks.
Without it every day is its own period.

  --better lower|higher   which direction of the outcome is better (default lower)
  --mcid X                smallest difference that matters, in outcome units (default 1)
  --seed N                seed of the random generator, 1 to ${MAX_SEED} (default 1)
  --draws N               Monte-Carlo draws of the randomization test (default 20000)
  --no-autocorrelation    independent days (closed form) instead of the AR(1) model
  --json                  print the result as JSON
  -h, --help              show this help`;

function requireNumber(text: string, flag: string, check: (n: number) => boolean, expected: string): number {
  const value = Number(text);
  if (text.trim() === "" || !check(value)) throw new UsageError(`${flag} must be ${expected}, got "${text}"`);
  return value;
}

/** "12 blocks of two periods of 3 days (24 periods), randomized by period". */
function describeDesign({ blocks, periods, period_days: days }: PeriodDesign): string {
  const length = days.min === days.max ? `${days.min} day${days.min === 1 ? "" : "s"}` : `${days.min} to ${days.max} days`;
  return `${blocks} block${blocks === 1 ? "" : "s"} of two periods of ${length} (${periods} periods), randomized by period`;
}

/** Readable text with the same content as the JSON. */
export function formatAnalysis(result: AnalysisResult, better: Direction, mcid: number): string {
  const { n, randomization: r, bayes } = result;
  const method =
    r.method === "exact" ? `exact, ${r.arrangements!.toLocaleString("en-US")} arrangements` : `Monte Carlo, ${r.draws!.toLocaleString("en-US")} draws`;
  const model = bayes.model === "ar1" ? "AR(1) errors" : "independent days";
  const lines = [
    `Days measured: A (mat) ${n.A}, B (comparator) ${n.B}; blocks ${n.blocks}, complete ${n.complete_blocks}`,
    ...(result.design ? [`Design: ${describeDesign(result.design)}`] : []),
    `Means: A ${formatNumber(result.mean.A)}, B ${formatNumber(result.mean.B)}`,
    `Effect A − B: ${formatNumber(result.effect)} (benefit ${formatNumber(result.benefit)}; ${better} is better)`,
    `Randomization test: ${formatP(r.p)} (${method})`,
    `95% interval (test inversion): ${formatNumber(result.ci95[0])} to ${formatNumber(result.ci95[1])}`,
    `Bayesian model (${model}): effect ${formatNumber(bayes.effect_mean)} ± ${formatNumber(bayes.effect_sd)}` +
      (bayes.rho_mean === null ? "" : `, ρ ${formatNumber(bayes.rho_mean)}, R-hat ${(bayes.rhat ?? Number.NaN).toFixed(3)}`),
    `  P(benefit > 0) = ${formatNumber(bayes.p_benefit)}; P(benefit ≥ ${mcid}) = ${formatNumber(bayes.p_meaningful)}`,
    `Verdict: ${result.verdict}: ${VERDICT_TEXT[result.verdict]}`,
  ];
  if (result.warnings.length > 0) lines.push("Warnings:", ...result.warnings.map((w) => `  - ${w}`));
  return `${lines.join("\n")}\n`;
}

/** Runs `matwise analyze`; returns the exit code (0 ok, 2 bad input or usage). */
export async function analyzeCommand(argv: string[], io: CliIo): Promise<number> {
  let file: string | undefined;
  try {
    const parsed = parseCommandLine(argv, {
      better: { type: "string" },
      mcid: { type: "string" },
      seed: { type: "string" },
      draws: { type: "string" },
      "no-autocorrelation": { type: "boolean" },
      json: { type: "boolean" },
    });
    if (parsed.help) {
      io.stdout(`${analyzeUsage}\n`);
      return 0;
    }
    file = parsed.file!;
    const flags = parsed.values;
    const better = (flags["better"] as string | undefined) ?? "lower";
    if (better !== "lower" && better !== "higher") throw new UsageError(`--better must be lower or higher, got "${better}"`);
    const mcid = flags["mcid"] === undefined ? 1 : requireNumber(flags["mcid"] as string, "--mcid", (x) => Number.isFinite(x) && x >= 0, "a number ≥ 0");
    const seed = flags["seed"] === undefined ? 1 : requireNumber(flags["seed"] as string, "--seed", (x) => Number.isInteger(x) && x >= 1 && x <= MAX_SEED, `an integer from 1 to ${MAX_SEED}`);
    const draws = flags["draws"] === undefined ? 20_000 : requireNumber(flags["draws"] as string, "--draws", (x) => Number.isInteger(x) && x >= 1 && x <= 10_000_000, "an integer from 1 to 10000000");

    const { days } = parseAnalyzeCsv(await readTextFile(io, file));
    const result = analyzeExperiment(days, {
      better,
      mcid,
      draws,
      autocorrelation: flags["no-autocorrelation"] !== true,
      rng: createSeededRng(seed),
    });
    io.stdout(flags["json"] === true ? `${JSON.stringify(result)}\n` : formatAnalysis(result, better, mcid));
    return 0;
  } catch (error) {
    return reportFailure(error, io, file, analyzeUsage);
  }
}
