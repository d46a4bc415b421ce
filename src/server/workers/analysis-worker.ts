/**
 * The worker pool's entry (`pool.ts`) and the CPU-heavy work of experiments it runs, as plain
 * functions of plain data: the analysis of `matwise analyze`, and the reading of an imported CSV
 * with its analysis. Each task export wraps one of them (structured clone both ways; a
 * ValidationError crosses as a refusal). Nothing here touches the database, so a worker loads
 * only the statistics and the reader; the request thread may call the `…Now` functions too
 * (`src/server/experiments/results.ts` keeps the names pages and tests know over them). Built to
 * `dist/workers/analysis-worker.mjs` by `scripts/build-cli.ts`; from the sources `pool.ts`
 * bundles it on first use.
 * @module
 */
import { createHash } from "node:crypto";
import { ValidationError } from "../../core/errors";
import { readImport as readImportFile, type ImportChoices, type ReadImport } from "../../core/experiments/import";
import { analyzeExperiment, type AnalysisResult } from "../../core/stats/analyze";
import { parseAnalyzeCsv, type Day } from "../../core/stats/experiment";
import { ConvergenceError, type PoolMethod } from "../../core/stats/meta-analysis";
import { poolEffectsCsv } from "../../core/studies/pooled";
import { createSeededRng } from "../../core/stats/rng";

/** Draws of the randomization test when the reference set is too large to enumerate: the command's default. */
export const ANALYSIS_DRAWS = 20_000;

export interface AnalysisOptions {
  better: "lower" | "higher";
  mcid: number;
  seed: number;
}

/** The command's analysis of days already read from its CSV. */
export function analyzeDaysNow(days: readonly Day[], opts: AnalysisOptions): AnalysisResult {
  return analyzeExperiment(days, {
    better: opts.better,
    mcid: opts.mcid,
    draws: ANALYSIS_DRAWS,
    autocorrelation: true,
    rng: createSeededRng(opts.seed),
  });
}

/**
 * A practice run for a new thread (issue 27 item 4): a made-up year of days (26 pairs of 7-day periods) analysed
 * three times, as a page's three analyses are. A thread's first analyses run code V8 has not compiled yet and took
 * about 0.7 s for a year of data, against under 0.1 s once compiled. Returns how long it took in ms.
 */
export function practiseNow(): number {
  const started = performance.now();
  const days: Day[] = [];
  const first = Date.UTC(2026, 0, 5);
  for (let block = 0; block < 26; block++)
    for (let period = 0; period < 2; period++)
      for (let k = 0; k < 7; k++) {
        const i = block * 14 + period * 7 + k;
        const condition = (block + period) % 2 === 0 ? "A" : "B";
        const date = new Date(first + i * 86_400_000).toISOString().slice(0, 10);
        days.push({ date, block, period, condition, value: k === 3 ? null : 3 + ((i * 7) % 5) });
      }
  for (const seed of [1, 2, 3]) analyzeDaysNow(days, { better: "lower", mcid: 1, seed });
  return performance.now() - started;
}

/** `matwise analyze data.csv --better B --mcid M --seed S --json`, in process (the same reader, the same options). */
export function analyzeCsvNow(csv: string, opts: AnalysisOptions): AnalysisResult {
  return analyzeDaysNow(parseAnalyzeCsv(csv).days, opts);
}

export interface ImportTask {
  /** The uploaded file as it came. */
  bytes: Uint8Array;
  fileName: string;
  choices: ImportChoices;
  clock: { today: string; timeZone: string };
  /** The analysis seed the experiment will keep. */
  seed: number;
}

/**
 * An import's file read as the command reads it (UTF-8, an invalid byte becoming U+FFFD) and
 * analysed once, so a file the command cannot analyse is refused with its message.
 */
export function readImportNow(task: ImportTask): ReadImport {
  const sha256 = createHash("sha256").update(task.bytes).digest("hex");
  const imported = readImportFile(
    new TextDecoder("utf-8").decode(task.bytes),
    task.choices,
    { name: task.fileName, sha256 },
    task.clock,
  );
  analyzeDaysNow(imported.analyzed, { better: task.choices.better, mcid: task.choices.mcid, seed: task.seed });
  return imported;
}

/** A task's answer as it crosses between threads: a refusal keeps its message (an Error would lose its class). */
export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; refused: string };

/** Runs `fn`, turning a ValidationError into a refusal; anything else is thrown as it is. */
export function settle<T>(fn: () => T): TaskOutcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, refused: err.message };
    throw err;
  }
}

/** A study's pooling as `matwise pool effects.csv --method M` computes it; REML that does not converge is said, not thrown. */
export type PoolOutcome = { pool: ReturnType<typeof poolEffectsCsv> } | { converged: false; reason: string };

export function poolEffectsNow(csv: string, method: PoolMethod): PoolOutcome {
  try {
    return { pool: poolEffectsCsv(csv, method) };
  } catch (err) {
    // A thread hands back a plain Error: the kind that the page words is kept as data.
    if (err instanceof ConvergenceError) return { converged: false, reason: err.message };
    throw err;
  }
}

// The tasks `runTask(name, input)` names: one export each.

export function analyzeCsv(task: { csv: string; opts: AnalysisOptions }) {
  return settle(() => analyzeCsvNow(task.csv, task.opts));
}

export function analyzeDays(task: { days: Day[]; opts: AnalysisOptions }) {
  return settle(() => analyzeDaysNow(task.days, task.opts));
}

export function readImport(task: ImportTask) {
  return settle(() => readImportNow(task));
}

export function practise() {
  return settle(() => practiseNow());
}

export function poolEffects(task: { csv: string; method: PoolMethod }) {
  return settle(() => poolEffectsNow(task.csv, task.method));
}
