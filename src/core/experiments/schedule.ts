/**
 * The schedule of a personal experiment: `pairs` pairs of periods of `periodDays` calendar
 * days from `startsOn` (the person's local date), each pair AB or BA by one fair draw from a
 * generator seeded with the experiment's stored seed, the first pair included. Same seed, same
 * schedule. The analysis permutes whole periods within a pair, so it is given the same blocks
 * and periods (the `period` column of `matwise analyze`).
 * @see Edgington & Onghena (2007), Randomization Tests, 4th ed. (random assignment within blocks).
 * @module
 */
import { addDays, daysBetween } from "../datetime";
import { createSeededRng } from "../stats/rng";
import type { Condition } from "../stats/experiment";
import type { Protocol } from "./protocol";

/** One calendar day of the schedule. Washout days belong to no block and are not analysed. */
export type ScheduledDay =
  | {
      date: string;
      day: number;
      kind: "period";
      block: number;
      period: number;
      condition: Condition;
      firstOfPeriod: boolean;
    }
  | { date: string; day: number; kind: "washout" };

/** The order of each pair: "AB" or "BA", one fair draw per pair from the seeded generator. */
export function drawPairOrders(seed: number, pairs: number): ("AB" | "BA")[] {
  const rng = createSeededRng(seed);
  return Array.from({ length: pairs }, () => (rng.uniform() < 0.5 ? "AB" : "BA"));
}

/** Every day of the experiment, in date order; day 1 is `startsOn`. */
export function createSchedule(
  protocol: Pick<Protocol, "startsOn" | "pairs" | "periodDays" | "washout">,
  seed: number,
): ScheduledDay[] {
  const orders = drawPairOrders(seed, protocol.pairs);
  const days: ScheduledDay[] = [];
  let offset = 0;
  orders.forEach((order, i) => {
    const block = i + 1;
    [order[0], order[1]].forEach((condition, j) => {
      for (let d = 0; d < protocol.periodDays; d++) {
        days.push({
          date: addDays(protocol.startsOn, offset),
          day: offset + 1,
          kind: "period",
          block,
          period: 2 * i + j + 1,
          condition: condition as Condition,
          firstOfPeriod: d === 0,
        });
        offset++;
      }
    });
    if (protocol.washout && block < protocol.pairs) {
      days.push({ date: addDays(protocol.startsOn, offset), day: offset + 1, kind: "washout" });
      offset++;
    }
  });
  return days;
}

/**
 * How many pairs have ended by `through` (a local date): the pairs whose last day is on or before
 * it. While an experiment runs its analyses take only these, so nothing analysed or exported lies
 * after the person's today (allocation concealment), and each pair enters the anytime answer
 * once, whole (decision 093).
 */
export function blocksCompleted(
  protocol: Pick<Protocol, "startsOn" | "pairs" | "periodDays" | "washout">,
  through: string,
): number {
  const pairDays = 2 * protocol.periodDays;
  const pairLength = pairDays + (protocol.washout ? 1 : 0);
  const elapsed = daysBetween(protocol.startsOn, through) - (pairDays - 1);
  if (elapsed < 0) return 0;
  return Math.min(protocol.pairs, Math.floor(elapsed / pairLength) + 1);
}
