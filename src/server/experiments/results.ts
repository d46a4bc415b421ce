/**
 * An experiment's results, from its days to the pages that show them (issue 28): the days in one
 * shape (`ExperimentDays`: each stored day with its place in the schedule, its check-in and its
 * status on the person's local today), their analyses, and the loaders of the experiment page,
 * its report, results.json and data.csv. `src/core/experiments/results.ts` turns the protocol,
 * the days and the analyses into what the pages show; this module only loads and calls it.
 *
 * The analyses are run exactly as `matwise analyze` runs them on the exported data.csv (the same
 * days, the same options, the experiment's analysis seed), so every number on the page equals what
 * the command prints. The days go to the analysis directly, on the worker pool; data.csv is their
 * text for the download (`results.test.ts` holds the two equal). Computed once per version of the
 * data and kept in the database: a page view never analyses twice.
 * @module
 */
import { formatCalendarDate, formatDate, getLocalDate } from "../../core/datetime";
import {
  analysedBlocks,
  analysisThrough,
  countCompletePairs,
  getDayStatus,
  summarizeAdherence,
  toAnalysisRows,
  toAnalyzeCsv,
  toAnalyzeDays,
  type AnalysisRow,
  type AnalysisRowOptions,
  type CheckIn,
  type DayStatus,
} from "../../core/experiments/days";
import { importedAnalysisRows } from "../../core/experiments/import";
import { COMPARATOR_NAME, experimentTitle } from "../../core/experiments/labels";
import {
  betterOf,
  clockOfProtocol,
  hasLongPeriods,
  hasPeriodColumn,
  isImported,
} from "../../core/experiments/protocol";
import {
  experimentResults,
  followUp,
  importedSummary,
  reportHarms,
  reportPeriods,
  type AnalysisOutcome,
  type DrawnResults,
  type ExperimentAnalyses,
  type ExperimentResults,
  type ResultsInput,
} from "../../core/experiments/results";
import type { ScheduledDay } from "../../core/experiments/schedule";
import { ValidationError } from "../../core/errors";
import { nightsBesideDiary } from "../../core/health-import/beside-diary";
import type { AnalysisResult } from "../../core/stats/analyze";
import type { Day } from "../../core/stats/experiment";
import { renderMeansChart, renderSeriesChart, seriesLegend } from "../charts/experiments";
import type { Db } from "../db/client";
import { logger } from "../log";
import {
  getAnalysisCache,
  listExperimentDays,
  requireExperiment,
  saveAnalysisCache,
  toCheckIn,
  toImportedDay,
  toScheduledDay,
  type ExperimentDayRecord,
  type ExperimentRecord,
} from "../repositories/experiments";
import { listSleepRecordsBetween } from "../repositories/sleep-records";
import type { AnalysisOptions } from "../workers/analysis-worker";
import { runTask } from "../workers/pool";

// The days: one shape for the loaders and the analyses.

export interface ExperimentDay {
  record: ExperimentDayRecord;
  scheduled: ScheduledDay;
  checkIn: CheckIn | undefined;
  status: DayStatus;
}

export interface ExperimentDays {
  experiment: ExperimentRecord;
  days: ExperimentDay[];
  /** The person's local date (the experiment's time zone). */
  today: string;
}

/** One experiment with its days, their status on the person's local today, and today's row. */
export async function loadExperimentDays(
  db: Db,
  userId: string,
  id: string,
  now = new Date(),
): Promise<ExperimentDays> {
  const experiment = await requireExperiment(db, userId, id);
  const days = await listExperimentDays(db, userId, id);
  const today = getLocalDate(now, experiment.protocol.timeZone);
  const rows = days.map((d) => ({ record: d, scheduled: toScheduledDay(d), checkIn: toCheckIn(d) }));
  // An imported day has a value from the file or none; there was no check-in to be on time for.
  const p = experiment.protocol;
  const statusOf = (r: (typeof rows)[number]): DayStatus =>
    isImported(p)
      ? r.record[p.primaryOutcome] === null
        ? "missed"
        : "imported"
      : getDayStatus(r.scheduled, r.checkIn, today);
  const withStatus = rows.map((r) => ({ ...r, status: statusOf(r) }));
  return { experiment, days: withStatus, today };
}

