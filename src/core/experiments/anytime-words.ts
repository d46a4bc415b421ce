/**
 * The anytime answer of an experiment in plain words, and which answer leads in each phase:
 * while it runs (and after an early end) the anytime answer, valid however often the person
 * looks; once the planned days are done, the pre-registered fixed analysis (decision 093).
 * @module
 */
import { getLocalDate } from "../datetime";
import type { AnytimeResult } from "../stats/anytime";
import { COMPARATOR_NAME, OUTCOME_TEXT } from "./labels";
import { isImported, lastPlannedDay, type Comparator, type ExperimentProtocol, type Outcome } from "./protocol";

/**
 * running: planned days still to come; ended-early: the person stopped before the planned end;
 * complete: the planned days are done (or it ended after them); imported: a file brought in.
 */
export type ExperimentPhase = "running" | "ended-early" | "complete" | "imported";

/** The phase of an experiment on the person's local date `today`. */
export function experimentPhase(
  x: { protocol: ExperimentProtocol; state: string; endedAt: string | null },
  today: string,
): ExperimentPhase {
  const p = x.protocol;
  if (isImported(p)) return "imported";
  const lastDay = lastPlannedDay(p);
  if (x.state === "ended" && x.endedAt)
    return getLocalDate(new Date(x.endedAt), p.timeZone) < lastDay ? "ended-early" : "complete";
  return today > lastDay ? "complete" : "running";
}

/** A number for the sentence, one decimal, with a real minus sign. */
const one = (x: number) =>
  (Math.round(x * 10) / 10)
    .toFixed(1)
    .replace("-", "−")
    .replace(/^−0\.0$/, "0.0");

export interface AnytimeWords {
  /** One sentence: the answer. */
  headline: string;
  /** The range, in words ("between 0.4 and 1.8 points better with the mat"), or what it still needs. */
  range: string;
  /** Why it can be looked at every day. */
  why: string;
  /** The interval as the page shows it, rounded like every other number there (null: open at that end). */
  interval: [string | null, string | null];
}

/**
 * The anytime answer for a person: the verdict, the interval for the mat's benefit (positive:
 * better with the mat, as `cs95` of `matwise analyze`) and why looking daily is safe.
 */
export function anytimeWords(
  a: AnytimeResult,
  o: { outcome: Outcome; comparator: Comparator | "imported"; unit: string },
): AnytimeWords {
  const against = COMPARATOR_NAME[o.comparator];
  const what = OUTCOME_TEXT[o.outcome].label.toLowerCase();
  const headline =
    a.verdict === "benefit"
      ? `A clear answer: your ${what} has been better with the mat than with ${against}.`
      : a.verdict === "harm"
        ? `A clear answer: your ${what} has been worse with the mat than with ${against}.`
        : "No clear answer yet: the days so far do not show whether the mat makes a difference for you.";
  const [lo, hi] = a.cs95;
  const side = (x: number) =>
    x >= 0 ? `${one(x)} ${o.unit} better with the mat` : `${one(-x)} ${o.unit} worse with the mat`;
  const range =
    lo !== null && hi !== null
      ? `The difference the mat makes is likely between ${side(lo)} and ${side(hi)}.`
      : lo !== null
        ? `The difference the mat makes is likely at least ${side(lo)}; the other end is still open.`
        : hi !== null
          ? `The difference the mat makes is likely at most ${side(hi)}; the other end is still open.`
          : "The likely range is still open at both ends: it closes in as more pairs of days are rated.";
  const why =
    "You can look every day: this answer was built to stay honest however often you look and whenever you stop, and the range only narrows as days come in.";
  return { headline, range, why, interval: [lo === null ? null : one(lo), hi === null ? null : one(hi)] };
}

/** Why the planned analysis no longer applies after an early end, in words. */
export const WHY_NOT_FIXED_AFTER_EARLY_END =
  "You ended the experiment before its planned last day. The analysis planned at the start assumes the data are looked at once, at the end; after an early stop it would overstate how sure it is, so the answer above, built for stopping at any time, is the one that counts.";

/** What the planned analysis is, while the experiment runs. */
export function fixedAnalysisLater(lastDay: string): string {
  return `The analysis planned before you started is shown once every planned day is done (after ${lastDay}): it is the final word, and it is valid only when looked at once, at the end.`;
}
