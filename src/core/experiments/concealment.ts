/**
 * Allocation concealment: while an experiment runs, no day's condition leaves the server before
 * that day (the person's local date), and neither does the seed that reproduces the order. Once
 * the experiment has ended everything is shown. Every path that sends days out (pages, all.csv,
 * data.csv, results.json, the account's exports, a study's export) goes through these functions.
 * Within a pair that has begun, the other period's condition can be inferred (one A, one B):
 * that is the design (decision 093).
 * @see Schulz & Grimes (2002), Lancet 359:614–618 (allocation concealment).
 * @module
 */
import { getLocalDate } from "../datetime";
import { isImported, lastPlannedDay, type ExperimentProtocol } from "./protocol";

/** What concealment needs to know: the person's local today, and whether the experiment has ended. */
export interface ConcealmentClock {
  today: string;
  ended: boolean;
}

/** Whether the condition of the day `date` (YYYY-MM-DD, local) must still be kept back. */
export function isConcealed(date: string, clock: ConcealmentClock): boolean {
  return !clock.ended && date > clock.today;
}

/** The words that stand in for a condition not yet shown: "concealed until 2026-12-09". */
export function concealedUntil(date: string): string {
  return `concealed until ${date}`;
}

/** A day as it may leave the server: its condition, or "concealed until <its date>". */
export function concealCondition<Day extends { date: string; condition: string | null }>(
  day: Day,
  clock: ConcealmentClock,
): Day | (Omit<Day, "condition"> & { condition: string }) {
  return isConcealed(day.date, clock) ? { ...day, condition: concealedUntil(day.date) } : day;
}

/** The schedule's seed as it may leave the server: only once the experiment has ended. */
export function concealSeed(seed: number | null, ended: boolean): number | string | null {
  return seed === null || ended ? seed : "concealed until the experiment ends";
}

/**
 * The concealment clock of an experiment at the instant `now`: its local today, and whether it
 * has ended (ended by the person, or every planned day is past; an import is never concealed).
 */
export function concealmentOf(
  experiment: { protocol: ExperimentProtocol; state: string },
  now: Date,
): ConcealmentClock {
  const p = experiment.protocol;
  const today = getLocalDate(now, p.timeZone);
  if (isImported(p)) return { today, ended: true };
  return { today, ended: experiment.state === "ended" || today > lastPlannedDay(p) };
}

/**
 * Whether an experiment is still under way at `now`: designed here, not ended, and with a planned
 * day still to come. A person has at most one (decision 093): two at once would give one day two
 * instructions.
 */
export function isUnderway(experiment: { protocol: ExperimentProtocol; state: string }, now: Date): boolean {
  return !concealmentOf(experiment, now).ended;
}
