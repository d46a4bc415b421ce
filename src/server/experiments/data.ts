/**
 * What the experiment pages need for GET, besides the results (`results.ts`: the experiment's
 * page, its report, results.json and data.csv): the designer's state, the list of a person's
 * experiments, every day as all.csv, the calendar, Today's card and the check-in form shown again.
 * @module
 */
import { DESIGN_FIELDS, DESIGN_STEPS, designDefaults, readDesign } from "../../core/experiments/design";
import { addDays, daysBetween, formatCalendarDate, getLocalDate, getLocalWallTime } from "../../core/datetime";
import { writeCalendar, type CalendarEvent } from "../../core/reminders/calendar";
import type { ScheduledDay } from "../../core/experiments/schedule";
import { writeCsv } from "../../core/csv";
import { createExperimentEvents, createReminderEvents } from "../../core/experiments/calendar";
import { anytimeWords } from "../../core/experiments/anytime-words";
import { concealedUntil, concealmentOf, isConcealed } from "../../core/experiments/concealment";
import { experimentTitle } from "../../core/experiments/labels";
import type { ExperimentAnalyses } from "../../core/experiments/results";
import { isImported, OUTCOME_SCALE, protocolLength, type ExperimentProtocol } from "../../core/experiments/protocol";
import { formatCount, NOUNS } from "../../core/format";
import type { Db } from "../db/client";
import { loadExperimentDays, loadExperimentPage } from "./results";
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
