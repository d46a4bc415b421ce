/**
 * A person's clock for experiments: their time zone, and the local date of an instant in it.
 * Day boundaries ("today", "day 5") are the person's local midnight.
 * @module
 */
import { DEFAULT_CLOCK, type Clock } from "../../core/datetime";

/** The person's clock (the account's time zone once accounts keep one; UTC until then). */
export function getPersonClock(_userId: string): Promise<Clock> {
  return Promise.resolve(DEFAULT_CLOCK);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  let fmt = dateFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timeZone, fmt);
  }
  return fmt.format(instant);
}
