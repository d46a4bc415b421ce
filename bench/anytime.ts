/**
 * Benchmark: the anytime-valid answer under daily looks (issue 23, item 5; decision 093), beside
 * the fixed verdict, for periods of 1, 2 and 3 days. Runs scripts/stats/simulate-looks.ts once
 * per period length in a fresh Node process, one after another, and holds the anytime answer to
 * its targets: P(ever "benefit" | no effect) ≤ 5 %, power ≥ 60 % by 21 pairs and ≥ 90 % by 42
 * for an effect of 2/3 of a day's standard deviation (1 point at sd 1.5, ρ = 0.5), and
 * time-uniform coverage of cs95 ≥ 95 %.
 */
import { spawnSync } from "node:child_process";
import { LOOK_TARGETS, type LookSimulationResult } from "../src/core/stats/simulation";
import { ROOT } from "./lib/server";
import type { Benchmark, BenchResult, Verdict } from "./lib/types";

/** The anytime answer is cheap: 2,000 replicates (standard error about 0.5 % near 5 %). The fixed analysis at 37 looks is not: 150. */
const REPLICATES = 2_000;
const FIXED_REPLICATES = 150;
const SEED = 1;
const PERIOD_DAYS = [1, 2, 3] as const;

type Run = LookSimulationResult & { seconds: number };

function simulate(periodDays: number): Run {
  const args = [
    "--import",
    "tsx",
    "scripts/stats/simulate-looks.ts",
    "--json",
    "--replicates",
    String(REPLICATES),
    "--fixed-replicates",
    String(FIXED_REPLICATES),
    "--seed",
    String(SEED),
    "--period-days",
    String(periodDays),
  ];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 1_800_000 });
  if (r.status !== 0)
    throw new Error(
      `scripts/stats/simulate-looks.ts ${args.slice(3).join(" ")} exited with ${r.status ?? r.signal}:\n${r.stderr}`,
    );
  return JSON.parse(r.stdout) as Run;
}

const pct = (x: number) => (Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)} %`);

export const anytimeBenchmark: Benchmark = {
  name: "anytime",
  title: "Looking every day: the anytime answer and the fixed verdict",
  needsBuild: false,
  run(): Promise<BenchResult> {
    const runs = PERIOD_DAYS.map(simulate);
    const head = runs.map((r) => `${r.periodDays}-day periods`);
    const rows: { label: string; anytime: (r: Run) => number; fixed: (r: Run) => number; target: string }[] = [
      {
        label: 'no effect: "benefit" at some look (after every pair, up to 42)',
        anytime: (r) => r.anytime.everBenefitNull,
        fixed: (r) => r.fixed.everBenefitNull,
        target: `≤ ${pct(LOOK_TARGETS.everBenefitNull)}`,
      },
      {
        label: 'no effect: "benefit" at the planned end only (21 pairs)',
        anytime: () => Number.NaN,
        fixed: (r) => r.fixed.plannedBenefitNull,
        target: "none (one look)",
      },
      {
        label: 'no effect: "harm" at some look',
        anytime: (r) => r.anytime.everHarmNull,
        fixed: () => Number.NaN,
        target: "≤ 1 % (its share of α)",
      },
      {
        label: "effect 1 point at sd 1.5: benefit found by 21 pairs",
        anytime: (r) => r.anytime.powerByPlanned,
        fixed: (r) => r.fixed.powerAtPlanned,
        target: `≥ ${pct(LOOK_TARGETS.powerByPlanned)}`,
      },
      {
        label: "effect 1 point at sd 1.5: benefit found by 42 pairs",
        anytime: (r) => r.anytime.powerByAll,
        fixed: (r) => r.fixed.powerAtAll,
        target: `≥ ${pct(LOOK_TARGETS.powerByAll)}`,
      },
      {
        label: "the interval holds the effect at every look",
        anytime: (r) => r.anytime.coverage,
        fixed: (r) => r.fixed.coverage,
        target: `≥ ${pct(LOOK_TARGETS.coverage)}`,
      },
    ];
    const markdown = [
      `\`scripts/stats/simulate-looks.ts --json --replicates ${REPLICATES} --fixed-replicates ${FIXED_REPLICATES} --seed ${SEED} --period-days L\`, one fresh Node process per period length. Each replicate simulates two experiments of 42 pairs of periods (AB or BA by a fair coin per pair; AR(1) errors, ρ = 0.5; 5 % of days missing at random): one with no effect, one where the mat lowers the outcome by 2/3 of a day's standard deviation (1 point at sd 1.5). The anytime answer (\`anytime\` of \`matwise analyze\`) is read after every pair; the fixed verdict (\`verdict\`: "meaningful-benefit" or "likely-benefit") after every pair from the sixth, by \`analyzeExperiment\` with a smaller sampler (2 × 600 after 200, 2,000 randomization draws) for the first ${FIXED_REPLICATES} replicates. "Found by 42 pairs" for the fixed verdict is one look at 42, not the first of many. Monte-Carlo standard error near 5 %: ${pct(runs[0]!.shareSe)} (anytime), ${pct(runs[0]!.fixedShareSe)} (fixed).`,
      "",
      `| measure | ${head.map((h) => `anytime, ${h}`).join(" | ")} | ${head.map((h) => `fixed, ${h}`).join(" | ")} | target (anytime) |`,
      `|---|${runs.map(() => "---:").join("|")}|${runs.map(() => "---:").join("|")}|---|`,
      ...rows.map(
        (m) =>
          `| ${m.label} | ${runs.map((r) => pct(m.anytime(r))).join(" | ")} | ${runs.map((r) => pct(m.fixed(r))).join(" | ")} | ${m.target} |`,
      ),
      `| seconds | ${runs.map((r) => r.seconds.toFixed(0)).join(" | ")} | | | | |`,
    ].join("\n");
    const each = (share: (r: Run) => number) => runs.map((r) => `${r.periodDays}-day ${pct(share(r))}`).join("; ");
    const verdicts: Verdict[] = [
      {
        budget: 'Anytime answer: P(ever "benefit" | no effect) ≤ 5 % with a look after every pair (issue 23)',
        measured: each((r) => r.anytime.everBenefitNull),
        met: runs.every((r) => r.anytime.everBenefitNull <= LOOK_TARGETS.everBenefitNull),
      },
      {
        budget: "Anytime answer: power ≥ 60 % by 21 pairs, effect 1 at sd 1.5, ρ 0.5 (issue 23)",
        measured: each((r) => r.anytime.powerByPlanned),
        met: runs.every((r) => r.anytime.powerByPlanned >= LOOK_TARGETS.powerByPlanned),
      },
      {
        budget: "Anytime answer: power ≥ 90 % by 42 pairs (issue 23)",
        measured: each((r) => r.anytime.powerByAll),
        met: runs.every((r) => r.anytime.powerByAll >= LOOK_TARGETS.powerByAll),
      },
      {
        budget: "Anytime answer: cs95 holds the effect at every look in ≥ 95 % (issue 23)",
        measured: each((r) => r.anytime.coverage),
        met: runs.every((r) => r.anytime.coverage >= LOOK_TARGETS.coverage),
      },
    ];
    return Promise.resolve({ markdown, verdicts });
  },
};
