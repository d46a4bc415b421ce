/**
 * Where a person stands in their plan on a given local day: before it starts, on day N (a
 * session or a rest day), or past its end. Days are the person's local calendar days, so
 * "day 5" begins at their midnight, wherever they are.
 * @module
 */
import { daysBetween, type LocalDate } from "../datetime";
import type { BreakInPlan, PlanDay } from "./plan";

type MadePlan = Extract<BreakInPlan, { kind: "plan" }>;

export type PlanToday =
  | { status: "before"; startsInDays: number; first: PlanDay; length: number }
  | { status: "on"; day: PlanDay; length: number; next: PlanDay | null }
  | { status: "after"; daysSinceEnd: number; last: PlanDay; length: number };

/** The plan's day for the local day `today` ("YYYY-MM-DD"), with the next session day after it. */
export function getPlanToday(plan: MadePlan, today: LocalDate): PlanToday {
  const first = plan.days[0] as PlanDay;
  const last = plan.days[plan.days.length - 1] as PlanDay;
  const length = plan.days.length;
  const index = daysBetween(first.date, today);
  if (index < 0) return { status: "before", startsInDays: -index, first, length };
  if (index >= length) return { status: "after", daysSinceEnd: index - length + 1, last, length };
  const day = plan.days[index] as PlanDay;
  return { status: "on", day, length, next: plan.days.slice(index + 1).find((d) => !d.rest) ?? null };
}

/** The plan's last session length: what to keep to once the plan is over. */
export function getTargetMinutes(plan: MadePlan): number {
  return Math.max(...plan.days.map((d) => d.minutes));
}
