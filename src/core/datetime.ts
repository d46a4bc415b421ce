/**
 * The one date and time formatter. Every date a person reads goes through here, in their
 * locale and time zone (stored times are UTC; a person sees their own clock). Formatters are
 * cached per locale, zone and style, since building an Intl.DateTimeFormat is slow.
 * @module
 */
import { TZDate } from "@date-fns/tz";

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
  /** "November 2026" */
  monthYear: { month: "long", year: "numeric" },
  /** "Wed 25 Nov" */
  weekday: { weekday: "short", day: "numeric", month: "short" },
  /** "Wednesday 25 November" */
  longWeekday: { weekday: "long", day: "numeric", month: "long" },
  /** "08:30" */
  time: { hour: "2-digit", minute: "2-digit" },
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

// ---------------------------------------------------------------------------------------
// Local days and wall times. Stored times are UTC instants; a person's "today", "day 5 of
// the plan" and the times they type are on their own clock, in an IANA time zone. The
// conversions go through @date-fns/tz (TZDate), which reads the zone rules of the runtime.
// ---------------------------------------------------------------------------------------

/** "2026-11-25": a calendar day, no time and no zone. */
export type LocalDate = string;
/** "2026-11-25T21:30": a wall-clock time, no zone. */
export type WallTime = string;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const TIME_ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/**
 * The canonical name of an IANA time zone ("europe/berlin" → "Europe/Berlin", "utc" → "UTC"),
 * or null when the runtime does not know it. Checked by building a formatter, since
 * `Intl.supportedValuesOf` leaves out aliases and, in some runtimes, "UTC" itself.
 */
export function parseTimeZone(name: unknown): string | null {
  if (typeof name !== "string" || !TIME_ZONE_SHAPE.test(name)) return null;
  const known = knownTimeZones.get(name);
  if (known !== undefined) return known;
  try {
    const canonical = new Intl.DateTimeFormat("en-GB", { timeZone: name }).resolvedOptions().timeZone;
    if (knownTimeZones.size < KNOWN_TIME_ZONES_MAX) knownTimeZones.set(name, canonical);
    return canonical;
  } catch {
    return null;
  }
}
/**
 * Names already checked, with their canonical form: building the formatter costs about 0.1 ms, and a signed-in page
 * checks its person's zone. Only names the runtime knows are kept (a few hundred, aliases and spellings included), and
 * at most KNOWN_TIME_ZONES_MAX, so made-up names sent to a form cannot grow it.
 */
const knownTimeZones = new Map<string, string>();
const KNOWN_TIME_ZONES_MAX = 2_000;

/** Whether `name` is a time zone the runtime knows. */
export const isTimeZone = (name: unknown): name is string => parseTimeZone(name) !== null;

/** Every time zone to choose from, "UTC" first, then by name. */
export function listTimeZones(): readonly string[] {
  if (!timeZones) {
    const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    timeZones = Object.freeze(["UTC", ...zones.filter((z) => z !== "UTC").sort()]);
  }
  return timeZones;
}
/** The runtime's zones do not change while it runs: listed and sorted once (about 430 of them). */
let timeZones: readonly string[] | undefined;

/** `instant` as the wall clock of `timeZone` shows it. */
function wallParts(instant: Date, timeZone: string) {
  const d = new TZDate(instant.getTime(), timeZone);
  return { y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate(), h: d.getHours(), min: d.getMinutes() };
}

/** The calendar day of `instant` in `timeZone`: 02:30 UTC on 26 November is the 25th in New York. */
export function getLocalDate(instant: Date, timeZone: string): LocalDate {
  const p = wallParts(instant, timeZone);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

/** {@link getLocalDate} of one instant for many people: each time zone's date is worked out once (it costs microseconds). */
export function localDatesAt(instant: Date): (timeZone: string) => LocalDate {
  const dates = new Map<string, LocalDate>();
  return (timeZone) => {
    let date = dates.get(timeZone);
    if (date === undefined) dates.set(timeZone, (date = getLocalDate(instant, timeZone)));
    return date;
  };
}

/** The wall-clock time of `instant` in `timeZone`, to the minute, as a `datetime-local` input shows it. */
export function getLocalWallTime(instant: Date, timeZone: string): WallTime {
  const p = wallParts(instant, timeZone);
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}T${pad(p.h)}:${pad(p.min)}`;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * The UTC instant of a wall-clock time ("2026-11-25T21:30", or a date alone for midnight) in
 * `timeZone`, or null when the text is not a real date and time. A time skipped when clocks go
 * forward is read as the same time after the change (02:30 → 03:30); a time that happens twice
 * when clocks go back is read as the first of the two.
 */
export function wallTimeToUtc(wall: string, timeZone: string): Date | null {
  const m = WALL_TIME.exec(wall);
  if (!m) return null;
  const [y, mo, d, h, min, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || min > 59 || s > 59) return null;
  const out = new TZDate(y, mo - 1, d, h, min, s, timeZone);
  const time = out.getTime();
  return Number.isNaN(time) ? null : new Date(time);
}

/** The instant a local day begins in `timeZone` (its local midnight, or the first minute after it on a DST day). */
export function getLocalMidnight(date: LocalDate, timeZone: string): Date {
  const out = wallTimeToUtc(date, timeZone);
  if (!out) throw new RangeError(`not a calendar date: ${date}`);
  return out;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `text` is a real calendar day "YYYY-MM-DD". */
export function isLocalDate(text: unknown): text is LocalDate {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const dayNumber = (date: LocalDate) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** Calendar days from `from` to `to` (both local days): 0 on the same day, 1 the day after, negative before. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(dayNumber(to) - dayNumber(from));
}

/** The local day `days` after `date` (negative: before). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday that starts the week (ISO 8601: Monday to Sunday) of a local day. */
export function getWeekStart(date: LocalDate): LocalDate {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(date, -weekday);
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];
const relativeCache = new Map<string, Intl.RelativeTimeFormat>();

/** How long before `now` a moment was, in words: "just now", "5 minutes ago", "2 hours ago", "yesterday". */
export function formatTimeAgo(date: Date | string, now: Date, locale = DEFAULT_CLOCK.locale): string {
  const seconds = Math.round((now.getTime() - new Date(date).getTime()) / 1000);
  if (Math.abs(seconds) < 60) return "just now";
  let fmt = relativeCache.get(locale);
  if (!fmt) {
    fmt = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    relativeCache.set(locale, fmt);
  }
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(seconds) >= size) return fmt.format(-Math.trunc(seconds / size), unit);
  }
  return "just now";
}
