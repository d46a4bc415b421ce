/**
 * What an experiment's page and its report show, from the protocol, the days and the analyses
 * (exactly what `matwise analyze` gives for the exported data.csv): today's card, the check-ins
 * still open and adherence so far; the answer in words and numbers, what the charts draw, the
 * secondary outcomes without a verdict; and the report's tally per period. Pure: the loader
 * (`src/server/experiments/results.ts`) reads the days and the analyses and calls these.
 * @module
 */
import { addDays, formatCalendarDate, formatDate } from "../datetime";
import { formatCount, NOUNS } from "../format";
import { measuredSleepMeans, type SecondaryMeans } from "../health-import/beside-diary";
import type { SleepNight } from "../health-import/night";
import { POSITION_TEXT } from "../sessions/labels";
import type { AnalysisResult } from "../stats/analyze";
import { anytimeWords, experimentPhase, fixedAnalysisLater, WHY_NOT_FIXED_AFTER_EARLY_END } from "./anytime-words";
import { summarizeAdherence, type CheckIn, type DayStatus } from "./days";
import { COMPARATOR_NAME, OUTCOME_TEXT, verdictSentence, type Adherence } from "./labels";
import {
  betterOf,
  clockOfProtocol,
  isImported,
  lastPlannedDay,
  OUTCOME_SCALE,
  OUTCOMES,
  type DayValues,
  type ExperimentProtocol,
  type ImportedProtocol,
  type Protocol,
} from "./protocol";
import type { ScheduledDay } from "./schedule";

/** One analysis, or why there is none yet. */
export type AnalysisOutcome = { ok: true; result: AnalysisResult } | { ok: false; reason: string };

/** The analyses of an experiment, as they are computed and stored (`src/server/experiments/results.ts`). */
export interface ExperimentAnalyses {
  /** As randomized: every day with its assigned condition (the main analysis). */
  main: AnalysisOutcome;
  /** Per protocol: days not done as assigned left out (a sensitivity check); null for an import, whose file does not say. */
  perProtocol: AnalysisOutcome | null;
  /** Without the first day of each period (carry-over check), only with periods of 2 days or more. */
  withoutFirstDays: AnalysisOutcome | null;
  completePairs: number;
  pairsNeeded: number;
  /**
   * The pairs begun when these were computed (null for an import, whose rows are its file). With
   * the data version it says which input the analyses are of: a pair that begins adds its days
   * to data.csv even when nothing is recorded, and the page must then show the new analysis.
   */
  blocks: number | null;
}

/** One day as the results read it: what was recorded, and its place in the schedule. */
export interface ResultDay {
  record: DayValues & {
    date: string;
    day: number;
    adherence: Adherence | null;
    harms: string | null;
  };
  scheduled: ScheduledDay;
  status: DayStatus;
}

/** What the results are computed from. */
export interface ResultsInput {
  experiment: { protocol: ExperimentProtocol; state: string; endedAt: string | null };
  days: readonly ResultDay[];
  /** The person's local date (the experiment's time zone). */
  today: string;
  analyses: ExperimentAnalyses;
  /** Sleep a device measured on the nights of the experiment's days (brought in at /account/import). */
  nights: readonly Pick<SleepNight, "night" | "source" | "totalSleepMinutes" | "sleepLatencyMinutes">[];
}

/** One day as the follow-up reads it: its place in the schedule, its check-in, and when each check-in came in. */
export interface FollowUpDay {
  record: { date: string; day: number; recordedAt: string | null; sleepRecordedAt: string | null };
  scheduled: ScheduledDay;
  checkIn: CheckIn | undefined;
}

/** What a day asks of the person, in words, without saying anything about other days. */
function assignmentText(
  condition: "A" | "B",
  p: { sessionMinutes: number; position: string; comparator: string },
  position: string,
): string {
  if (condition === "A") return `Use the mat for ${p.sessionMinutes} minutes, ${position}.`;
  return p.comparator === "no-session"
    ? "No session today: go about your day as usual."
    : `Lie still for ${p.sessionMinutes} minutes the same way, on a towel or a flat surface, without the mat.`;
}

/**
 * Today's card, the check-ins still open (the evening ones of today and yesterday, the morning one
 * of yesterday) and adherence so far, on the person's local date `today`: only a designed
 * experiment has them, and only today's condition is named.
 */
