/**
 * The one date and time formatter. Every date a person reads goes through here, in their
 * locale and time zone (stored times are UTC; a person sees their own clock). Formatters are
 * cached per locale, zone and style, since building an Intl.DateTimeFormat is slow.
 * @module
 */

/** Where a person reads a date: a BCP 47 locale and an IANA time zone. */
export interface Clock {
  locale: string;
  timeZone: string;
}

/** Until a person's own clock is known: British English on UTC, so server and tests agree. */
export const DEFAULT_CLOCK: Clock = { locale: "en-GB", timeZone: "UTC" };

const STYLES = {
  /** "25 November 2026" */
  date: { day: "numeric", month: "long", year: "numeric" },
  /** "25 Nov 2026, 08:30" */
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  /** "25 Nov 2026" */
  shortDate: { day: "numeric", month: "short", year: "numeric" },
  /** "Wed 25 Nov" */
  weekday: { weekday: "short", day: "numeric", month: "short" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateStyle = keyof typeof STYLES;

const cache = new Map<string, Intl.DateTimeFormat>();

/** `date` in the given style, as the person's clock shows it. */
export function formatDate(date: Date | string, style: DateStyle = "date", clock: Clock = DEFAULT_CLOCK): string {
  const key = `${clock.locale}|${clock.timeZone}|${style}`;
  let fmt = cache.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(clock.locale, { ...STYLES[style], timeZone: clock.timeZone });
    cache.set(key, fmt);
  }
  return fmt.format(typeof date === "string" ? new Date(date) : date);
}

/** A calendar date "2026-11-25" (no time, no zone) in the given style, read on its own day. */
export function formatCalendarDate(isoDate: string, style: DateStyle = "date", locale = DEFAULT_CLOCK.locale): string {
  return formatDate(new Date(`${isoDate}T12:00:00Z`), style, { locale, timeZone: "UTC" });
}