// The analyses: the command's, on the worker pool, stored once per version of the data.

/**
 * `matwise analyze data.csv --better B --mcid M --seed S --json` (`analyzeDataCsv`) and the command's analysis of
 * days already read from its CSV (`analyzeDays`), on this thread (the same reader, the same options): what the tests
 * hold the pages' analyses equal to. Pages analyse their days on the worker pool (`analyzeDaysInPool`).
 */
export { analyzeCsvNow as analyzeDataCsv, analyzeDaysNow as analyzeDays } from "../workers/analysis-worker";

/** `analyzeDataCsv` on a thread of the worker pool (src/server/workers/pool.ts), off the request thread. */
export function analyzeDataCsvInPool(csv: string, opts: AnalysisOptions): Promise<AnalysisResult> {
  return runTask<AnalysisResult>("analyzeCsv", { csv, opts });
}

/** `analyzeDays` on a thread of the worker pool, off the request thread: what pages use. */
export function analyzeDaysInPool(days: readonly Day[], opts: AnalysisOptions): Promise<AnalysisResult> {
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

// The pages that show the results.

/** GET /experiments/<id>: the experiment in words: its protocol, today's assignment, the check-ins still open, adherence; for an import, what the file held. */
export async function loadExperimentPage(
  db: Db,
  userId: string,
  id: string,
  now = new Date(),
  opts: { withResults?: boolean } = {},
) {
  const loaded = await loadExperimentDays(db, userId, id, now);
  const { experiment, days } = loaded;
  const p = experiment.protocol;
  const designed = isImported(p) ? null : followUp(p, loaded);
  const nights = await importedNightsOf(db, userId, days);
  return {
    experiment,
    title: experimentTitle(p),
    frozenOn: formatDate(experiment.frozenAt, "date", clockOfProtocol(p)),
    length: days.length,
    startsIn: designed?.startsIn ?? null,
    todayCard: designed?.todayCard ?? null,
    openEvening: designed?.openEvening ?? [],
    openMorning: designed?.openMorning ?? null,
    adherence: designed?.adherence ?? null,
    /** Before starting: how much better the person expected the mat to be (designed experiments only). */
    expectation: designed?.expectation ?? null,
    imported: isImported(p) ? importedSummary(p, experiment.frozenAt) : null,
    /** The latest nights: the morning diary beside the sleep a device measured. */
    sleepNights: nightsBesideDiary(
      days.map(({ record }) => record),
      nights,
    ),
    primary: p.primaryOutcome,
    mcid: p.mcid,
    results: opts.withResults === false ? null : await resultsOf(db, userId, loaded, nights),
  };
}

/** The results of an experiment (`experimentResults` in core) with their charts drawn. */
async function resultsOf(db: Db, userId: string, loaded: ExperimentDays, nights: ResultsInput["nights"]) {
  const analyses = await getExperimentAnalyses(db, userId, loaded);
  return withCharts(experimentResults({ ...loaded, analyses, nights }));
}

/** The charts of the results as SVG, each with its name and description, and the series legend in words. */
function withCharts(r: ExperimentResults): DrawnResults {
  const legend = seriesLegend(r.seriesConditions);
  return {
    ...r,
    seriesSvg: r.series
      ? renderSeriesChart(
          r.series.points,
          r.series.scale,
          { label: r.series.label, description: `${r.seriesSentence} ${legend}.` },
          r.seriesConditions,
        )
      : null,
    /** The chart's legend in words, from the marks it draws. */
    seriesLegend: legend,
    meansSvg: r.means
      ? renderMeansChart(r.means.bars, r.means.scale, { label: r.means.label, description: r.meansSentence })
      : null,
  };
}

/** GET /experiments/<id>/report: everything a clinician needs on one printable page (CENT 2015 items for one person). */
export async function loadReport(db: Db, userId: string, id: string, now = new Date()) {
  const loaded = await loadExperimentDays(db, userId, id, now);
  const { experiment, days, today } = loaded;
  const results = await resultsOf(db, userId, loaded, await importedNightsOf(db, userId, days));
  const p = experiment.protocol;
  const lastDay = days[days.length - 1]?.record.date ?? p.startsOn;
  return {
    experiment,
    protocol: p,
    results,
    periods: reportPeriods(days, today, p.primaryOutcome),
    harms: reportHarms(days),
    frozenOn: formatDate(experiment.frozenAt, "date", clockOfProtocol(p)),
    startsOn: formatCalendarDate(p.startsOn, "date"),
    plannedEnd: formatCalendarDate(lastDay, "date"),
    endedOn: experiment.endedAt ? formatDate(experiment.endedAt, "date", clockOfProtocol(p)) : null,
    printedOn: formatDate(now, "date", clockOfProtocol(p)),
    title: experimentTitle(p),
    /** The designed protocol, or null for an import (then `imported` says what the file held). */
    design: isImported(p) ? null : p,
    imported: isImported(p) ? importedSummary(p, experiment.frozenAt) : null,
    comparatorName: COMPARATOR_NAME[isImported(p) ? "imported" : p.comparator],
    better: betterOf(p),
    adherence: isImported(p)
      ? null
      : summarizeAdherence(
          days.map((d) => d.scheduled),
          days.flatMap((d) => (d.checkIn ? [d.checkIn] : [])),
          today,
        ),
    today,
  };
}

/** GET /experiments/<id>/results.json: the analysis exactly as `matwise analyze data.csv --json` prints it, with the protocol, its hash and the seed. */
export async function loadResultsJson(db: Db, userId: string, id: string, now = new Date()) {
  const loaded = await loadExperimentDays(db, userId, id, now);
  const { experiment } = loaded;
  const analyses = await getExperimentAnalyses(db, userId, loaded);
  const p = experiment.protocol;
  return {
    analysis: analyses.main.ok ? analyses.main.result : null,
    notAnalysedBecause: analyses.main.ok ? null : analyses.main.reason,
    command: `matwise analyze data.csv --better ${betterOf(p)} --mcid ${p.mcid} --seed ${experiment.analysisSeed} --json`,
    analysisSeed: experiment.analysisSeed,
    protocol: p,
    protocolHash: experiment.protocolHash,
    protocolFrozenAt: experiment.frozenAt,
    preRegisteredInMatwise: experiment.source === "matwise",
    sensitivity: {
      perProtocol: analyses.perProtocol?.ok ? analyses.perProtocol.result : null,
      withoutFirstDayOfPeriods: analyses.withoutFirstDays?.ok ? analyses.withoutFirstDays.result : null,
    },
  };
}

/** The analysis input for the primary outcome, exactly as `matwise analyze` reads it (with `period` when periods last longer than a day). */
export async function loadDataCsv(
  db: Db,
  userId: string,
  id: string,
  now = new Date(),
): Promise<{ csv: string; experiment: ExperimentRecord }> {
  const loaded = await loadExperimentDays(db, userId, id, now);
  return {
    csv: toAnalyzeCsv(analysisRowsOf(loaded), hasPeriodColumn(loaded.experiment.protocol)),
    experiment: loaded.experiment,
  };
}

/** Imported sleep for the nights after an experiment's days (empty before its first day). */
async function importedNightsOf(db: Db, userId: string, days: ExperimentDays["days"]) {
  const first = days[0]?.record.date;
  const last = days.at(-1)?.record.date;
  return first && last ? listSleepRecordsBetween(db, userId, first, last) : [];
}