export function followUp(
  p: Protocol,
  input: { experiment: { state: string }; days: readonly FollowUpDay[]; today: string },
) {
  const { experiment, days, today } = input;
  const position = POSITION_TEXT[p.position].toLowerCase();
  const todayRow = days.find((d) => d.record.date === today);
  const yesterday = days.find((d) => d.record.date === addDays(today, -1));
  const running = experiment.state === "running";
  const timerHref = `/timer?${new URLSearchParams({ minutes: String(p.sessionMinutes), position: p.position, area: p.area, layer: "clothing" }).toString()}`;
  const todayCard =
    running && todayRow
      ? todayRow.scheduled.kind === "washout"
        ? {
            day: todayRow.record.day,
            kind: "washout" as const,
            text: "A rest day between pairs: nothing to do or record today.",
            timerHref: null,
          }
        : {
            day: todayRow.record.day,
            kind: todayRow.scheduled.condition === "A" ? ("mat" as const) : ("rest" as const),
            text: assignmentText(todayRow.scheduled.condition, p, position),
            timerHref: todayRow.scheduled.condition === "A" || p.comparator === "rest-without-mat" ? timerHref : null,
          }
      : null;
  const openEvening = running
    ? [todayRow, yesterday]
        .filter((d) => d && d.scheduled.kind === "period" && !d.record.recordedAt)
        .map((d) => ({
          date: d!.record.date,
          late: d!.record.date !== today,
          label: formatCalendarDate(d!.record.date, "weekday"),
        }))
    : [];
  const openMorning =
    running && yesterday && yesterday.scheduled.kind === "period" && !yesterday.record.sleepRecordedAt
      ? { date: yesterday.record.date }
      : null;
  const startsIn = p.startsOn > today ? formatCalendarDate(p.startsOn, "date") : null;
  const adherence = summarizeAdherence(
    days.map((d) => d.scheduled),
    days.flatMap((d) => (d.checkIn ? [d.checkIn] : [])),
    today,
  );
  return { todayCard, openEvening, openMorning, startsIn, adherence, expectation: p.expectation };
}

