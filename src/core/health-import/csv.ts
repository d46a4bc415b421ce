/**
 * Sleep in CSV files: Oura's sleep periods and a plain diary kept by hand or in a spreadsheet.
 * Column names are compared without case, spaces or underscores ("Bedtime Start",
 * "bedtime_start" and "BedtimeStart" are one column); commas or semicolons separate fields.
 *
 * Oura: one row per sleep period with `bedtime_start` and `bedtime_end` (ISO 8601 with the
 * offset), the seconds asleep (`total_sleep_duration`, or `total` in the older export) and the
 * seconds to fall asleep (`latency`, or `onset_latency`). Naps and rest periods (`type`
 * late_nap, rest, deleted; or `is_longest` 0) are left out.
 * @see https://cloud.ouraring.com/v2/docs#tag/Sleep-Routes
 *
 * Plain: `date` (the evening the night began), `bedtime`, `sleep onset` and `wake time` as
 * HH:MM on the person's clock (onset and bedtime may be empty), and `total sleep minutes`.
 * @module
 */
import Papa from "papaparse";
import { addDays, wallTimeToUtc } from "../datetime";
import { ValidationError } from "../errors";
import { MAX_SLEEP_MINUTES, nightOf, roundMinutes, type SleepNight } from "./night";

const fileError = (message: string) => new ValidationError("", { file: [message] });
const normal = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

interface Table {
  header: Map<string, number>;
  rows: { line: number; cells: string[] }[];
}

/** The rows of a CSV text under its (normalized) header. */
function readTable(text: string): Table {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (source.includes("\u0000"))
    throw fileError("The file is not text (it holds binary data). Choose the CSV file itself.");
  const parsed = Papa.parse<string[]>(source.trim(), { skipEmptyLines: "greedy", delimitersToGuess: [",", ";", "\t"] });
  const [head, ...rest] = parsed.data;
  if (!head) throw fileError("The file is empty.");
  const header = new Map<string, number>();
  head.forEach((name, i) => header.set(normal(name), i));
  return { header, rows: rest.map((cells, i) => ({ line: i + 2, cells })) };
}

const column = (t: Table, ...names: string[]): number | undefined =>
  names.map((n) => t.header.get(n)).find((i) => i !== undefined);

