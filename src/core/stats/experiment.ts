/**
 * One person's randomized experiment: the day table, its validation, and the two views the
 * analyses need (the randomization blocks and their periods, and the series over consecutive
 * calendar days).
 * @module
 */
import { parseCsvWithOptional } from "../csv";
import { ValidationError } from "../errors";
import { parseDecimal, parseInteger, rowError } from "./fields";

/** A = the mat, B = the comparator. */
export type Condition = "A" | "B";

/** One day of an experiment. `value` is null when the day was not measured. */
export interface Day {
  /** Calendar date, YYYY-MM-DD, unique within an experiment. */
  date: string;
  /** Randomization block (an integer); labels are permuted within a block. */
  block: number;
  condition: Condition;
  value: number | null;
  /**
   * Period within the block (an integer), when periods last longer than a day: the days of one
   * block and period share one condition, and whole periods are randomized. Either every day has
   * one or none has; without, every day is its own period.
   */
  period?: number;
}

/** A day row as read from a file, before validation; `row` is the 1-based line number. */
export interface RawDayRow {
  row: number;
  date: string;
  block: string;
  condition: string;
  value: string;
  /** Present when the file has a `period` column. */
  period?: string;
}

/** Longest calendar span accepted (about 27 years): the sampler allocates one slot per day. */
export const MAX_SPAN_DAYS = 10_000;

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a valid YYYY-MM-DD date, or null when the text is no real date. */
export function parseIsoDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return Math.round(ms / MS_PER_DAY);
}

/** A day with its date as a day number and its place for messages: "row 7" (`row` set) or "day 2024-01-07". */
interface PlacedDay {
  day: Day & { period: number };
  index: number;
  where: string;
  row?: number;
}

interface PeriodSeen {
  period: number;
  condition: Condition;
  first: PlacedDay;
}

/**
 * The first problem with the periods of `days` (sorted by date), or null: the days of one block
 * and period share one condition and are consecutive in date order within their block (days of
 * other blocks may lie between), and each block has exactly two periods, one A and one B.
 */
function findPeriodProblem(days: readonly PlacedDay[]): { at: PlacedDay; problem: string } | null {
  const blocks = new Map<number, PeriodSeen[]>();
  for (const placed of days) {
    const { block, period, condition } = placed.day;
    let seen = blocks.get(block);
    if (!seen) blocks.set(block, (seen = []));
    const current = seen[seen.length - 1];
    if (current?.period === period) {
      if (condition !== current.condition) {
        return {
          at: placed,
          problem: `period ${period} of block ${block} is ${condition} here but ${current.condition} on ${current.first.where} (the days of a period share one condition)`,
        };
      }
      continue;
    }
    if (seen.some((s) => s.period === period)) {
      return {
        at: placed,
        problem: `period ${period} of block ${block} resumes after period ${current!.period} began on ${current!.first.where} (a period's days must be consecutive in date order within its block)`,
      };
    }
    if (seen.length === 2) {
      return {
        at: placed,
        problem: `block ${block} has a third period (${period}); each block needs exactly two periods, one A and one B`,
      };
    }
    if (current && current.condition === condition) {
      return {
        at: placed,
        problem: `both periods of block ${block} are ${condition} (the first begins on ${current.first.where}); each block needs one A period and one B period`,
      };
    }
    seen.push({ period, condition, first: placed });
  }
  for (const [block, seen] of blocks) {
    if (seen.length === 1) {
      return {
        at: seen[0]!.first,
        problem: `block ${block} has only one period (${seen[0]!.period}); each block needs exactly two periods, one A and one B`,
      };
    }
  }
  return null;
}

/**
 * Validates day rows (date format and uniqueness, integer block, condition A/B, numeric or
 * empty value, at least 2 rows; with a period column, an integer period and the period rules of
 * {@link createExperimentDesign}). Throws a {@link ValidationError} naming the first bad row.
 */
export function parseDayRows(rows: readonly RawDayRow[]): Day[] {
  if (rows.length < 2) throw rowError(rows[0]?.row ?? 2, `need at least 2 day rows, found ${rows.length}`);
  const seen = new Map<string, number>();
  const days = rows.map((raw): Day => {
    const date = raw.date.trim();
    if (parseIsoDate(date) === null) throw rowError(raw.row, `date "${date}" is not a valid YYYY-MM-DD date`);
    const first = seen.get(date);
    if (first !== undefined) throw rowError(raw.row, `duplicate date ${date} (first on row ${first})`);
    seen.set(date, raw.row);
    const block = parseInteger(raw.block, raw.row, "block");
    const condition = raw.condition.trim();
    if (condition !== "A" && condition !== "B") {
      throw rowError(raw.row, `condition "${condition}" is unknown (use A for the mat, B for the comparator)`);
    }
    const value = raw.value.trim() === "" ? null : parseDecimal(raw.value, raw.row, "value");
    if (raw.period === undefined) return { date, block, condition, value };
    return { date, block, condition, value, period: parseInteger(raw.period, raw.row, "period") };
  });
  if (rows.some((raw) => raw.period !== undefined)) {
    const placed = days.map((day, i): PlacedDay => {
      const row = rows[i]!.row;
      return { day: day as PlacedDay["day"], index: parseIsoDate(day.date)!, where: `row ${row}`, row };
    });
    const found = findPeriodProblem(placed.sort((a, b) => a.index - b.index));
    if (found) throw rowError(found.at.row!, found.problem);
  }
  return days;
}

