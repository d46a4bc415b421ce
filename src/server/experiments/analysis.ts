/**
 * The analyses of an experiment, run exactly as `matwise analyze` runs them on the exported
 * data.csv (the same days, the same options, the experiment's analysis seed), so every number on
 * the page equals what the command prints. The days go to the analysis directly; data.csv is
 * their text for the download (`analysis.test.ts` holds the two equal). Computed once per
 * version of the data and kept in the database: a page view never analyses twice.
 * @module
 */
import {
  analysedBlocks,
  analysisThrough,
  toAnalysisRows,
  toAnalyzeDays,
  countCompletePairs,
  type AnalysisRow,
  type AnalysisRowOptions,
} from "../../core/experiments/days";
import { importedAnalysisRows } from "../../core/experiments/import";
import { betterOf, hasLongPeriods, hasPeriodColumn, isImported } from "../../core/experiments/protocol";
import type { AnalysisOutcome, ExperimentAnalyses } from "../../core/experiments/results";
import { ValidationError } from "../../core/errors";
import type { AnalysisResult } from "../../core/stats/analyze";
import type { Day } from "../../core/stats/experiment";
import type { Db } from "../db/client";
import { logger } from "../log";
import { getAnalysisCache, saveAnalysisCache, toImportedDay, type ExperimentRecord } from "../repositories/experiments";
import { analyzeCsvNow, analyzeDaysNow } from "../workers/analysis-worker";
import { runTask } from "../workers/pool";
import type { ExperimentDays } from "./days";

export type { AnalysisOutcome, ExperimentAnalyses };

/** Draws of the randomization test when the reference set is too large to enumerate: the command's default. */
export { ANALYSIS_DRAWS } from "../workers/analysis-worker";

/**
 * `matwise analyze data.csv --better B --mcid M --seed S --json`, in process (the same reader, the same options).
 * On this thread: pages analyse their days on the worker pool (`analyzeDaysInPool`).
 */
export function analyzeDataCsv(
  csv: string,
  opts: { better: "lower" | "higher"; mcid: number; seed: number },
): AnalysisResult {
  return analyzeCsvNow(csv, opts);
}

/** The command's analysis of days already read from its CSV (on this thread). */
export function analyzeDays(
  days: readonly Day[],
  opts: { better: "lower" | "higher"; mcid: number; seed: number },
): AnalysisResult {
  return analyzeDaysNow(days, opts);
}

/** `analyzeDataCsv` on a thread of the worker pool (src/server/workers/pool.ts), off the request thread. */
export function analyzeDataCsvInPool(
  csv: string,
  opts: { better: "lower" | "higher"; mcid: number; seed: number },
): Promise<AnalysisResult> {
  return runTask<AnalysisResult>("analyzeCsv", { csv, opts });
}

/** `analyzeDays` on a thread of the worker pool, off the request thread: what pages use. */
export function analyzeDaysInPool(
  days: readonly Day[],
  opts: { better: "lower" | "higher"; mcid: number; seed: number },
): Promise<AnalysisResult> {
  return runTask<AnalysisResult>("analyzeDays", { days, opts });
}

/**
 * The rows of the analysis for the primary outcome: the pairs begun by the person's today (or
 * by the day the experiment ended), as randomized; for an import, every day of the file as it
 * was given. data.csv is exactly these rows.
 */
export function analysisRowsOf(loaded: ExperimentDays, opts: AnalysisRowOptions = {}): AnalysisRow[] {
  const { experiment, days } = loaded;
  const p = experiment.protocol;
  if (isImported(p))
    return importedAnalysisRows(
      days.map((d) => toImportedDay(d.record, p.primaryOutcome)),
      opts,
    );
  return toAnalysisRows(
    days.map((d) => d.scheduled),
    days.flatMap((d) => (d.checkIn ? [d.checkIn] : [])),
    experiment.protocol.primaryOutcome,
    { ...opts, through: analysisThrough(p, experiment.endedAt, loaded.today) },
  );
}

async function run(
  experiment: ExperimentRecord,
  loaded: ExperimentDays,
  opts: AnalysisRowOptions,
): Promise<AnalysisOutcome> {
  const p = experiment.protocol;
  try {
    const days = toAnalyzeDays(analysisRowsOf(loaded, opts), hasPeriodColumn(p));
    return {
      ok: true,
      result: await analyzeDaysInPool(days, {
        better: betterOf(p),
        mcid: p.mcid,
        seed: experiment.analysisSeed,
      }),
    };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, reason: err.message };
    throw err;
  }
}

/**
 * Analyses being computed in this process, by experiment and data version: a second asker waits for the first. On
 * globalThis, so the command line's start-up warm-up (src/server/workers/warm-analyses.ts) and the pages share it.
 */
const inFlight = ((
  globalThis as { matwiseAnalysesInFlight?: Map<string, Promise<ExperimentAnalyses>> }
).matwiseAnalysesInFlight ??= new Map<string, Promise<ExperimentAnalyses>>());

/** The three analyses for the current data, from the cache when it is current, else computed once and stored. */
export async function getExperimentAnalyses(
  db: Db,
  userId: string,
  loaded: ExperimentDays,
): Promise<ExperimentAnalyses> {
  const { experiment } = loaded;
  const blocks = analysedBlocks(experiment.protocol, experiment.endedAt, loaded.today);
  const cached = await getAnalysisCache(db, userId, experiment.id);
  if (cached && (cached.cache["blocks"] ?? null) === blocks) return cached.cache as unknown as ExperimentAnalyses;
  const key = `${experiment.id}:${experiment.dataVersion}:${blocks ?? "import"}`;
  const running = inFlight.get(key);
  if (running) return running;
  const computing = computeAndStore(db, userId, loaded).finally(() => inFlight.delete(key));
  inFlight.set(key, computing);
  return computing;
}

/**
 * After a write: starts computing the analyses for the new data without waiting, so the page the
 * person is sent to next finds them ready (or waits for this same computation).
 */
export function startAnalyses(db: Db, userId: string, load: () => Promise<ExperimentDays>): void {
  void load()
    .then((loaded) => getExperimentAnalyses(db, userId, loaded))
    .catch((err: unknown) => logger.error("experiment analysis failed", err));
}

async function computeAndStore(db: Db, userId: string, loaded: ExperimentDays): Promise<ExperimentAnalyses> {
  const { experiment } = loaded;
  const p = experiment.protocol;
  const rows = analysisRowsOf(loaded);
  const pairs = countCompletePairs(rows);
  // The three analyses run side by side on the pool's threads.
  const [main, perProtocol, withoutFirstDays] = await Promise.all([
    run(experiment, loaded, {}),
    isImported(p) ? null : run(experiment, loaded, { perProtocol: true }),
    hasLongPeriods(p) ? run(experiment, loaded, { dropFirstDayOfPeriod: true }) : null,
  ]);
  const analyses: ExperimentAnalyses = {
    main,
    perProtocol,
    withoutFirstDays,
    completePairs: pairs.complete,
    pairsNeeded: pairs.needed,
    blocks: analysedBlocks(p, experiment.endedAt, loaded.today),
  };
  // Stored as JSON, which has no infinity: unbounded interval ends become null, as the command prints
  // them. The analyses are given back as stored, so a fresh answer reads exactly like a cached one.
  const stored = JSON.parse(JSON.stringify(analyses)) as Record<string, unknown>;
  await saveAnalysisCache(db, userId, experiment.id, experiment.dataVersion, stored);
  return stored as unknown as ExperimentAnalyses;
}
