/**
 * Seeded simulation of the n-of-1 analysis (issue 7, §4; issue 12, item 6): AR(1) errors with
 * ρ = 0.5, pairs of periods of one or more days.
 *
 *   npx tsx scripts/stats/simulate.ts --replicates 2000 --seed 1 [--check] [--pairs 30] [--period-days 1] [--json]
 *
 * Reports the type-I rate of the randomization test (target 3–7 %), the coverage of its 95%
 * interval and of the Bayesian 95% credible interval (targets 93–97 %), and for information the
 * coverage of the independent model's interval and, with periods, the type-I rate of a test that
 * wrongly permutes single days. With --check the exit code is 1 when a share
 * falls outside its band (use it with at least 500 replicates: with fewer the bands are within
 * Monte-Carlo noise). The `simulation` benchmark (bench/simulation.ts) runs it for 1-, 2- and
 * 3-day periods and writes the figures into BENCHMARKS.md.
 */
import { parseArgs } from "node:util";
import { createSeededRng } from "../../src/core/stats/rng";
import { isWithinBands, runSimulation, SIMULATION_BANDS } from "../../src/core/stats/simulation";

const { values } = parseArgs({
  options: {
    replicates: { type: "string", default: "200" },
    seed: { type: "string", default: "1" },
    pairs: { type: "string", default: "30" },
    "period-days": { type: "string", default: "1" },
    check: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
  strict: true,
});
const replicates = Number(values.replicates);
const seed = Number(values.seed);
const pairs = Number(values.pairs);
const periodDays = Number(values["period-days"]);
if (
  !Number.isInteger(replicates) ||
  replicates < 1 ||
  !Number.isInteger(pairs) ||
  pairs < 2 ||
  !Number.isInteger(periodDays) ||
  periodDays < 1
) {
  process.stderr.write("usage: simulate.ts --replicates N --seed S [--pairs P] [--period-days L] [--check] [--json]\n");
  process.exit(2);
}
if (values.check && replicates < 500)
  process.stderr.write(`warning: --check with ${replicates} replicates (< 500) is mostly noise\n`);

const started = performance.now();
const result = runSimulation({
  replicates,
  pairs,
  periodDays,
  rng: createSeededRng(seed),
  onReplicate: (done) => {
    if (done % 100 === 0 && !values.json) process.stderr.write(`  ${done}/${replicates} replicates\n`);
  },
});
const seconds = (performance.now() - started) / 1000;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const band = ([lo, hi]: readonly [number, number]) => `${Math.round(100 * lo)}–${Math.round(100 * hi)} %`;
const ok = isWithinBands(result);

if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ ...result, seed, pairs, periodDays, rho: 0.5, seconds, withinBands: ok })}\n`,
  );
} else {
  process.stdout.write(
    [
      `Simulation: ${replicates} replicates, seed ${seed}, ${pairs} pairs of ${periodDays}-day periods (${2 * pairs * periodDays} days), AR(1) ρ = 0.5, 5 % of days missing, true effect −1 (coverage runs)`,
      "",
      "| measure | share | target |",
      "|---|---|---|",
      `| randomization test, p < 0.05 under no effect (type I) | ${pct(result.typeIRate)} | ${band(SIMULATION_BANDS.typeI)} |`,
      `| 95% interval (test inversion) covers the effect | ${pct(result.ciCoverage)} | ${band(SIMULATION_BANDS.coverage)} |`,
      `| Bayesian AR(1) 95% credible interval covers the effect | ${pct(result.credibleCoverage)} | ${band(SIMULATION_BANDS.coverage)} |`,
      `| independent model (--no-autocorrelation) 95% interval covers the effect | ${pct(result.independentCoverage)} | (none: for information) |`,
      ...(result.dayLevelTypeIRate === null
        ? []
        : [
            `| wrong test permuting single days, p < 0.05 under no effect | ${pct(result.dayLevelTypeIRate)} | (none: for information) |`,
          ]),
      "",
      `Monte-Carlo standard error of a share near 5 % / 95 %: ${pct(result.shareSe)}. ${ok ? "All shares within their bands." : "Some share is OUTSIDE its band."} (${seconds.toFixed(1)} s)`,
      "",
    ].join("\n"),
  );
}
if (values.check && !ok) process.exit(1);