/** The columns of the `matwise analyze` input, in any order, and the optional one. */
export const ANALYZE_COLUMNS = ["date", "block", "condition", "value"] as const;
export const ANALYZE_OPTIONAL_COLUMNS = ["period"] as const;

/** An analyze CSV read into validated days, each with the line it came from. */
export interface AnalyzeCsv {
  days: Day[];
  /** The line of each day in the file (the header is row 1), in the order of `days`. */
  rows: number[];
  /** Whether the file has the `period` column (then every day has a period). */
  periodColumn: boolean;
}

/**
 * Reads the text of a `matwise analyze` file (date,block,condition,value in any order, and an
 * optional period column) into validated days. Every failure is a {@link ValidationError} with
 * one line that names the row, the same for the command, the web pages and imports.
 */
export function parseAnalyzeCsv(text: string): AnalyzeCsv {
  const records = parseCsvWithOptional(text, ANALYZE_COLUMNS, ANALYZE_OPTIONAL_COLUMNS);
  const days = parseDayRows(records.map(({ row, fields }) => ({ row, ...fields })));
  return { days, rows: records.map((r) => r.row), periodColumn: days.some((d) => d.period !== undefined) };
}

/** The experiment in the typed-array form the analyses use. Days are sorted by date. */
export interface ExperimentDesign {
  days: readonly Day[];
  /** Per day (date order): the value, NaN when missing. */
  values: Float64Array;
  /** Per day: 1 when the observed label is A. */
  isA: Uint8Array;
  /** Day indices of each block, blocks in ascending block number. */
  blocks: Int32Array[];
  /**
   * When the days carry periods: per block (in the order of `blocks`) its two periods in date
   * order, each the day indices; these are the units that are randomized. Absent when every day
   * is its own period.
   */
  periods?: Int32Array[][];
  /** Per consecutive calendar day from the first to the last date: value or NaN. */
  calendarValues: Float64Array;
  /** Per calendar day: 1 for an A day, 0 for a B day or a day without a row. */
  calendarIsA: Float64Array;
  /** Calendar days between the first and last date that have no row. */
  calendarGapDays: number;
}

/**
 * Sorts and indexes validated days. Throws {@link ValidationError} on duplicates, a too long
 * span, or periods that break the rules: every day or none has a period; the days of one block
 * and period share one condition and are consecutive in date order within the block; each block
 * has exactly two periods, one A and one B.
 */
export function createExperimentDesign(input: readonly Day[]): ExperimentDesign {
  const dated = input.map((day) => {
    const index = parseIsoDate(day.date);
    if (index === null) throw new ValidationError(`date "${day.date}" is not a valid YYYY-MM-DD date`);
    if (day.value !== null && !Number.isFinite(day.value))
      throw new ValidationError(`value on ${day.date} is not finite`);
    return { day, index };
  });
  dated.sort((a, b) => a.index - b.index);
  const n = dated.length;
  if (n === 0) throw new ValidationError("the experiment has no days");
  for (let i = 1; i < n; i++) {
    if (dated[i]!.index === dated[i - 1]!.index) throw new ValidationError(`duplicate date ${dated[i]!.day.date}`);
  }
  const withPeriod = dated.filter(({ day }) => day.period !== undefined).length;
  if (withPeriod > 0) {
    const bad = dated.find(({ day }) => (day.period === undefined ? true : !Number.isSafeInteger(day.period)));
    if (bad) {
      throw new ValidationError(
        bad.day.period === undefined
          ? `day ${bad.day.date}: no period, though other days have one (give every day a period, or none)`
          : `day ${bad.day.date}: period ${bad.day.period} is not an integer`,
      );
    }
    const found = findPeriodProblem(
      dated.map(({ day, index }) => ({ day: day as PlacedDay["day"], index, where: `day ${day.date}` })),
    );
    if (found) throw new ValidationError(`${found.at.where}: ${found.problem}`);
  }
  const first = dated[0]!.index;
  const span = dated[n - 1]!.index - first + 1;
  if (span > MAX_SPAN_DAYS)
    throw new ValidationError(`the dates span ${span} days; at most ${MAX_SPAN_DAYS} are supported`);

  const values = new Float64Array(n);
  const isA = new Uint8Array(n);
  const calendarValues = new Float64Array(span).fill(Number.NaN);
  const calendarIsA = new Float64Array(span);
  const blockDays = new Map<number, number[]>();
  dated.forEach(({ day, index }, i) => {
    values[i] = day.value ?? Number.NaN;
    isA[i] = day.condition === "A" ? 1 : 0;
    calendarValues[index - first] = values[i]!;
    calendarIsA[index - first] = isA[i]!;
    const list = blockDays.get(day.block);
    if (list) list.push(i);
    else blockDays.set(day.block, [i]);
  });
  const blocks = [...blockDays.keys()].sort((a, b) => a - b).map((key) => Int32Array.from(blockDays.get(key)!));
  const design: ExperimentDesign = {
    days: dated.map(({ day }) => day),
    values,
    isA,
    blocks,
    calendarValues,
    calendarIsA,
    calendarGapDays: span - n,
  };
  if (withPeriod > 0) {
    // Validated above: within a block (days in date order) each period is one run of days.
    design.periods = blocks.map((block) => {
      const runs: number[][] = [];
      let last: number | undefined;
      for (const day of block) {
        const period = dated[day]!.day.period!;
        if (period !== last) runs.push([]);
        runs[runs.length - 1]!.push(day);
        last = period;
      }
      return runs.map((run) => Int32Array.from(run));
    });
  }
  return design;
}
