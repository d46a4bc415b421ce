/**
 * A break-in plan as calendar events: one timed event per mat day at the person's chosen local
 * time, with an alarm (rest days are left out). Pure: the caller passes the time stamp, ids, the
 * time zone and the site's address; src/core/reminders/calendar.ts writes the file.
 * @module
 */
import { localTimeToUtc } from "../experiments/calendar";
import { writeCalendar, type CalendarEvent } from "../reminders/calendar";
import { LAYER_TEXT, POSITION_TEXT } from "../sessions/labels";
import type { BreakInPlan, PlanDay } from "./plan";

/** The one-line title of a plan day, e.g. "Mat: 10 min, lying on the mat, through clothing". */
export function describePlanDay(day: PlanDay): string {
  if (day.rest) return "Rest day: no mat today";
  return `Mat: ${day.minutes} min, ${POSITION_TEXT[day.position].toLowerCase()}, ${LAYER_TEXT[day.layer].toLowerCase()}`;
}

export interface PlanCalendarOptions {
  /** Makes the UIDs unique to this plan. */
  planId: string;
  /** Local wall time of each session, HH:MM. */
  time: string;
  /** IANA zone the time is in. */
  timeZone: string;
  /** Absolute origin for links, e.g. https://matwise.example. */
  siteUrl: string;
}

/** One event per session day of the plan, at `time` on the person's clock. */
export function createPlanEvents(
  plan: Extract<BreakInPlan, { kind: "plan" }>,
  opts: PlanCalendarOptions,
): CalendarEvent[] {
  const total = plan.days.length;
  const timer = new URL("/timer", opts.siteUrl).toString();
  return plan.days.flatMap((day) => {
    if (day.rest) return [];
    const description = [
      `Day ${day.day} of ${total} of your break-in plan.`,
      `${day.minutes} minutes, ${POSITION_TEXT[day.position].toLowerCase()}, ${LAYER_TEXT[day.layer].toLowerCase()}.`,
      day.layer === "bare-skin"
        ? "Bare skin only if it feels comfortable; otherwise stay with a thin layer."
        : "Keep a thin layer of clothing, or socks for the feet, between you and the spikes.",
      "Stop at once if you feel numbness, sharp pain that does not fade or dizziness, or if the skin breaks.",
      `Timer and log: ${timer}`,
    ].join("\n");
    return [
      {
        uid: `${opts.planId}-day${day.day}@matwise`,
        start: localTimeToUtc(day.date, opts.time, opts.timeZone),
        minutes: day.minutes,
        summary: describePlanDay(day),
        description,
        url: timer,
        alarm: "Time for today's mat session",
      },
    ];
  });
}

/**
 * The plan as an .ics calendar: one timed VEVENT with a VALARM per session day.
 * @see https://www.rfc-editor.org/rfc/rfc5545
 */
export function createPlanIcs(
  plan: Extract<BreakInPlan, { kind: "plan" }>,
  opts: PlanCalendarOptions & { now: Date },
): string {
  return writeCalendar("matwise break-in plan", createPlanEvents(plan, opts), { now: opts.now });
}
