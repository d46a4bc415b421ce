/**
 * What the session log's charts show, as data, with a plain sentence for each chart.
 * The sentences describe the person's own numbers; they never claim the mat caused a change.
 * @module
 */
import { MEASURES, type Measure } from "./options";
import { MEASURE_TEXT } from "./labels";
import type { SessionInput } from "./schema";

type Rated = Pick<SessionInput, "startedAt" | "discomfort" | "painBefore" | "painAfter" | "tensionBefore" | "tensionAfter" | "stressBefore" | "stressAfter" | "relaxationBefore" | "relaxationAfter">;

export interface DiscomfortPoint {
  /** 1 for the first session, in time order. */
  n: number;
  startedAt: string;
  discomfort: number;
}

export interface DiscomfortSummary {
  points: DiscomfortPoint[];
  /** One sentence for the chart's text alternative and caption. */
  sentence: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number) => (Number.isInteger(round1(x)) ? String(round1(x)) : round1(x).toFixed(1));
const sessionsWord = (n: number) => (n === 1 ? "1 session" : `${n} sessions`);
const pointsWord = (x: number) => `${fmt(x)} ${round1(x) === 1 ? "point" : "points"}`;

/** Sessions in time order, oldest first (ties keep their given order). */
function chronological<T extends Pick<SessionInput, "startedAt">>(sessions: readonly T[]): T[] {
  return [...sessions].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
}

/**
 * Discomfort on the mat across sessions, oldest first, and a sentence comparing the first
 * sessions with the latest (the first and last three once there are six or more).
 */
export function summarizeDiscomfort(sessions: readonly Rated[]): DiscomfortSummary {
  const points = chronological(sessions).map((s, i) => ({ n: i + 1, startedAt: s.startedAt, discomfort: s.discomfort }));
  const n = points.length;
  if (n === 0) return { points, sentence: "No sessions yet, so there is nothing to draw." };
  const first = points[0] as DiscomfortPoint;
  const last = points[n - 1] as DiscomfortPoint;
  if (n === 1) return { points, sentence: `One session so far, with discomfort on the mat rated ${first.discomfort} out of 10.` };
  if (n < 6) {
    const trend = last.discomfort < first.discomfort ? "lower than" : last.discomfort > first.discomfort ? "higher than" : "the same as";
    return { points, sentence: `Over ${sessionsWord(n)}, discomfort on the mat went from ${first.discomfort} in the first to ${last.discomfort} out of 10 in the latest, ${trend} at the start.` };
  }
  const early = mean(points.slice(0, 3).map((p) => p.discomfort));
  const late = mean(points.slice(-3).map((p) => p.discomfort));
  const diff = late - early;
  const change = Math.abs(diff) < 0.05 ? "about the same" : diff < 0 ? `${pointsWord(-diff)} lower` : `${pointsWord(diff)} higher`;
  return {
    points,
    sentence: `Over ${sessionsWord(n)}, discomfort on the mat averaged ${fmt(early)} out of 10 in the first three and ${fmt(late)} in the latest three: ${change}.`,
  };
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

const listWords = (parts: readonly string[]) => (parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1] ?? ""}`);

/**
 * Mean before and after each session for pain, tension, stress and relaxation, over the
 * sessions that have both ratings of that feeling (either may be skipped), and a sentence
 * that reports the changes without saying what caused them. A feeling never rated both
 * before and after is left out.
 */
export function summarizeChanges(sessions: readonly Rated[]): ChangeSummary {
  if (sessions.length === 0) return { changes: [], sentence: "No sessions yet, so there are no changes to show." };
  const changes = MEASURES.flatMap((measure): MeasureChange[] => {
    const pairs = sessions.flatMap((s) => {
      const before = s[`${measure}Before`];
      const after = s[`${measure}After`];
      return before === null || after === null ? [] : [{ before, after }];
    });
    if (pairs.length === 0) return [];
    return [
      {
        measure,
        count: pairs.length,
        meanBefore: round1(mean(pairs.map((p) => p.before))),
        meanAfter: round1(mean(pairs.map((p) => p.after))),
        meanChange: round1(mean(pairs.map((p) => p.after - p.before))),
      },
    ];
  });
  if (changes.length === 0) return { changes, sentence: "No session has a rating both before and after yet, so there are no changes to show." };
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
        ? sessions.length === 1
          ? "In your one session"
          : "In the one session rated before and after"
        : only === sessions.length
          ? `On average over ${sessionsWord(only)}`
          : `On average over the ${sessionsWord(only)} rated before and after`;
  return { changes, sentence: `${per}, from before to after, ${listWords(parts)} (points out of 10).` };
}
