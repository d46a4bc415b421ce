/**
 * One night of sleep measured by a device or kept in another app, and how a stretch of sleep is
 * given its night. matwise names a night by the evening it began, as the sleep diary does (the
 * morning check-in of 2 March is stored on 1 March, "the night after 1 March"): the main sleep
 * whose middle falls between noon on D and noon on D + 1, local time, is the night of D.
 * @module
 */
import { addDays } from "../datetime";

/** Where imported sleep came from. */
export const SLEEP_SOURCES = ["apple-health", "fitbit", "oura", "csv"] as const;
export type SleepSource = (typeof SLEEP_SOURCES)[number];

/** The sources in words, for pages, the export and messages. */
export const SLEEP_SOURCE_TEXT: Record<SleepSource, string> = {
  "apple-health": "Apple Health",
  fitbit: "Fitbit or Google",
  oura: "Oura",
  csv: "a CSV file",
};

/** The longest total sleep a night may have, in minutes (a full day): more is a misread file. */
export const MAX_SLEEP_MINUTES = 24 * 60;

/** One night's objective sleep measures, from one source. Times are UTC ISO 8601 instants. */
export interface SleepNight {
  /** The evening the night began, YYYY-MM-DD (see the module comment). */
  night: string;
  source: SleepSource;
  /** Getting into bed, when the source says. */
  bedtime: string | null;
  /** Falling asleep (the start of the first sleep). */
  sleepOnset: string | null;
  /** Waking for the day (the end of the last sleep). */
  wakeTime: string | null;
  /** Minutes asleep, stages of wakefulness left out. */
  totalSleepMinutes: number;
  /** Minutes from getting into bed to falling asleep, only where the source gives (or measures) both. */
  sleepLatencyMinutes: number | null;
}

/** A wall-clock time, "YYYY-MM-DDTHH:MM[:SS]" (no zone): the person's local time when it was measured. */
const WALL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

/** Minutes since 1970-01-01 00:00 of a wall-clock time read as if it were UTC (a number to subtract, not an instant). */
export function wallMinutes(wall: string): number | null {
  const m = WALL.exec(wall);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? "00"}Z`);
  return Number.isNaN(ms) ? null : ms / 60_000;
}

/**
 * The night a stretch of sleep belongs to, from its local start and end (wall-clock times):
 * the evening before its middle, counted from noon. 23:00–07:00 and 02:00–10:00 both belong to
 * the night of the first evening.
 */
export function nightOf(startWall: string, endWall: string): string | null {
  const a = wallMinutes(startWall);
  const b = wallMinutes(endWall);
  if (a === null || b === null || b < a) return null;
  const middle = (a + b) / 2 - 12 * 60;
  return new Date(middle * 60_000).toISOString().slice(0, 10);
}

/** The night after `night` (a check that nights follow on). */
export const nextNight = (night: string) => addDays(night, 1);

/** Keeps one night per source and night: a later one replaces an earlier one (the same night imported twice). */
export function dedupeNights(nights: Iterable<SleepNight>): SleepNight[] {
  const byKey = new Map<string, SleepNight>();
  for (const n of nights) {
    const key = `${n.source}/${n.night}`;
    byKey.delete(key);
    byKey.set(key, n);
  }
  return [...byKey.values()].sort((x, y) =>
    x.night < y.night ? -1 : x.night > y.night ? 1 : x.source < y.source ? -1 : 1,
  );
}

/** Rounds minutes to one decimal, as they are stored and shown. */
export const roundMinutes = (m: number) => Math.round(m * 10) / 10;
