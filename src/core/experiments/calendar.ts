/**
 * The calendar of an experiment: one reminder per day that asks something of the person, at the
 * protocol's local time, as a UTC instant (right across daylight-saving changes). The event
 * never says which condition the day has: the person learns that only on the day, in matwise.
 * @module
 */
import { addDays, wallTimeToUtc } from "../datetime";
import type { CalendarEvent } from "../reminders/calendar";
import type { Protocol } from "./protocol";
import type { ScheduledDay } from "./schedule";

/** The UTC instant of local wall time `time` (HH:MM) on `date` (YYYY-MM-DD) in `timeZone`. */
export function localTimeToUtc(date: string, time: string, timeZone: string): Date {
  const instant = wallTimeToUtc(`${date}T${time}`, timeZone);
  if (!instant) throw new RangeError(`not a date and time: ${date} ${time}`);
  return instant;
}

export interface ReminderEvent {
  day: number;
  date: string;
  start: Date;
  minutes: number;
}

/** One event per period day (rest days between pairs need nothing and get none). */
export function createReminderEvents(
  schedule: readonly ScheduledDay[],
  protocol: Pick<Protocol, "sessionTime" | "sessionMinutes" | "timeZone">,
): ReminderEvent[] {
  return schedule.flatMap((d) =>
    d.kind === "period"
      ? [
          {
            day: d.day,
            date: d.date,
            start: localTimeToUtc(d.date, protocol.sessionTime, protocol.timeZone),
            minutes: protocol.sessionMinutes,
          },
        ]
      : [],
  );
}

/**
 * The experiment's days as calendar events with an alarm, linking to Today (absolute, from
 * `siteUrl`). They never say the day's condition.
 */
export function createExperimentEvents(
  experimentId: string,
  events: readonly ReminderEvent[],
  total: number,
  siteUrl: string,
): CalendarEvent[] {
  const link = new URL("/today", siteUrl).toString();
  return events.map((e) => ({
    uid: `${experimentId}-day-${e.day}@matwise`,
    start: e.start,
    minutes: e.minutes,
    summary: `matwise experiment: day ${e.day} of ${total}`,
    description: `Open matwise to see today's assignment, then check in this evening: ${link}`,
    url: link,
    alarm: "Time for today's experiment session",
  }));
}

/** A check-in reminder on each period day at `time` (evening), or on the morning after (sleep), as events. */
export function createCheckInEvents(
  experimentId: string,
  schedule: readonly ScheduledDay[],
  check: { kind: "evening" | "morning"; time: string; timeZone: string; siteUrl: string },
): CalendarEvent[] {
  const link = new URL("/today", check.siteUrl).toString();
  return schedule.flatMap((d) => {
    if (d.kind !== "period") return [];
    const date = check.kind === "morning" ? addDays(d.date, 1) : d.date;
    const summary = check.kind === "morning" ? "matwise: how did you sleep?" : "matwise: evening check-in";
    return [
      {
        uid: `${experimentId}-${check.kind}-${d.day}@matwise`,
        start: localTimeToUtc(date, check.time, check.timeZone),
        minutes: 5,
        summary,
        description: `Record it in matwise: ${link}`,
        url: link,
        alarm: summary,
      },
    ];
  });
}
