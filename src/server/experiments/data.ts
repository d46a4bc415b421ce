/**
 * What the experiment pages need for GET: the designer's state, the list of a person's
 * experiments, and one experiment with its days in words.
 * @module
 */
import { DESIGN_FIELDS, DESIGN_STEPS, designDefaults, readDesign } from "../../core/experiments/design";
import {
  addDays,
  daysBetween,
  DEFAULT_CLOCK,
  formatCalendarDate,
  formatDate,
  getLocalDate,
  getLocalWallTime,
  type Clock,
} from "../../core/datetime";
import { writeCalendar, type CalendarEvent } from "../../core/reminders/calendar";
import type { ScheduledDay } from "../../core/experiments/schedule";
import { writeCsv } from "../../core/csv";
import { createExperimentEvents, createReminderEvents } from "../../core/experiments/calendar";
import { anytimeWords } from "../../core/experiments/anytime-words";
import { concealedUntil, concealmentOf, isConcealed } from "../../core/experiments/concealment";
import { summarizeAdherence, toAnalyzeCsv } from "../../core/experiments/days";
import { COMPARATOR_NAME, experimentTitle } from "../../core/experiments/labels";
import {
  experimentResults,
  followUp,
  reportHarms,
  reportPeriods,
  type DrawnResults,
  type ExperimentAnalyses,
  type ExperimentResults,
  type ResultsInput,
} from "../../core/experiments/results";
import {
  betterOf,
  hasPeriodColumn,
  isImported,
  OUTCOME_SCALE,
  protocolLength,
  type ExperimentProtocol,
  type ImportedProtocol,
} from "../../core/experiments/protocol";
import { renderMeansChart, renderSeriesChart, seriesLegend } from "../charts/experiments";
import { formatCount, NOUNS } from "../../core/format";
import type { Db } from "../db/client";
import { loadExperimentDays, type ExperimentDays } from "./days";

export { loadExperimentDays };
import { analysisRowsOf, getExperimentAnalyses } from "./analysis";
import {
  getAnalysisCache,
  listExperiments,
  listUnderwayExperiments,
  requireExperiment,
  type ExperimentRecord,
} from "../repositories/experiments";
import { getTimerGate } from "../../core/timer/gate";
import type { TodayCard } from "../../core/today/cards";
import { loadCurrentResult } from "../safety/data";
import { loadPersonClock } from "../person-clock";
import { nightsBesideDiary } from "../../core/health-import/beside-diary";
import { listSleepRecordsBetween } from "../repositories/sleep-records";

/** Imported sleep for the nights after an experiment's days (empty before its first day). */
async function importedNightsOf(db: Db, userId: string, days: ExperimentDays["days"]) {
  const first = days[0]?.record.date;
  const last = days.at(-1)?.record.date;
  return first && last ? listSleepRecordsBetween(db, userId, first, last) : [];
}

/** The clock an experiment's dates are read on: its own time zone, the one its days were drawn in. */
const clockOfProtocol = (p: ExperimentProtocol): Clock => ({ locale: DEFAULT_CLOCK.locale, timeZone: p.timeZone });

/** GET /experiments/new?step=N&…: the step to show, the answers so far and what to prefill. */
export async function loadDesigner(db: Db, userId: string, request: Request, url: URL, now = new Date()) {
  const clock = await loadPersonClock(db, userId);
  const today = getLocalDate(now, clock.timeZone);
  const state = readDesign((name) => url.searchParams.get(name), Number(url.searchParams.get("step") ?? "0"));
  const defaults = designDefaults(state.values, addDays(today, 1));
  const shown = Object.fromEntries(DESIGN_FIELDS.map((f) => [f, state.values[f] ?? defaults[f]])) as Record<
    (typeof DESIGN_FIELDS)[number],
    string
  >;
  const gate = getTimerGate(await loadCurrentResult(db, request, userId, now), now);
  const underway = (await listUnderwayExperiments(db, userId, now)).map((e) => ({
    id: e.id,
    title: experimentTitle(e.protocol),
  }));
  return {
    ...state,
    stepId: DESIGN_STEPS[state.step]!.id,
    stepCount: DESIGN_STEPS.length,
    shown,
    today,
    safetyOk: gate.ok,
    underway,
  };
}

/** GET /experiments: the person's experiments, newest first, each with how far it has come. */
export async function loadExperimentList(db: Db, userId: string, now = new Date()) {
  const experiments = await listExperiments(db, userId);
  return experiments.map((e) => {
    const p = e.protocol;
    const title = experimentTitle(p);
    if (isImported(p))
      return {
        id: e.id,
        title,
        progress: `${formatCount(p.days, NOUNS.day)} from ${formatCalendarDate(p.startsOn, "date")} to ${formatCalendarDate(p.endsOn, "date")}`,
        imported: true,
      };
    const today = getLocalDate(now, p.timeZone);
    const length = protocolLength(p);
    const dayNumber = daysBetween(p.startsOn, today) + 1;
    const progress =
      e.state === "ended"
        ? "ended"
        : dayNumber < 1
          ? `starts on ${formatCalendarDate(p.startsOn, "date")}`
          : dayNumber > length
            ? "all days done"
            : `day ${dayNumber} of ${length}`;
    return { id: e.id, title, progress, imported: false };
  });
}

