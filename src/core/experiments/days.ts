/**
 * The days of a running experiment: what was recorded for each scheduled day, whether it came in
 * on time, late (accepted up to the end of the next day, and marked) or not at all, and the rows
 * the analysis is given. A missed day stays missing: it is never filled in.
 * @module
 */
import { writeCsv } from "../csv";
import { MIN_COMPLETE_BLOCKS } from "../stats/analyze";
import type { Condition, Day } from "../stats/experiment";
import { rowError } from "../stats/fields";
import type { Adherence } from "./labels";
import { isImported, type ExperimentProtocol, type Outcome } from "./protocol";
import { addDays, getLocalDate } from "../datetime";
import { blocksCompleted, type ScheduledDay } from "./schedule";

/** The evening and morning answers about one experiment day. Values are null when not given. */
export interface CheckIn {
  /** The experiment day this is about (the person's local date). */
  date: string;
  /** The person's local date on which it was recorded. */
  recordedOn: string;
  adherence: Adherence;
  values: Partial<Record<Outcome, number | null>>;
}

/** A day's status; "imported" is a day of an imported experiment with a value from the file (one without is "missed"). */
export type DayStatus = "upcoming" | "today" | "done" | "late" | "open-late" | "missed" | "washout" | "imported";

/**
 * The status of a scheduled day on the person's local date `today`: recorded on the day (done),
 * recorded the day after (late), still open for a late check-in (open-late: it is the next day),
 * or missed.
 */
export function getDayStatus(day: ScheduledDay, checkIn: CheckIn | undefined, today: string): DayStatus {
  if (day.kind === "washout") return "washout";
  if (checkIn) return checkIn.recordedOn <= day.date ? "done" : "late";
  if (day.date > today) return "upcoming";
  if (day.date === today) return "today";
  return addDays(day.date, 1) === today ? "open-late" : "missed";
}

/** Whether a check-in for `date` may still be recorded on local date `today`. */
export function acceptsCheckIn(date: string, today: string): boolean {
  return date === today || addDays(date, 1) === today;
}

/** One row of the analysis input: the columns of `matwise analyze`. */
export interface AnalysisRow {
  date: string;
  block: number;
  period: number;
  condition: Condition;
  value: number | null;
}

export interface AnalysisRowOptions {
  /** Leave out days not done as assigned (the per-protocol sensitivity check). */
  perProtocol?: boolean;
  /** Leave out the first day of each period (the carry-over sensitivity check). */
  dropFirstDayOfPeriod?: boolean;
  /**
   * The person's local today: only pairs that have ended by then are analysed, so a running
   * experiment is analysed on what it has, nothing after today is in its data.csv (allocation
   * concealment), and every pair keeps both its periods.
   */
  through?: string;
}

/**
 * The analysis rows for `outcome`, as randomized: every period day of the schedule with its
 * assigned condition, the recorded value or null (missing days stay missing; a value for an
 * outcome the person skipped is null too). Washout days are left out.
 */
export function toAnalysisRows(
  schedule: readonly ScheduledDay[],
  checkIns: readonly CheckIn[],
  outcome: Outcome,
  opts: AnalysisRowOptions = {},
): AnalysisRow[] {
  const byDate = new Map(checkIns.map((c) => [c.date, c]));
  // A pair is analysed once every one of its days has come.
  const pending = new Set<number>();
  for (const day of schedule)
    if (day.kind === "period" && opts.through !== undefined && day.date > opts.through) pending.add(day.block);
  const rows: AnalysisRow[] = [];
  for (const day of schedule) {
    if (day.kind !== "period" || pending.has(day.block)) continue;
    if (opts.dropFirstDayOfPeriod && day.firstOfPeriod) continue;
    const c = byDate.get(day.date);
    const deviated = !c || c.adherence !== "as-assigned";
    const value = c?.values[outcome] ?? null;
    rows.push({
      date: day.date,
      block: day.block,
      period: day.period,
      condition: day.condition,
      value: opts.perProtocol && deviated ? null : value,
    });
  }
  return rows;
}

/** The last day an analysis looks at: the person's today, or the local day the experiment ended (`endedAt`, an instant). */
export function analysisThrough(
  protocol: Pick<ExperimentProtocol, "timeZone">,
  endedAt: string | null,
  today: string,
): string {
  const ended = endedAt ? getLocalDate(new Date(endedAt), protocol.timeZone) : null;
  return ended && ended < today ? ended : today;
}

/**
 * The pairs a designed experiment's analysis takes on `today` (null for an import, whose rows are
 * its file): with the data version, what a stored analysis is of. A pair that ends adds its
 * days to data.csv even when nothing is recorded, so the analysis must then be computed again.
 */
export function analysedBlocks(protocol: ExperimentProtocol, endedAt: string | null, today: string): number | null {
  return isImported(protocol) ? null : blocksCompleted(protocol, analysisThrough(protocol, endedAt, today));
}

/** The rows as the CSV `matwise analyze` reads; `period` only when periods are longer than a day. */
export function toAnalyzeCsv(rows: readonly AnalysisRow[], withPeriod: boolean): string {
  const columns = withPeriod
    ? ["date", "block", "period", "condition", "value"]
    : ["date", "block", "condition", "value"];
  return writeCsv(rows as unknown as Record<string, unknown>[], columns);
}

/**
 * The rows as the days `matwise analyze` reads from {@link toAnalyzeCsv}'s text, without the text:
 * the same days in the same order (`period` only when `withPeriod`), and the reader's refusal of
 * fewer than two rows. The rows of an experiment always pass the reader's other checks (real and
 * distinct dates, whole periods). `src/server/experiments/results.test.ts` checks that the
 * analysis of these days equals the command's on the CSV.
 */
export function toAnalyzeDays(rows: readonly AnalysisRow[], withPeriod: boolean): Day[] {
  if (rows.length < 2) throw rowError(2, `need at least 2 day rows, found ${rows.length}`);
  return rows.map(({ date, block, period, condition, value }) =>
    withPeriod ? { date, block, condition, value, period } : { date, block, condition, value },
  );
}

/** Blocks with at least one measured day in each condition, and how many more the verdict needs. */
export function countCompletePairs(rows: readonly AnalysisRow[]): { complete: number; needed: number } {
  const seen = new Map<number, Set<Condition>>();
  for (const r of rows)
    if (r.value !== null) (seen.get(r.block) ?? seen.set(r.block, new Set()).get(r.block)!).add(r.condition);
  const complete = [...seen.values()].filter((s) => s.size === 2).length;
  return { complete, needed: Math.max(0, MIN_COMPLETE_BLOCKS - complete) };
}

/** Adherence over the days that are past: done as assigned, the other condition, skipped, and not recorded. */
export function summarizeAdherence(schedule: readonly ScheduledDay[], checkIns: readonly CheckIn[], today: string) {
  const byDate = new Map(checkIns.map((c) => [c.date, c]));
  const out = { asAssigned: 0, otherCondition: 0, skipped: 0, missed: 0, late: 0, due: 0 };
  for (const day of schedule) {
    if (day.kind !== "period" || day.date > today) continue;
    const c = byDate.get(day.date);
    const status = getDayStatus(day, c, today);
    if (status === "today" || status === "open-late") continue;
    out.due++;
    if (!c) out.missed++;
    else {
      if (status === "late") out.late++;
      if (c.adherence === "as-assigned") out.asAssigned++;
      else if (c.adherence === "other-condition") out.otherCondition++;
      else out.skipped++;
    }
  }
  return out;
}