/** What the page says about an imported experiment's file, in words. */
export function importedSummary(p: ImportedProtocol, broughtIn: string) {
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

/** A number as the pages print it: one decimal at most ("3.5", "4"), or null when there is none. */
export const fixed1 = (x: number | null) =>
  typeof x === "number" && Number.isFinite(x) ? (Math.round(x * 10) / 10).toString() : null;

const meanOf = (xs: readonly number[]) => (xs.length > 0 ? fixed1(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/** The outcomes besides the primary one, reported without a verdict. */
type Secondary = Omit<SecondaryMeans, "a" | "b"> & {
  a: { mean: string | null; n: number } | null;
  b: { mean: string | null; n: number } | null;
};

/** A chart's vertical scale. */
export interface ChartScale {
  min: number;
  max: number;
  label: string;
}

/**
 * The results in words and numbers, and what the charts draw (the loader draws them): the answer
 * that leads in the experiment's phase (decision 093), the verdict, the benefit and its interval
 * turned in favour of the mat, and the secondary outcomes without a verdict.
 */
export function experimentResults(input: ResultsInput) {
  const { experiment, days, today, analyses, nights } = input;
  const p = experiment.protocol;
  const comparator = isImported(p) ? ("imported" as const) : p.comparator;
  const scale = OUTCOME_SCALE[p.primaryOutcome];
  const label = `${OUTCOME_TEXT[p.primaryOutcome].label} (${scale.unit === "points" ? "0–10" : "minutes"})`;
  const conditionName = (c: "A" | "B") =>
    c === "A"
      ? "With the mat"
      : comparator === "imported"
        ? "The other condition"
        : comparator === "no-session"
          ? "No session"
          : "Lying still without the mat";
  const measured = days.flatMap(({ record: d, scheduled }) => {
    const v = d[p.primaryOutcome];
    return scheduled.kind === "period" && typeof v === "number"
      ? [{ day: d.day, value: v, condition: conditionName(scheduled.condition) }]
      : [];
  });
  const main = analyses.main.ok ? analyses.main.result : null;
  // The command's interval is for A − B; the page speaks of the difference in favour of the mat, so it is turned the same way.
  // (Read from the stored JSON, an unbounded end is null.)
  const ci95 = main?.ci95 as [number | null, number | null] | undefined;
  const interval = ci95
    ? betterOf(p) === "lower"
      ? [fixed1(ci95[1] === null ? null : -ci95[1]), fixed1(ci95[0] === null ? null : -ci95[0])]
      : [fixed1(ci95[0]), fixed1(ci95[1])]
    : null;
  const seriesSentence = `${formatCount(measured.length, NOUNS.measuredDay)}: ${measured.filter((m) => m.condition === "With the mat").length} with the mat and ${measured.filter((m) => m.condition !== "With the mat").length} ${COMPARATOR_NAME[comparator]}.`;
  const meansSentence = main
    ? `On average ${fixed1(main.mean.A)} with the mat and ${fixed1(main.mean.B)} ${COMPARATOR_NAME[comparator]} (${betterOf(p)} is better).`
    : "";
  const secondary: Secondary[] = OUTCOMES.filter((o) => o !== p.primaryOutcome)
    .map((o) => {
      const mean = (c: "A" | "B") => {
        const xs = days.flatMap(({ record, scheduled }) =>
          scheduled.kind === "period" && scheduled.condition === c && typeof record[o] === "number" ? [record[o]] : [],
        );
        return xs.length > 0 ? { mean: meanOf(xs), n: xs.length } : null;
      };
      return { label: OUTCOME_TEXT[o].label, a: mean("A"), b: mean("B") };
    })
    .filter((s) => s.a || s.b);
  // Sleep measured by a device, brought in at /account/import: more outcomes without a verdict.
  const periodDays = days.flatMap(({ record, scheduled }) =>
    scheduled.kind === "period" ? [{ date: record.date, condition: scheduled.condition }] : [],
  );
  secondary.push(...measuredSleepMeans(periodDays, nights));
  const phase = experimentPhase(experiment, today);
  return {
    analyses,
    main,
    /** running, ended-early, complete or imported: which answer leads (decision 093). */
    phase,
    /** The anytime answer in words: it leads while the experiment runs and after an early end. */
    anytime: main ? anytimeWords(main.anytime, { outcome: p.primaryOutcome, comparator, unit: scale.unit }) : null,
    /** While it runs: when the planned analysis will be shown, in words. */
    fixedLater: isImported(p) ? null : fixedAnalysisLater(formatCalendarDate(lastPlannedDay(p), "date")),
    whyNotFixed: phase === "ended-early" ? WHY_NOT_FIXED_AFTER_EARLY_END : null,
    verdict: main
      ? verdictSentence(main.verdict, {
          outcome: p.primaryOutcome,
          comparator,
          mcid: p.mcid,
          unit: scale.unit,
          pairsNeeded: analyses.pairsNeeded,
          completePairs: analyses.completePairs,
        })
      : null,
    benefit: main ? fixed1(main.benefit) : null,
    interval,
    /** The daily series chart: one mark per measured day (null when no day is measured yet). */
    series:
      measured.length > 0
        ? {
            points: measured,
            scale: {
              min: scale.min,
              max: p.primaryOutcome === "sleepLatency" ? Math.max(60, ...measured.map((m) => m.value)) : scale.max,
              label,
            } satisfies ChartScale,
            label: `Chart: ${OUTCOME_TEXT[p.primaryOutcome].label.toLowerCase()} day by day, by condition`,
          }
        : null,
    /** The conditions of the series chart, the mat first (its legend is drawn from them). */
    seriesConditions: [conditionName("A"), conditionName("B")] as const,
    seriesSentence,
    /** The chart of the mean of each condition (null before the first analysis). */
    means: main
      ? {
          bars: [
            { condition: "With the mat", mean: main.mean.A },
            { condition: conditionName("B"), mean: main.mean.B },
          ],
          scale: {
            min: scale.min,
            max: p.primaryOutcome === "sleepLatency" ? Math.max(60, main.mean.A, main.mean.B) : scale.max,
            label,
          } satisfies ChartScale,
          label: "Chart: the mean of each condition",
        }
      : null,
    meansSentence,
    secondary,
    comparatorName: COMPARATOR_NAME[comparator],
    unit: scale.unit,
  };
}

export type ExperimentResults = ReturnType<typeof experimentResults>;

/** The results with their charts drawn as SVG (on the server) and the series legend in words: what the page shows. */
export type DrawnResults = ExperimentResults & {
  seriesSvg: string | null;
  seriesLegend: string;
  meansSvg: string | null;
};

/** One period of the report's table: its dates, how its days went and the mean of the primary outcome. */
export interface ReportPeriod {
  block: number;
  period: number;
  condition: "A" | "B";
  from: string;
  to: string;
  days: number;
  asAssigned: number;
  other: number;
  skipped: number;
  missed: number;
  values: number[];
  mean: string | null;
}

/**
 * The report's tally per period up to `today`: a period is named by its block and its number (an
 * imported file may number periods afresh in each block); dates in words.
 */
export function reportPeriods(
  days: readonly ResultDay[],
  today: string,
  outcome: ExperimentProtocol["primaryOutcome"],
): ReportPeriod[] {
  const periods = new Map<string, Omit<ReportPeriod, "mean">>();
  for (const { record, scheduled, status } of days) {
    if (scheduled.kind !== "period" || scheduled.date > today) continue;
    const key = `${scheduled.block}/${scheduled.period}`;
    const row = periods.get(key) ?? {
      block: scheduled.block,
      period: scheduled.period,
      condition: scheduled.condition,
      from: scheduled.date,
      to: scheduled.date,
      days: 0,
      asAssigned: 0,
      other: 0,
      skipped: 0,
      missed: 0,
      values: [],
    };
    row.to = scheduled.date;
    row.days++;
    if (record.adherence === "as-assigned") row.asAssigned++;
    else if (record.adherence === "other-condition") row.other++;
    else if (record.adherence === "skipped") row.skipped++;
    else if (status === "missed") row.missed++;
    const v = record[outcome];
    if (typeof v === "number") row.values.push(v);
    periods.set(key, row);
  }
  return [...periods.values()].map((r) => ({
    ...r,
    from: formatCalendarDate(r.from, "shortDate"),
    to: formatCalendarDate(r.to, "shortDate"),
    mean: meanOf(r.values),
  }));
}

/** The harms noted on any day, with its date in words. */
export function reportHarms(days: readonly ResultDay[]): { date: string; note: string }[] {
  return days.flatMap(({ record }) =>
    record.harms ? [{ date: formatCalendarDate(record.date, "shortDate"), note: record.harms }] : [],
  );
}