/** What the page says about an imported experiment's file, in words. */
function importedSummary(p: ImportedProtocol, broughtIn: string) {
  return {
    fileName: p.fileName,
    fileSha256: p.fileSha256,
    broughtInOn: formatDate(broughtIn, "date", clockOfProtocol(p)),
    days: p.days,
    measuredDays: p.measuredDays,
    from: formatCalendarDate(p.startsOn, "date"),
    to: formatCalendarDate(p.endsOn, "date"),
    // In plain words; the report names the design exactly.
    design: p.periodColumn
      ? `${formatCount(p.blocks, { one: "round", other: "rounds" })} of ${p.periodDays.min === p.periodDays.max ? formatCount(p.periodDays.min, NOUNS.day) : `${p.periodDays.min} to ${p.periodDays.max} days`} in a row with each condition, compared stretch by stretch as the file assigned them`
      : `${formatCount(p.blocks, { one: "round", other: "rounds" })} of days, each day compared with the others of its round`,
    better: p.better === "lower" ? "lower values are better" : "higher values are better",
  };
}

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

/** Every scheduled day with every outcome and what was done; missing values are empty, and a later day's condition is concealed while the experiment runs. */
export async function loadAllCsv(db: Db, userId: string, id: string, now = new Date()): Promise<string> {
  const { experiment, days } = await loadExperimentDays(db, userId, id, now);
  const clock = concealmentOf(experiment, now);
  const rows = days.map(({ record: d, status }) => ({
    date: d.date,
    day: d.day,
    block: d.block,
    period: d.period,
    condition: isConcealed(d.date, clock) ? concealedUntil(d.date) : (d.condition ?? "rest day"),
    status,
    adherence: d.adherence,
    pain: d.pain,
    tension: d.tension,
    stress: d.stress,
    sleepQuality: d.sleepQuality,
    sleepLatency: d.sleepLatency,
    wakings: d.wakings,
    harms: d.harms,
    recordedAt: d.recordedAt,
    sleepRecordedAt: d.sleepRecordedAt,
  }));
  return writeCsv(rows, [
    "date",
    "day",
    "block",
    "period",
    "condition",
    "status",
    "adherence",
    "pain",
    "tension",
    "stress",
    "sleepQuality",
    "sleepLatency",
    "wakings",
    "harms",
    "recordedAt",
    "sleepRecordedAt",
  ]);
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

/** GET /experiments/<id>/schedule.ics: one timed event per experiment day with an alarm and a link, never the condition. */
export async function loadScheduleIcs(
  db: Db,
  userId: string,
  id: string,
  siteUrl: string,
  now = new Date(),
): Promise<string> {
  const { experiment, days } = await loadExperimentDays(db, userId, id, now);
  return writeCalendar(
    "matwise experiment",
    experimentEventsOf(
      experiment,
      days.map((d) => d.scheduled),
      siteUrl,
    ),
    { now },
  );
}

/** A designed experiment's session days as calendar events (an import has none). */
export function experimentEventsOf(
  experiment: { id: string; protocol: ExperimentProtocol },
  schedule: readonly ScheduledDay[],
  siteUrl: string,
): CalendarEvent[] {
  const p = experiment.protocol;
  return isImported(p)
    ? []
    : createExperimentEvents(experiment.id, createReminderEvents(schedule, p), schedule.length, siteUrl);
}

/** A running experiment as Today shows it: the day, today's assignment only, the timer, and the check-in. */
export type ExperimentToday = Omit<Extract<TodayCard, { kind: "experiment" }>, "kind">;

/** What Today's experiment card leads with at local hour `hh`: the morning check-in in the morning, the evening one in the evening. */
export function leadAt(
  hh: string,
  open: { morningOpen: boolean; eveningOpen: boolean },
): "morning" | "session" | "evening" {
  const hour = Number(hh);
  if (open.morningOpen && hour < 12) return "morning";
  if (open.eveningOpen && hour >= 17) return "evening";
  return "session";
}

/** GET /today: the person's running experiments that have a day today. */
export async function loadExperimentsToday(
  db: Db,
  userId: string,
  now = new Date(),
  listed?: readonly ExperimentRecord[],
): Promise<ExperimentToday[]> {
  const experiments = (listed ?? (await listExperiments(db, userId))).filter(
    (e) => e.state === "running" && e.source === "matwise",
  );
  const out: ExperimentToday[] = [];
  for (const e of experiments) {
    const page = await loadExperimentPage(db, userId, e.id, now, { withResults: false });
    if (!page.todayCard) continue;
    // The latest stored analysis: its anytime answer is valid at whatever look it was made.
    const cached = (await getAnalysisCache(db, userId, e.id))?.cache as Partial<ExperimentAnalyses> | undefined;
    const anytime = cached?.main?.ok ? cached.main.result.anytime : undefined;
    const checkIn =
      page.todayCard.kind === "washout"
        ? ("none" as const)
        : page.openEvening.some((d) => !d.late)
          ? ("open" as const)
          : ("done" as const);
    const morningOpen = page.openMorning !== null;
    out.push({
      id: e.id,
      title: page.title,
      when: `Experiment, day ${page.todayCard.day} of ${page.length}`,
      what: page.todayCard.text,
      timerHref: page.todayCard.timerHref,
      checkIn,
      morningOpen,
      lead: leadAt(getLocalWallTime(now, e.protocol.timeZone).slice(11, 13), {
        morningOpen,
        eveningOpen: checkIn === "open",
      }),
      answer: anytime
        ? `${anytimeWords(anytime, { outcome: e.protocol.primaryOutcome, comparator: isImported(e.protocol) ? "imported" : e.protocol.comparator, unit: OUTCOME_SCALE[e.protocol.primaryOutcome].unit }).headline} You can look every day; this answer stays honest.`
        : null,
    });
  }
  return out;
}

/** What the check-in page needs to show a refused check-in again: the experiment's main outcome and title. */
export async function loadCheckInForm(db: Db, userId: string, id: string) {
  const experiment = await requireExperiment(db, userId, id);
  return { primary: experiment.protocol.primaryOutcome, title: experimentTitle(experiment.protocol) };
}
