/**
 * Benchmark of the statistics engine against the budgets of issue 7:
 *   analyze on 365 days (183 blocks, 20,000 draws, Bayesian AR(1) fit included) under 1 s;
 *   pool on 10,000 people under 200 ms.
 * Each case runs twice to warm up, then RUNS times; the table reports the median and the range.
 *
 *   npx tsx bench/stats.ts
 */
import { analyzeCommand } from "../src/cli/analyze";
import type { CliIo } from "../src/cli/csv";
import { poolCommand } from "../src/cli/pool";
import { analyzeExperiment } from "../src/core/stats/analyze";
import { type Day } from "../src/core/stats/experiment";
import { poolEffects, type PersonEffect } from "../src/core/stats/meta-analysis";
import { createSeededRng } from "../src/core/stats/rng";
import { simulateExperiment } from "../src/core/stats/simulation";

const RUNS = 9;

async function time(run: () => unknown): Promise<{ median: number; min: number; max: number }> {
  for (let i = 0; i < 2; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(RUNS / 2)]!, min: times[0]!, max: times[RUNS - 1]! };
}

// A year: 183 pairs (the last block keeps one day) = 365 days, AR(1) ρ = 0.5, 5 % missing.
const year: Day[] = simulateExperiment(createSeededRng(2024), 183, 0.5, -0.5, 0.05).slice(0, 365);
// A year in pairs of 3-day periods: 61 blocks = 366 days; whole periods are permuted.
const yearInPeriods: Day[] = simulateExperiment(createSeededRng(2025), 61, 0.5, -0.5, 0.05, 3);
const yearCsv = [
  "date,block,condition,value",
  ...year.map((d) => `${d.date},${d.block},${d.condition},${d.value ?? ""}`),
].join("\n");

const peopleRng = createSeededRng(7);
const people: PersonEffect[] = Array.from({ length: 10_000 }, (_, i) => {
  const se = 0.2 + peopleRng.uniform();
  return { id: `p${i}`, effect: -0.5 + 0.4 * peopleRng.normal() + se * peopleRng.normal(), se };
});
const peopleCsv = ["id,effect,se", ...people.map((p) => `${p.id},${p.effect},${p.se}`)].join("\n");

const io = (text: string): CliIo => ({
  stdout: () => {},
  stderr: (s) => process.stderr.write(s),
  readFile: () => Promise.resolve(text),
});

const rows: [string, { median: number; min: number; max: number }, number][] = [
  [
    "analyze, core (365 days, 20,000 draws, AR(1) 2 × 5,000 kept)",
    await time(() => analyzeExperiment(year, { rng: createSeededRng(1) })),
    1000,
  ],
  [
    "analyze, command (CSV parse + analysis + JSON)",
    await time(() => analyzeCommand(["year.csv", "--json"], io(yearCsv))),
    1000,
  ],
  [
    "analyze, core, --no-autocorrelation",
    await time(() => analyzeExperiment(year, { rng: createSeededRng(1), autocorrelation: false })),
    1000,
  ],
  [
    "analyze, core, 3-day periods (366 days, 61 blocks)",
    await time(() => analyzeExperiment(yearInPeriods, { rng: createSeededRng(1) })),
    1000,
  ],
  ["pool REML, core (10,000 people)", await time(() => poolEffects(people, "REML")), 200],
  ["pool DL, core (10,000 people)", await time(() => poolEffects(people, "DL")), 200],
  [
    "pool REML, command (CSV parse + pooling + JSON)",
    await time(() => poolCommand(["people.csv", "--json"], io(peopleCsv))),
    200,
  ],
];

const ms = (x: number) => x.toFixed(1);
process.stdout.write(
  [
    `Statistics benchmark (Node ${process.version}, median of ${RUNS} runs after 2 warm-ups)`,
    "",
    "| case | median ms | min–max ms | budget ms | within |",
    "|---|---:|---:|---:|---|",
    ...rows.map(
      ([name, t, budget]) =>
        `| ${name} | ${ms(t.median)} | ${ms(t.min)}–${ms(t.max)} | ${budget} | ${t.median < budget ? "yes" : "NO"} |`,
    ),
    "",
  ].join("\n"),
);