/** Whether a CSV header is Oura's (bedtime start and end with a total), else the plain diary is assumed. */
export function isOuraHeader(firstLine: string): boolean {
  const names = new Set(firstLine.split(/[,;\t]/).map((n) => normal(n.replace(/"/g, ""))));
  return names.has("bedtimestart") && names.has("bedtimeend");
}

/** "2024-01-01T23:10:00+01:00" → its instant and local wall time, or null. */
function parseOffsetTime(text: string): { utc: Date; wall: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[2]}`);
  return Number.isNaN(ms) ? null : { utc: new Date(ms), wall: m[1]! };
}

const seconds = (text: string | undefined): number | null => {
  const t = (text ?? "").trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
};

/** Reads Oura's sleep CSV into nights (the longest main sleep of each night). */
export function readOuraCsv(text: string): SleepNight[] {
  const t = readTable(text);
  const start = column(t, "bedtimestart");
  const end = column(t, "bedtimeend");
  const total = column(t, "totalsleepduration", "total");
  const latency = column(t, "latency", "onsetlatency", "sleeplatency");
  const type = column(t, "type");
  const longest = column(t, "islongest");
  if (start === undefined || end === undefined || total === undefined) {
    throw fileError(
      "This is not Oura's sleep file: it needs the columns bedtime_start, bedtime_end and total_sleep_duration. Choose the sleep CSV from Oura's data export.",
    );
  }
  const best = new Map<string, SleepNight>();
  for (const { line, cells } of t.rows) {
    const kind = type === undefined ? "" : (cells[type] ?? "").trim();
    if (["late_nap", "rest", "deleted", "nap"].includes(kind)) continue;
    if (longest !== undefined && (cells[longest] ?? "").trim() === "0") continue;
    const a = parseOffsetTime(cells[start] ?? "");
    const b = parseOffsetTime(cells[end] ?? "");
    const asleep = seconds(cells[total]);
    if (!a || !b || asleep === null)
      throw fileError(
        `Row ${line}: bedtime_start and bedtime_end must be times such as 2024-01-01T23:10:00+01:00, and total_sleep_duration a number of seconds.`,
      );
    const night = nightOf(a.wall, b.wall);
    if (!night || asleep / 60 > MAX_SLEEP_MINUTES)
      throw fileError(
        `Row ${line}: the times or the total cannot be right (the night ends before it starts, or lasts over a day).`,
      );
    const lat = latency === undefined ? null : seconds(cells[latency]);
    const n: SleepNight = {
      night,
      source: "oura",
      bedtime: a.utc.toISOString(),
      sleepOnset: lat === null ? null : new Date(a.utc.getTime() + lat * 1000).toISOString(),
      wakeTime: b.utc.toISOString(),
      totalSleepMinutes: roundMinutes(asleep / 60),
      sleepLatencyMinutes: lat === null || lat / 60 > MAX_SLEEP_MINUTES ? null : roundMinutes(lat / 60),
    };
    const have = best.get(night);
    if (!have || n.totalSleepMinutes > have.totalSleepMinutes) best.set(night, n);
  }
  return [...best.values()].sort((x, y) => (x.night < y.night ? -1 : 1));
}

/** The plain diary's columns, as the page shows them. */
export const PLAIN_COLUMNS = ["date", "bedtime", "sleep onset", "wake time", "total sleep minutes"] as const;

const HHMM = /^(\d{1,2}):(\d{2})$/;

/**
 * The wall time of "HH:MM" in the night of `night`: times from noon on belong to that evening,
 * earlier ones to the next morning.
 */
function nightTime(night: string, hhmm: string): string | null {
  const m = HHMM.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  const day = Number(m[1]) >= 12 ? night : addDays(night, 1);
  return `${day}T${m[1]!.padStart(2, "0")}:${m[2]}`;
}

/** Reads the plain sleep CSV; times are on the person's clock (`timeZone`). */
export function readPlainSleepCsv(text: string, timeZone: string): SleepNight[] {
  const t = readTable(text);
  const idx = {
    date: column(t, "date", "night"),
    bedtime: column(t, "bedtime"),
    onset: column(t, "sleeponset"),
    wake: column(t, "waketime"),
    total: column(t, "totalsleepminutes"),
  };
  if (idx.date === undefined || idx.total === undefined) {
    throw fileError(
      `The CSV file needs at least the columns date and total sleep minutes (all columns: ${PLAIN_COLUMNS.join(", ")}). Oura's file needs bedtime_start and bedtime_end.`,
    );
  }
  const nights: SleepNight[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of t.rows) {
    const night = (cells[idx.date] ?? "").trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(night) || !wallTimeToUtc(night, timeZone))
      throw fileError(
        `Row ${line}: the date must be written as year-month-day, such as 2026-03-01 (the evening the night began).`,
      );
    if (seen.has(night)) throw fileError(`Row ${line}: the night of ${night} appears twice; keep one row per night.`);
    seen.add(night);
    const totalText = (cells[idx.total] ?? "").trim();
    const total = Number(totalText);
    if (!/^\d+(\.\d+)?$/.test(totalText) || total > MAX_SLEEP_MINUTES)
      throw fileError(`Row ${line}: total sleep minutes must be a number from 0 to ${MAX_SLEEP_MINUTES}, such as 420.`);
    const at = (i: number | undefined, name: string): Date | null => {
      const raw = i === undefined ? "" : (cells[i] ?? "").trim();
      if (raw === "") return null;
      const wall = nightTime(night, raw);
      const utc = wall ? wallTimeToUtc(wall, timeZone) : null;
      if (!utc) throw fileError(`Row ${line}: ${name} must be a time such as 23:15 (or empty).`);
      return utc;
    };
    const bedtime = at(idx.bedtime, "bedtime");
    const onset = at(idx.onset, "sleep onset");
    let wake = at(idx.wake, "wake time");
    // A wake time after noon (a late sleeper) is the next day's, not this evening's.
    if (wake && onset && wake <= onset) wake = new Date(wake.getTime() + 86_400_000);
    if (bedtime && onset && onset < bedtime) throw fileError(`Row ${line}: sleep onset is before bedtime.`);
    const latency = bedtime && onset ? (onset.getTime() - bedtime.getTime()) / 60_000 : null;
    nights.push({
      night,
      source: "csv",
      bedtime: bedtime?.toISOString() ?? null,
      sleepOnset: onset?.toISOString() ?? null,
      wakeTime: wake?.toISOString() ?? null,
      totalSleepMinutes: roundMinutes(total),
      sleepLatencyMinutes: latency === null || latency > MAX_SLEEP_MINUTES ? null : roundMinutes(latency),
    });
  }
  if (nights.length === 0) throw fileError("The file has a header but no nights under it.");
  return nights.sort((x, y) => (x.night < y.night ? -1 : 1));
}
