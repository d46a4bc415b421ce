/**
 * Imported sleep next to what a person recorded: the nights beside the sleep diary, and the
 * measured sleep of an experiment's days as secondary outcomes (means by condition, never a
 * verdict: the verdict stays on the pre-registered primary outcome). A day's row holds the
 * sleep of the night after it, in the diary and in the import alike (see night.ts).
 * @module
 */
import { formatCalendarDate } from "../datetime";
import { formatSleepMinutes } from "./labels";
import { SLEEP_SOURCE_TEXT, type SleepNight, type SleepSource } from "./night";

type Night = Pick<SleepNight, "night" | "source" | "totalSleepMinutes" | "sleepLatencyMinutes">;

export interface SecondaryMeans {
  label: string;
  a: { mean: string; n: number } | null;
  b: { mean: string; n: number } | null;
}

const mean = (xs: number[]) =>
  xs.length
    ? { mean: (Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10).toString(), n: xs.length }
    : null;

/**
 * Per source, the measured total sleep time (and latency, where the source gives it) of the
 * nights after the days of each condition.
 */
export function measuredSleepMeans(
  days: readonly { date: string; condition: "A" | "B" }[],
  nights: readonly Night[],
): SecondaryMeans[] {
  const condition = new Map(days.map((d) => [d.date, d.condition]));
  const bySource = new Map<SleepSource, { tst: Record<"A" | "B", number[]>; sol: Record<"A" | "B", number[]> }>();
  for (const n of nights) {
    const c = condition.get(n.night);
    if (!c) continue;
    let s = bySource.get(n.source);
    if (!s) bySource.set(n.source, (s = { tst: { A: [], B: [] }, sol: { A: [], B: [] } }));
    s.tst[c].push(n.totalSleepMinutes);
    if (n.sleepLatencyMinutes !== null) s.sol[c].push(n.sleepLatencyMinutes);
  }
  const out: SecondaryMeans[] = [];
  for (const [source, s] of [...bySource].sort(([x], [y]) => (x < y ? -1 : 1))) {
    out.push({
      label: `Total sleep time in minutes, measured by ${SLEEP_SOURCE_TEXT[source]}`,
      a: mean(s.tst.A),
      b: mean(s.tst.B),
    });
    if (s.sol.A.length + s.sol.B.length > 0)
      out.push({
        label: `Minutes to fall asleep, measured by ${SLEEP_SOURCE_TEXT[source]}`,
        a: mean(s.sol.A),
        b: mean(s.sol.B),
      });
  }
  return out;
}

export interface DiaryDay {
  date: string;
  sleepQuality: number | null;
  sleepLatency: number | null;
  wakings: number | null;
}

export interface NightBesideDiary {
  /** "Night after Mon 1 March 2026"-style heading, in words. */
  night: string;
  /** What the person wrote in the morning, in words, or null. */
  diary: string | null;
  /** What each source measured, in words. */
  measured: { source: string; text: string }[];
}

/** The latest `limit` nights that have a diary entry or a measurement, newest first, in words. */
export function nightsBesideDiary(
  days: readonly DiaryDay[],
  nights: readonly Night[],
  limit = 14,
  locale = "en-GB",
): NightBesideDiary[] {
  const diary = new Map(days.map((d) => [d.date, d]));
  const measured = new Map<string, Night[]>();
  for (const n of nights) if (diary.has(n.night)) measured.set(n.night, [...(measured.get(n.night) ?? []), n]);
  const dates = days
    .map((d) => d.date)
    .filter((date) => {
      const d = diary.get(date)!;
      return measured.has(date) || d.sleepQuality !== null || d.sleepLatency !== null || d.wakings !== null;
    });
  return dates
    .sort()
    .reverse()
    .slice(0, limit)
    .map((date) => {
      const d = diary.get(date)!;
      const parts = [
        d.sleepQuality !== null ? `sleep quality ${d.sleepQuality} of 10` : null,
        d.sleepLatency !== null ? `${d.sleepLatency} min to fall asleep` : null,
        d.wakings !== null ? `woke ${d.wakings} ${d.wakings === 1 ? "time" : "times"}` : null,
      ].filter((p): p is string => p !== null);
      return {
        night: `Night after ${formatCalendarDate(date, "date", locale)}`,
        diary: parts.length ? parts.join(", ") : null,
        measured: (measured.get(date) ?? []).map((n) => ({
          source: SLEEP_SOURCE_TEXT[n.source],
          text: `${formatSleepMinutes(n.totalSleepMinutes)} asleep${n.sleepLatencyMinutes === null ? "" : `, ${Math.round(n.sleepLatencyMinutes)} min to fall asleep`}`,
        })),
      };
    });
}
