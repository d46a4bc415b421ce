/**
 * What the session log's charts show, as data, with a plain sentence for each chart.
 * The sentences describe the person's own numbers; they never claim the mat caused a change.
 * @module
 */
import { MEASURES, type Measure } from "./options";
import { MEASURE_TEXT } from "./labels";
import { getLocalDate, getWeekStart, type LocalDate } from "../datetime";
import type { SessionInput } from "./schema";

/** What the charts and Today's counts read of a session: its time, length and ratings. */
export type SessionRatings = Pick<
  SessionInput,
  | "startedAt"
  | "durationSeconds"
  | "discomfort"
  | "painBefore"
  | "painAfter"
  | "tensionBefore"
  | "tensionAfter"
  | "stressBefore"
  | "stressAfter"
  | "relaxationBefore"
  | "relaxationAfter"
>;

const round1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number) => (Number.isInteger(round1(x)) ? String(round1(x)) : round1(x).toFixed(1));
const sessionsWord = (n: number) => (n === 1 ? "1 session" : `${n} sessions`);
const pointsWord = (x: number) => `${fmt(x)} ${round1(x) === 1 ? "point" : "points"}`;

/** Sessions in time order, oldest first (ties keep their given order). */
function chronological<T extends Pick<SessionInput, "startedAt">>(sessions: readonly T[]): T[] {
  return [...sessions].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
}

/** Sessions on one local day: how many, and their discomfort added up. */
export interface DayTally {
  day: LocalDate;
  count: number;
  discomfortSum: number;
}

/** Sessions rated both before and after on one feeling, with the ratings added up. */
export interface MeasureTally {
  measure: Measure;
  count: number;
  beforeSum: number;
  afterSum: number;
}

/** One of the latest sessions, as Today and the chart need it. */
export interface RecentSession {
  startedAt: string;
  /** The local day it began on, on the person's clock. */
  day: LocalDate;
  durationSeconds: number;
  discomfort: number;
}

/**
 * What the charts, their sentences and Today's counts need of a whole history, in a size that
 * does not grow with it (except `days`, a row a day): the database computes it with a few
 * aggregate queries (`loadSessionTrends`), and `tallySessions` computes the same from a list.
 */
export interface SessionTrends {
  count: number;
  /** Discomfort of the first sessions (up to three), oldest first. */
  first: number[];
  /** The latest sessions, oldest first: up to the number asked for. */
  latest: RecentSession[];
  /** Sessions per local day, oldest first. */
  days: DayTally[];
  /** Per feeling with at least one session rated both before and after, in MEASURES order. */
  measures: MeasureTally[];
}

/** Up to this many sessions the chart draws each one; after that it draws weeks, then months. */
export const MAX_SESSION_POINTS = 60;
/** Up to this many weeks the chart draws a point a week; a longer history is drawn by month. */
export const MAX_WEEK_POINTS = 104;

/**
 * The tally of `sessions` (in any order) on the clock of `timeZone`, keeping the latest
 * `latest` sessions: the reference the database's aggregate queries are tested against.
 */
export function tallySessions(
  sessions: readonly SessionRatings[],
  timeZone: string,
  latest = MAX_SESSION_POINTS,
): SessionTrends {
  const ordered = chronological(sessions);
  const days: DayTally[] = [];
  for (const s of ordered) {
    const day = getLocalDate(new Date(s.startedAt), timeZone);
    const last = days[days.length - 1];
    if (last && last.day === day) {
      last.count += 1;
      last.discomfortSum += s.discomfort;
    } else days.push({ day, count: 1, discomfortSum: s.discomfort });
  }
  const measures = MEASURES.flatMap((measure): MeasureTally[] => {
    const pairs = ordered.flatMap((s) => {
      const before = s[`${measure}Before`];
      const after = s[`${measure}After`];
      return before === null || after === null ? [] : [{ before, after }];
    });
    return pairs.length === 0
      ? []
      : [
          {
            measure,
            count: pairs.length,
            beforeSum: pairs.reduce((a, p) => a + p.before, 0),
            afterSum: pairs.reduce((a, p) => a + p.after, 0),
          },
        ];
  });
  return {
    count: ordered.length,
    first: ordered.slice(0, 3).map((s) => s.discomfort),
    latest: ordered.slice(-latest).map((s) => ({
      startedAt: new Date(s.startedAt).toISOString(),
      day: getLocalDate(new Date(s.startedAt), timeZone),
      durationSeconds: s.durationSeconds,
      discomfort: s.discomfort,
    })),
    days,
    measures,
  };
}

/**
 * A sentence on discomfort on the mat: the first session against the latest, or once there
 * are six or more, the mean of the first three against the mean of the latest three.
 */
