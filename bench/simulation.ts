/**
 * Benchmark 6, simulation: the operating characteristics of `matwise analyze` (decision 010;
 * issue 12, item 6) for periods of 1, 2 and 3 days. Runs scripts/stats/simulate.ts once per
 * period length, each in a fresh Node process, one after another (the machine has 2 cores and
 * may be shared), and holds the shares to the bands of issue 7.
 */
import { spawnSync } from "node:child_process";
import { SIMULATION_BANDS, type SimulationResult } from "../src/core/stats/simulation";
import { ROOT } from "./lib/server";
import type { Benchmark, BenchResult, Verdict } from "./lib/types";

/** 2,000 replicates per period length: a Monte-Carlo standard error of about 0.5 % on each share; 40–70 s each on this machine, 2–4 minutes in all. */
const REPLICATES = 2_000;
const SEED = 1;
/** Every experiment lasts 60 days: 30 pairs of 1-day periods (the run of decision 010), 15 of 2 days, 10 of 3 days. */
const DAYS = 60;
const PERIOD_DAYS = [1, 2, 3] as const;

type Run = SimulationResult & { pairs: number; periodDays: number; seconds: number; withinBands: boolean };

function simulate(periodDays: number): Run {
  const pairs = DAYS / (2 * periodDays);
  const args = [
    "--import",
    "tsx",
    "scripts/stats/simulate.ts",
    "--json",
    "--replicates",
    String(REPLICATES),
    "--seed",
    String(SEED),
    "--pairs",
    String(pairs),
    "--period-days",
    String(periodDays),
  ];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 900_000 });
  if (r.status !== 0)
    throw new Error(
      `scripts/stats/simulate.ts ${args.slice(3).join(" ")} exited with ${r.status ?? r.signal}:\n${r.stderr}`,
    );
  return JSON.parse(r.stdout) as Run;
}

const pct = (x: number) => (Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)} %`);
const band = ([lo, hi]: readonly [number, number]) => `${Math.round(100 * lo)}–${Math.round(100 * hi)} %`;
const inside = (x: number, [lo, hi]: readonly [number, number]) => x >= lo && x <= hi;

export const simulationBenchmark: Benchmark = {
  name: "simulation",
  title: "Simulation of the analysis",
  needsBuild: false,
  run(): Promise<BenchResult> {
    const runs = PERIOD_DAYS.map(simulate);
    const measures: { label: string; share: (r: Run) => number; target: readonly [number, number] | null }[] = [
      {
        label: "randomization test, p < 0.05 under no effect (type I)",
        share: (r) => r.typeIRate,
        target: SIMULATION_BANDS.typeI,
      },
      {
        label: "95% interval (test inversion) covers the effect",
        share: (r) => r.ciCoverage,
        target: SIMULATION_BANDS.coverage,
      },
      {
        label: "Bayesian AR(1) 95% credible interval covers the effect",
        share: (r) => r.credibleCoverage,
        target: SIMULATION_BANDS.coverage,
      },
      {
        label: "independent model (`--no-autocorrelation`) 95% interval covers the effect",
        share: (r) => r.independentCoverage,
        target: null,
      },
      {
        label: "wrong test: single days permuted within blocks, p < 0.05 under no effect",
        share: (r) => r.dayLevelTypeIRate ?? Number.NaN,
        target: null,
      },
    ];
    const header = runs.map((r) => `${r.periodDays}-day periods (${r.pairs} pairs)`);
    const markdown = [
      `\`scripts/stats/simulate.ts --json --replicates ${REPLICATES} --seed ${SEED} --pairs P --period-days L\`, one fresh Node process per period length, run one after another. Each replicate simulates two experiments of ${DAYS} days in pairs of periods (AB or BA by a fair coin per pair), errors AR(1) with ρ = 0.5 and innovation variance 1, 5 % of days missing completely at random: one with no effect (type I) and one where the mat lowers the outcome by 1 (coverage). Each is analysed by the functions of \`matwise analyze\` (20,000 randomization draws, or every arrangement up to 100,000; AR(1) sampler 2 chains × 5,000 kept after 1,000 burn-in); periods longer than a day are randomized as whole periods. Monte-Carlo standard error of a share near 5 % or 95 %: ${pct(runs[0]!.shareSe)}. The last two rows have no target: the independent model shows what ignoring the autocorrelation costs, and the wrong test (the null experiments analysed again without their periods, so that single days are permuted within blocks; the same as the right test for 1-day periods) shows why the test must permute whole periods.`,
      "",
      `| measure | ${header.join(" | ")} | target |`,
      `|---|${runs.map(() => "---:").join("|")}|---|`,
      ...measures.map(
        (m) =>
          `| ${m.label} | ${runs.map((r) => pct(m.share(r))).join(" | ")} | ${m.target ? band(m.target) : "none"} |`,
      ),
      `| seconds | ${runs.map((r) => r.seconds.toFixed(0)).join(" | ")} | |`,
    ].join("\n");
    const verdicts: Verdict[] = measures
      .filter((m): m is typeof m & { target: readonly [number, number] } => m.target !== null)
      .map((m) => ({
        budget: `${m.label}: ${band(m.target)} under AR(1) ρ = 0.5, periods of ${PERIOD_DAYS.join(", ")} days (issue 7; issue 12, item 6)`,
        measured:
          runs.map((r) => `${r.periodDays}-day ${pct(m.share(r))}`).join("; ") +
          ` (${REPLICATES.toLocaleString("en-US")} replicates each)`,
        met: runs.every((r) => inside(m.share(r), m.target)),
      }));
    return Promise.resolve({ markdown, verdicts });
  },
};
