/**
 * Fitbit sleep logs: Google Takeout's `Fitbit/Global Export Data/sleep-YYYY-MM-DD.json` (a
 * JSON array of logs, `mainSleep`) and the Fitbit Web API's sleep log (`{"sleep": [...]}`,
 * `isMainSleep`). Each log has `startTime`/`endTime` as local wall times without a zone
 * ("2024-01-01T23:10:00.000"), `minutesAsleep`, `minutesToFallAsleep` and `timeInBed`; naps
 * (not the main sleep) are left out. Wall times are turned into instants in the person's zone.
 * @see https://dev.fitbit.com/build/reference/web-api/sleep/get-sleep-log-by-date/
 * @module
 */
import { wallTimeToUtc } from "../datetime";
import { ValidationError } from "../errors";
import { MAX_NIGHTS_PER_IMPORT, TOO_MANY_NIGHTS } from "./detect";
import { MAX_SLEEP_MINUTES, nightOf, roundMinutes, type SleepNight } from "./night";

const notFitbit = (why: string) =>
  new ValidationError("", {
    file: [
      `This JSON file is not a Fitbit sleep export: ${why}. Choose a sleep-….json file from Google Takeout (Fitbit, Global Export Data) or a Fitbit sleep log.`,
    ],
  });

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The logs of one file: an array, or `{ sleep: [...] }`. */
function logsOf(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  if (
    json &&
    typeof json === "object" &&
    Object.hasOwn(json, "sleep") &&
    Array.isArray((json as { sleep: unknown }).sleep)
  )
    return (json as { sleep: unknown[] }).sleep;
  throw notFitbit('it holds neither a list of sleep logs nor a "sleep" list');
}

/** Reads one Fitbit sleep JSON text into main-sleep nights (the longest main sleep per night). */
export function readFitbitSleep(text: string, timeZone: string): SleepNight[] {
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch {
    throw new ValidationError("", {
      file: [
        "The file could not be read as JSON: it may be cut off or not a Fitbit file. Download the export again and choose the new file.",
      ],
    });
  }
  const best = new Map<string, { night: SleepNight; asleep: number }>();
  for (const log of logsOf(json)) {
    if (!log || typeof log !== "object") throw notFitbit("an entry of the list is not a sleep log");
    const l = log as Record<string, unknown>;
    const start = str(l["startTime"]);
    const end = str(l["endTime"]);
    const asleep = num(l["minutesAsleep"]);
    if (!start || !end || asleep === null) throw notFitbit("a log has no startTime, endTime or minutesAsleep");
    const main = l["mainSleep"] ?? l["isMainSleep"];
    if (main === false) continue;
    const night = nightOf(start, end);
    const startUtc = wallTimeToUtc(start.slice(0, 19), timeZone);
    const endUtc = wallTimeToUtc(end.slice(0, 19), timeZone);
    if (!night || !startUtc || !endUtc || asleep < 0 || asleep > MAX_SLEEP_MINUTES)
      throw notFitbit(`the log starting ${start} has times or minutes that cannot be right`);
    const latency = num(l["minutesToFallAsleep"]);
    const onset = new Date(startUtc.getTime() + (latency ?? 0) * 60_000);
    const entry: SleepNight = {
      night,
      source: "fitbit",
      bedtime: startUtc.toISOString(),
      sleepOnset: onset.toISOString(),
      wakeTime: endUtc.toISOString(),
      totalSleepMinutes: roundMinutes(asleep),
      sleepLatencyMinutes:
        latency === null || latency < 0 || latency > MAX_SLEEP_MINUTES ? null : roundMinutes(latency),
    };
    const have = best.get(night);
    if (!have || asleep > have.asleep) best.set(night, { night: entry, asleep });
    if (best.size > MAX_NIGHTS_PER_IMPORT) throw new ValidationError("", { file: [TOO_MANY_NIGHTS] });
  }
  return [...best.values()].map((b) => b.night);
}
