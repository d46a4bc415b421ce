/**
 * One person's randomized experiment: the day table, its validation, and the two views the
 * analyses need (the randomization blocks, and the series over consecutive calendar days).
 * @module
 */
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
}

/** A day row as read from a file, before validation; `row` is the 1-based line number. */
export interface RawDayRow {
  row: number;
  date: string;
  block: string;
  condition: string;
  value: string;
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

/**
 * Validates day rows (date format and uniqueness, integer block, condition A/B, numeric or
 * empty value, at least 2 rows). Throws a {@link ValidationError} naming the first bad row.
 */
export function parseDayRows(rows: readonly RawDayRow[]): Day[] {
  if (rows.length < 2) throw rowError(rows[0]?.row ?? 2, `need at least 2 day rows, found ${rows.length}`);
  const seen = new Map<string, number>();
  return rows.map((raw) => {
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
    return { date, block, condition, value };
  });
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
  /** Per consecutive calendar day from the first to the last date: value or NaN. */
  calendarValues: Float64Array;
  /** Per calendar day: 1 for an A day, 0 for a B day or a day without a row. */
  calendarIsA: Float64Array;
  /** Calendar days between the first and last date that have no row. */
  calendarGapDays: number;
}

/** Sorts and indexes validated days. Throws {@link ValidationError} on duplicates or a too long span. */
export function createExperimentDesign(input: readonly Day[]): ExperimentDesign {
  const dated = input.map((day) => {
    const index = parseIsoDate(day.date);
    if (index === null) throw new ValidationError(`date "${day.date}" is not a valid YYYY-MM-DD date`);
    if (day.value !== null && !Number.isFinite(day.value)) throw new ValidationError(`value on ${day.date} is not finite`);
    return { day, index };
  });
  dated.sort((a, b) => a.index - b.index);
  const n = dated.length;
  if (n === 0) throw new ValidationError("the experiment has no days");
  for (let i = 1; i < n; i++) {
    if (dated[i]!.index === dated[i - 1]!.index) throw new ValidationError(`duplicate date ${dated[i]!.day.date}`);
  }
  const first = dated[0]!.index;
  const span = dated[n - 1]!.index - first + 1;
  if (span > MAX_SPAN_DAYS) throw new ValidationError(`the dates span ${span} days; at most ${MAX_SPAN_DAYS} are supported`);

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
  return {
    days: dated.map(({ day }) => day),
    values,
    isA,
    blocks,
    calendarValues,
    calendarIsA,
    calendarGapDays: span - n,
  };
}
