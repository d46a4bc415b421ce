/**
 * The one way matwise writes iCalendar (RFC 5545): ical-generator does the escaping, folding
 * and line ends. Every event is timed, in UTC instants worked out from the person's local wall
 * time per date (so 21:00 in Berlin stays 21:00 across a daylight-saving change), and carries
 * a display alarm at its start.
 * @module
 */
import ical, { ICalAlarmType } from "ical-generator";

/** One timed event with an alarm. */
export interface CalendarEvent {
  /** Stable across downloads, so a calendar app updates the event instead of adding another. */
  uid: string;
  start: Date;
  minutes: number;
  summary: string;
  description: string;
  /** Absolute link to the page the event is about. */
  url: string;
  /** What the alarm says. */
  alarm: string;
}

/**
 * The events as an .ics file. `now` is every event's DTSTAMP. `refreshHours`, for a feed a
 * calendar app subscribes to, says how often it should look again.
 * @see https://www.rfc-editor.org/rfc/rfc5545 (VEVENT §3.6.1, VALARM §3.6.6)
 */
export function writeCalendar(
  name: string,
  events: readonly CalendarEvent[],
  opts: { now: Date; refreshHours?: number },
): string {
  const calendar = ical({ name, prodId: { company: "matwise", product: "reminders", language: "EN" } });
  if (opts.refreshHours) calendar.ttl(opts.refreshHours * 3600);
  for (const e of events) {
    const event = calendar.createEvent({
      id: e.uid,
      start: e.start,
      end: new Date(e.start.getTime() + e.minutes * 60_000),
      stamp: opts.now,
      summary: e.summary,
      description: e.description,
      url: e.url,
    });
    event.createAlarm({ type: ICalAlarmType.display, trigger: 0, description: e.alarm });
  }
  return calendar.toString();
}
