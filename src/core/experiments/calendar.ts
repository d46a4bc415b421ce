/**
 * The calendar of an experiment: one reminder per day that asks something of the person, at the
 * protocol's local time, as a UTC instant (right across daylight-saving changes). The event
 * never says which condition the day has: the person learns that only on the day, in matwise.
 * @module
 */
import { wallTimeToUtc } from "../datetime";
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
export function createReminderEvents(schedule: readonly ScheduledDay[], protocol: Pick<Protocol, "sessionTime" | "sessionMinutes" | "timeZone">): ReminderEvent[] {
  return schedule.flatMap((d) => (d.kind === "period" ? [{ day: d.day, date: d.date, start: localTimeToUtc(d.date, protocol.sessionTime, protocol.timeZone), minutes: protocol.sessionMinutes }] : []));
}
