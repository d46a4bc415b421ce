/**
 * Apple Health's `export.xml` (from the Health app: profile, Export All Health Data), read as
 * a stream of text chunks with saxes, so a file of several gigabytes needs no more memory than
 * its sleep records. Only `<Record type="HKCategoryTypeIdentifierSleepAnalysis">` is kept;
 * every other record is skipped as it passes.
 *
 * Each record has `startDate`/`endDate` such as "2024-01-01 23:10:00 +0100" (the device's
 * local time and its offset) and a `value`: InBed, Awake, Asleep (before iOS 16),
 * AsleepUnspecified, AsleepCore, AsleepDeep or AsleepREM (HKCategoryValueSleepAnalysis…).
 * The asleep stretches of one device closer than an hour apart make one sleep; the longest
 * sleep of a night (of at least three hours) is its main sleep. When several devices recorded a night, the one that
 * saw the most sleep is kept (a watch, usually, rather than a phone's bedtime schedule).
 * Sleep onset latency is given where the same device also recorded getting into bed.
 * @see https://developer.apple.com/documentation/healthkit/hkcategoryvaluesleepanalysis
 * @module
 */
import { SaxesParser } from "saxes";
import { ValidationError } from "../errors";
import { nightOf, roundMinutes, type SleepNight } from "./night";

const SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis";
const VALUE_PREFIX = "HKCategoryValueSleepAnalysis";
const ASLEEP = new Set(["Asleep", "AsleepUnspecified", "AsleepCore", "AsleepDeep", "AsleepREM"]);

/** Asleep stretches of one device closer than this make one sleep. */
const JOIN_GAP_MINUTES = 60;
/**
 * Apple writes no flag for a nap: a sleep shorter than this (asleep) is not a night's main sleep,
 * so an afternoon nap never stands in for a night that was not recorded.
 */
export const MIN_MAIN_SLEEP_MINUTES = 180;
/** A bedtime more than this before falling asleep is not the same going to bed. */
const MAX_LATENCY_MINUTES = 180;
/**
 * The longest stretch between two `<` the reader takes: a tag with its attributes, or a text.
 * Apple's tags are a few hundred characters; the XML parser holds one whole attribute or text
 * in memory, so a 300 MB attribute (a 0.3 MB zip) would cost 300 MB or more (issue 25).
 */
export const MAX_XML_RUN_CHARS = 1024 * 1024;
const TOO_LONG =
  "The export holds an attribute or a text longer than a megabyte, which no Apple Health export has: the file is damaged or was made by something else. Export it again from the Health app and choose the new file.";

/** More sleep records than this is not one person's export: refuse rather than run out of memory. */
export const MAX_APPLE_SLEEP_RECORDS = 2_000_000;

/** "2024-01-01 23:10:00 +0100" → the UTC instant (ms) and the local wall time ("2024-01-01T23:10:00"). */
export function parseAppleDate(text: string): { ms: number; wall: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const wall = `${m[1]}T${m[2]}`;
  const ms = Date.parse(`${wall}${m[3]}${m[4]}:${m[5]}`);
  return Number.isNaN(ms) ? null : { ms, wall };
}

interface Interval {
  start: number;
  end: number;
  /** Local wall time of the start and the end, for the night. */
  startWall: string;
  endWall: string;
}

interface Sleep extends Interval {
  asleepMs: number;
  device: string;
}

