/**
 * `matwise analyze FILE.csv`: one person's randomized experiment (see src/core/stats/analyze.ts).
 * @module
 */
import { analyzeExperiment, type AnalysisResult, type Direction, type PeriodDesign } from "../core/stats/analyze";
import { parseAnalyzeCsv } from "../core/stats/experiment";
import { VERDICT_TEXT } from "../core/stats/labels";
import { createSeededRng, MAX_SEED } from "../core/stats/rng";
import { ValidationError } from "../core/errors";
import {
  type CliIo,
  formatNumber,
  formatP,
  InputError,
  parseCommandLine,
  readTextFile,
  reportFailure,
  UnreadableFileError,
  UsageError,
} from "./csv";

export const analyzeUsage = `Usage: matwise analyze FILE.csv... [--better lower|higher] [--mcid X] [--seed N] [--draws N] [--no-autocorrelation] [--json]

Analyzes one person's randomized experiment: A (the mat) against B (the comparator).
With several files each is analysed in turn with the same options; with --json each
gives one line, {"file": FILE, ...} or {"file": FILE, "error": MESSAGE}, in the order
given, and the exit code is 2 when any file could not be analysed.
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
  const length =
    days.min === days.max ? `${days.min} day${days.min === 1 ? "" : "s"}` : `${days.min} to ${days.max} days`;
  return `${blocks} block${blocks === 1 ? "" : "s"} of two periods of ${length} (${periods} periods), randomized by period`;
}

/** Readable text with the same content as the JSON. */
export function formatAnalysis(result: AnalysisResult, better: Direction, mcid: number): string {
  const { n, randomization: r, bayes } = result;
  const method =
    r.method === "exact"
      ? `exact, ${r.arrangements!.toLocaleString("en-US")} arrangements`
      : `Monte Carlo, ${r.draws!.toLocaleString("en-US")} draws`;
  const model = bayes.model === "ar1" ? "AR(1) errors" : "independent days";
  const lines = [
    `Days measured: A (mat) ${n.A}, B (comparator) ${n.B}; blocks ${n.blocks}, complete ${n.complete_blocks}`,
    ...(result.design ? [`Design: ${describeDesign(result.design)}`] : []),
    `Means: A ${formatNumber(result.mean.A)}, B ${formatNumber(result.mean.B)}`,
    `Effect A − B: ${formatNumber(result.effect)} (benefit ${formatNumber(result.benefit)}; ${better} is better)`,
    `Randomization test: ${formatP(r.p)} (${method})`,
    `95% interval (test inversion): ${formatNumber(result.ci95[0])} to ${formatNumber(result.ci95[1])}`,
    `Bayesian model (${model}): effect ${formatNumber(bayes.effect_mean)} ± ${formatNumber(bayes.effect_sd)}` +
      (bayes.rho_mean === null
        ? ""
        : `, ρ ${formatNumber(bayes.rho_mean)}, R-hat ${(bayes.rhat ?? Number.NaN).toFixed(3)}`),
    `  P(benefit > 0) = ${formatNumber(bayes.p_benefit)}; P(benefit ≥ ${mcid}) = ${formatNumber(bayes.p_meaningful)}`,
    `Verdict: ${result.verdict}: ${VERDICT_TEXT[result.verdict]}`,
    `Anytime-valid answer: ${result.anytime.verdict}; e-values ${formatNumber(result.anytime.e_benefit)} (benefit), ${formatNumber(result.anytime.e_harm)} (harm); ` +
      `95% confidence sequence for the benefit ${formatNumber(result.anytime.cs95[0] ?? -Infinity)} to ${formatNumber(result.anytime.cs95[1] ?? Infinity)}`,
  ];
  if (result.warnings.length > 0) lines.push("Warnings:", ...result.warnings.map((w) => `  - ${w}`));
  return `${lines.join("\n")}\n`;
}

interface AnalyzeFlags {
  better: Direction;
  mcid: number;
  seed: number;
  draws: number;
  autocorrelation: boolean;
  json: boolean;
}

function readFlags(flags: Record<string, string | boolean | undefined>): AnalyzeFlags {
  const better = (flags["better"] as string | undefined) ?? "lower";
  if (better !== "lower" && better !== "higher")
    throw new UsageError(`--better must be lower or higher, got "${better}"`);
  return {
    better,
    mcid:
      flags["mcid"] === undefined
        ? 1
        : requireNumber(flags["mcid"] as string, "--mcid", (x) => Number.isFinite(x) && x >= 0, "a number ≥ 0"),
    seed:
      flags["seed"] === undefined
        ? 1
        : requireNumber(
            flags["seed"] as string,
            "--seed",
            (x) => Number.isInteger(x) && x >= 1 && x <= MAX_SEED,
            `an integer from 1 to ${MAX_SEED}`,
          ),
    draws:
      flags["draws"] === undefined
        ? 20_000
        : requireNumber(
            flags["draws"] as string,
            "--draws",
            (x) => Number.isInteger(x) && x >= 1 && x <= 10_000_000,
            "an integer from 1 to 10000000",
          ),
    autocorrelation: flags["no-autocorrelation"] !== true,
    json: flags["json"] === true,
  };
}

/** One file's analysis; every file starts from the same seed, so a file's result does not depend on the others. */
async function analyzeFile(io: CliIo, file: string, f: AnalyzeFlags): Promise<AnalysisResult> {
  const { days } = parseAnalyzeCsv(await readTextFile(io, file));
  return analyzeExperiment(days, {
    better: f.better,
    mcid: f.mcid,
    draws: f.draws,
    autocorrelation: f.autocorrelation,
    rng: createSeededRng(f.seed),
  });
}

/**
 * Several files in one process, one after another, each written out as soon as it is done (so
 * memory stays flat however many there are). A file that cannot be analysed gives its error on
 * its line and exit code 2 at the end; the others are still analysed.
 */
async function analyzeMany(io: CliIo, files: readonly string[], f: AnalyzeFlags): Promise<number> {
  let failed = false;
  for (const file of files) {
    try {
      const result = await analyzeFile(io, file, f);
      io.stdout(
        f.json ? `${JSON.stringify({ file, ...result })}\n` : `== ${file}\n${formatAnalysis(result, f.better, f.mcid)}`,
      );
    } catch (error) {
      if (!(error instanceof InputError || error instanceof ValidationError)) throw error;
      failed = true;
      const message = error.message.split("\n")[0]!;
      if (f.json) io.stdout(`${JSON.stringify({ file, error: message })}\n`);
      else io.stderr(`${error instanceof UnreadableFileError ? "" : `${file}: `}${message}\n`);
    }
  }
  return failed ? 2 : 0;
}

/** Runs `matwise analyze`; returns the exit code (0 ok, 2 bad input or usage). */
export async function analyzeCommand(argv: string[], io: CliIo): Promise<number> {
  let file: string | undefined;
  try {
    const parsed = parseCommandLine(
      argv,
      {
        better: { type: "string" },
        mcid: { type: "string" },
        seed: { type: "string" },
        draws: { type: "string" },
        "no-autocorrelation": { type: "boolean" },
        json: { type: "boolean" },
      },
      true,
    );
    if (parsed.help) {
      io.stdout(`${analyzeUsage}\n`);
      return 0;
    }
    const flags = readFlags(parsed.values);
    if (parsed.files.length > 1) return await analyzeMany(io, parsed.files, flags);
    file = parsed.file!;
    const result = await analyzeFile(io, file, flags);
    io.stdout(flags.json ? `${JSON.stringify(result)}\n` : formatAnalysis(result, flags.better, flags.mcid));
    return 0;
  } catch (error) {
    return reportFailure(error, io, file, analyzeUsage);
  }
}
