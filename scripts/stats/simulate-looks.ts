/**
 * Looks after every pair (issue 23, item 5): the anytime answer against the fixed verdict when a
 * person looks every day and may stop at any time.
 *
 *   npx tsx scripts/stats/simulate-looks.ts --replicates 2000 --fixed-replicates 150 --seed 1 --period-days 1 [--json]
 *
 * Each replicate simulates two experiments of 42 pairs (AR(1) ρ = 0.5, 5 % of days missing): one
 * with no effect, one where the mat lowers the outcome by 2/3 of a day's standard deviation (1
 * point at sd 1.5). The anytime answer is read after every pair; the fixed analysis
 * (`analyzeExperiment`, as on the page) after every pair from the sixth, for the first
 * --fixed-replicates replicates (it is the slow part). The `anytime` benchmark (bench/anytime.ts)
 * runs it for 1-, 2- and 3-day periods and writes the figures into BENCHMARKS.md.
 */
import { parseArgs } from "node:util";
import { createSeededRng } from "../../src/core/stats/rng";
import { runLookSimulation } from "../../src/core/stats/simulation";

const { values } = parseArgs({
  options: {
    replicates: { type: "string", default: "400" },
    "fixed-replicates": { type: "string", default: "100" },
    seed: { type: "string", default: "1" },
    "period-days": { type: "string", default: "1" },
    json: { type: "boolean", default: false },
  },
  strict: true,
});
const replicates = Number(values.replicates);
const fixedReplicates = Number(values["fixed-replicates"]);
const periodDays = Number(values["period-days"]);
const seed = Number(values.seed);
if (
  ![replicates, fixedReplicates, periodDays, seed].every((n) => Number.isInteger(n) && n >= 0) ||
  periodDays < 1 ||
  replicates < 1
) {
  process.stderr.write(
    "usage: simulate-looks.ts --replicates N --fixed-replicates M --seed S --period-days L [--json]\n",
  );
  process.exit(2);
}
const started = performance.now();
const result = runLookSimulation({ replicates, fixedReplicates, periodDays, rng: createSeededRng(seed) });
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  values.json
    ? `${JSON.stringify({ ...result, seed, seconds })}\n`
    : `${JSON.stringify({ ...result, seed, seconds }, null, 2)}\n`,
);