/** The union length of sorted intervals (ms). */
function unionMs(sorted: readonly Interval[]): number {
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const i of sorted) {
    if (i.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = i.start;
      curEnd = i.end;
    } else if (i.end > curEnd) curEnd = i.end;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** The sleeps of one device: asleep stretches joined across gaps under an hour. */
function sleepsOf(device: string, asleep: Interval[]): Sleep[] {
  asleep.sort((a, b) => a.start - b.start);
  const out: Sleep[] = [];
  let group: Interval[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const last = group.reduce((a, b) => (b.end > a.end ? b : a));
    out.push({
      start: group[0]!.start,
      startWall: group[0]!.startWall,
      end: last.end,
      endWall: last.endWall,
      asleepMs: unionMs(group),
      device,
    });
    group = [];
  };
  let reach = -Infinity;
  for (const i of asleep) {
    if (group.length && i.start - reach > JOIN_GAP_MINUTES * 60_000) flush();
    group.push(i);
    reach = Math.max(reach, i.end);
  }
  flush();
  return out;
}

/** Streams an Apple Health export: `write` each text chunk in order, then `end` for the nights. */
export interface AppleHealthReader {
  write(chunk: string): void;
  end(): SleepNight[];
  /** Sleep records seen so far. */
  readonly records: number;
}

const notApple = () =>
  new ValidationError("", {
    file: [
      "This XML file is not an Apple Health export: it has no <HealthData> element. Choose export.xml from the Health app's export, or the export.zip itself.",
    ],
  });

/** A reader for one export. Messages name what is wrong in words; nothing is returned until the whole file was read. */
export function createAppleHealthReader(): AppleHealthReader {
  const parser = new SaxesParser({ position: false });
  const asleepByDevice = new Map<string, Interval[]>();
  const inBedByDevice = new Map<string, Interval[]>();
  let sawRoot = false;
  let records = 0;
  let failure: Error | null = null;
  /** Characters since the last `<`, across chunks. */
  let run = 0;
  const checkRuns = (chunk: string) => {
    for (let from = 0; ;) {
      const at = chunk.indexOf("<", from);
      run += (at === -1 ? chunk.length : at) - from;
      if (run > MAX_XML_RUN_CHARS) throw new ValidationError("", { file: [TOO_LONG] });
      if (at === -1) return;
      run = 0;
      from = at + 1;
    }
  };

  parser.on("error", (err) => {
    failure ??= err;
  });
  parser.on("opentag", (tag) => {
    if (!sawRoot) {
      if (tag.name !== "HealthData") throw notApple();
      sawRoot = true;
      return;
    }
    if (tag.name !== "Record") return;
    const a = tag.attributes as Record<string, string>;
    if (a["type"] !== SLEEP_TYPE) return;
    const value = (a["value"] ?? "").startsWith(VALUE_PREFIX) ? a["value"]!.slice(VALUE_PREFIX.length) : "";
    const isAsleep = ASLEEP.has(value);
    if (!isAsleep && value !== "InBed") return;
    const start = parseAppleDate(a["startDate"] ?? "");
    const end = parseAppleDate(a["endDate"] ?? "");
    if (!start || !end || end.ms <= start.ms) return;
    if (++records > MAX_APPLE_SLEEP_RECORDS)
      throw new ValidationError("", {
        file: [
          `The export holds more than ${MAX_APPLE_SLEEP_RECORDS.toLocaleString("en")} sleep records, more than matwise can read at once.`,
        ],
      });
    const device = a["sourceName"] ?? "";
    const map = isAsleep ? asleepByDevice : inBedByDevice;
    let list = map.get(device);
    if (!list) map.set(device, (list = []));
    list.push({ start: start.ms, end: end.ms, startWall: start.wall, endWall: end.wall });
  });

  const check = () => {
    if (failure) {
      const f = failure;
      failure = null;
      throw f instanceof ValidationError
        ? f
        : new ValidationError("", {
            file: [
              `The file could not be read as XML (${f.message.replace(/^[^:]*:\d+:\d+: /, "")}). Export it again from the Health app and choose the new file.`,
            ],
          });
    }
  };

  return {
    get records() {
      return records;
    },
    write(chunk) {
      checkRuns(chunk);
      try {
        parser.write(chunk);
      } catch (err) {
        if (err instanceof ValidationError) throw err;
        failure ??= err as Error;
      }
      check();
    },
    end() {
      try {
        parser.close();
      } catch (err) {
        if (err instanceof ValidationError) throw err;
        failure ??= err as Error;
      }
      if (failure && /unclosed|unexpected end|not well-formed|root/i.test(failure.message) && sawRoot) {
        throw new ValidationError("", {
          file: [
            "The export ends early: the file is cut off (it may not have finished downloading or copying). Export it again from the Health app.",
          ],
        });
      }
      check();
      if (!sawRoot) throw notApple();
      return nightsFromApple(asleepByDevice, inBedByDevice);
    },
  };
}

/** Per night, the main sleep of the device that saw the most sleep, with latency where that device recorded bedtime. */
function nightsFromApple(
  asleepByDevice: Map<string, Interval[]>,
  inBedByDevice: Map<string, Interval[]>,
): SleepNight[] {
  const best = new Map<string, Sleep>();
  for (const [device, asleep] of asleepByDevice) {
    for (const s of sleepsOf(device, asleep)) {
      const night = nightOf(s.startWall, s.endWall);
      if (!night || s.asleepMs < MIN_MAIN_SLEEP_MINUTES * 60_000) continue;
      const have = best.get(night);
      if (!have || s.asleepMs > have.asleepMs) best.set(night, s);
    }
  }
  const out: SleepNight[] = [];
  for (const [night, s] of [...best].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const bed = (inBedByDevice.get(s.device) ?? [])
      .filter((b) => b.start <= s.start && b.end > s.start && s.start - b.start <= MAX_LATENCY_MINUTES * 60_000)
      .sort((a, b) => a.start - b.start)[0];
    out.push({
      night,
      source: "apple-health",
      bedtime: bed ? new Date(bed.start).toISOString() : null,
      sleepOnset: new Date(s.start).toISOString(),
      wakeTime: new Date(s.end).toISOString(),
      totalSleepMinutes: roundMinutes(s.asleepMs / 60_000),
      sleepLatencyMinutes: bed ? roundMinutes((s.start - bed.start) / 60_000) : null,
    });
  }
  return out;
}