export function describeDiscomfort(t: Pick<SessionTrends, "count" | "first" | "latest">): string {
  const n = t.count;
  const first = t.first[0];
  const last = t.latest[t.latest.length - 1]?.discomfort;
  if (n === 0 || first === undefined || last === undefined) return "No sessions yet, so there is nothing to draw.";
  if (n === 1) return `One session so far, with discomfort on the mat rated ${first} out of 10.`;
  if (n < 6) {
    const trend = last < first ? "lower than" : last > first ? "higher than" : "the same as";
    return `Over ${sessionsWord(n)}, discomfort on the mat went from ${first} in the first to ${last} out of 10 in the latest, ${trend} at the start.`;
  }
  const early = mean(t.first.slice(0, 3));
  const late = mean(t.latest.slice(-3).map((p) => p.discomfort));
  const diff = late - early;
  const change =
    Math.abs(diff) < 0.05 ? "about the same" : diff < 0 ? `${pointsWord(-diff)} lower` : `${pointsWord(diff)} higher`;
  return `Over ${sessionsWord(n)}, discomfort on the mat averaged ${fmt(early)} out of 10 in the first three and ${fmt(late)} in the latest three: ${change}.`;
}

/** One point of the discomfort chart: a session, or the mean of the sessions in a week or a month. */
export interface DiscomfortBin {
  /** The local day the session was on, or the first day of its week or month. */
  from: LocalDate;
  /** Mean discomfort of the bin, to one decimal (a session's own rating when the bin is a session). */
  discomfort: number;
  /** Sessions in the bin. */
  count: number;
}

export interface DiscomfortSeries {
  /** What a point stands for. */
  unit: "session" | "week" | "month";
  points: DiscomfortBin[];
}

/**
 * Discomfort as a chart can draw it whatever the history's length: each session while all of
 * them are among `latest` and there are at most 60, else the mean per week (Monday to Sunday on
 * the person's clock) while that gives at most 104 points, else the mean per month.
 */
export function binDiscomfort(t: Pick<SessionTrends, "count" | "latest" | "days">): DiscomfortSeries {
  if (t.count <= MAX_SESSION_POINTS && t.latest.length === t.count)
    return { unit: "session", points: t.latest.map((p) => ({ from: p.day, discomfort: p.discomfort, count: 1 })) };
  const group = (key: (d: LocalDate) => LocalDate): DiscomfortBin[] => {
    const bins: { from: LocalDate; sum: number; count: number }[] = [];
    for (const d of t.days) {
      const from = key(d.day);
      const last = bins[bins.length - 1];
      if (last && last.from === from) {
        last.sum += d.discomfortSum;
        last.count += d.count;
      } else bins.push({ from, sum: d.discomfortSum, count: d.count });
    }
    return bins.map((b) => ({ from: b.from, discomfort: round1(b.sum / b.count), count: b.count }));
  };
  const weeks = group(getWeekStart);
  if (weeks.length <= MAX_WEEK_POINTS) return { unit: "week", points: weeks };
  return { unit: "month", points: group((d) => `${d.slice(0, 8)}01`) };
}

export interface MeasureChange {
  measure: Measure;
  /** Sessions with both ratings, before and after (either may be skipped). */
  count: number;
  meanBefore: number;
  meanAfter: number;
  /** Mean of (after − before); negative means the rating fell. */
  meanChange: number;
}

export interface ChangeSummary {
  changes: MeasureChange[];
  sentence: string;
}

const listWords = (parts: readonly string[]) =>
  parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1] ?? ""}`;

/**
 * Mean before and after each session for pain, tension, stress and relaxation, over the
 * sessions that have both ratings of that feeling (either may be skipped), and a sentence
 * that reports the changes without saying what caused them. A feeling never rated both
 * before and after is left out.
 */
export function describeChanges(t: Pick<SessionTrends, "count" | "measures">): ChangeSummary {
  if (t.count === 0) return { changes: [], sentence: "No sessions yet, so there are no changes to show." };
  const changes = t.measures.map((m) => ({
    measure: m.measure,
    count: m.count,
    meanBefore: round1(m.beforeSum / m.count),
    meanAfter: round1(m.afterSum / m.count),
    meanChange: round1((m.afterSum - m.beforeSum) / m.count),
  }));
  if (changes.length === 0)
    return { changes, sentence: "No session has a rating both before and after yet, so there are no changes to show." };
  const counts = new Set(changes.map((c) => c.count));
  const parts = changes.map((c) => {
    const word = MEASURE_TEXT[c.measure];
    const over = counts.size > 1 ? ` (${sessionsWord(c.count)})` : "";
    if (c.meanChange === 0) return `${word} stayed the same${over}`;
    return `${word} ${c.meanChange < 0 ? "fell" : "rose"} by ${fmt(Math.abs(c.meanChange))}${over}`;
  });
  const only = counts.size === 1 ? ([...counts][0] ?? 0) : 0;
  const per =
    counts.size > 1
      ? "On average over the sessions rated before and after"
      : only === 1
        ? t.count === 1
          ? "In your one session"
          : "In the one session rated before and after"
        : only === t.count
          ? `On average over ${sessionsWord(only)}`
          : `On average over the ${sessionsWord(only)} rated before and after`;
  return { changes, sentence: `${per}, from before to after, ${listWords(parts)} (points out of 10).` };
}
