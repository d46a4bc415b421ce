/**
 * The days of an experiment and their check-ins: the check-in form of a day read (the evening
 * answers: what was done, the day's ratings, a note of any harm; or the morning's sleep answers,
 * about last night), whether it came in on time, late (accepted up to the end of the next day, and
 * marked) or not at all, adherence so far, and the rows the analysis is given. Every field of a
 * check-in is checked, so the form comes back with a message at each one that needs it; the
 * experiment's own outcome must be given on the check-in that asks it. Failures are data, never
 * exceptions. A missed day stays missing: it is never filled in.
 * @module
 */
import { z } from "zod";
import { writeCsv } from "../csv";
import { MIN_COMPLETE_BLOCKS } from "../stats/analyze";
import type { Condition, Day } from "../stats/experiment";
import { rowError } from "../stats/fields";
import { ADHERENCE, OUTCOME_TEXT, type Adherence } from "./labels";
import { isImported, type ExperimentProtocol, type Outcome } from "./protocol";
import { addDays, getLocalDate } from "../datetime";
import { blocksCompleted, type ScheduledDay } from "./schedule";

/** The evening and morning answers about one experiment day, as stored (a form is read by {@link readCheckIn}). Values are null when not given. */
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

// The check-in form.

/** The form's fields, as the page posts them (and keeps them to show a refused form again). */
export const CHECK_IN_FIELDS = [
  "kind",
  "date",
  "pain",
  "tension",
  "stress",
  "sleepQuality",
  "sleepLatency",
  "wakings",
  "harms",
  "adherence",
] as const;

/** What a check-in records; a value left empty is null, and a field of the other check-in is absent. */
export interface CheckInValues {
  adherence?: Adherence;
  pain?: number | null;
  tension?: number | null;
  stress?: number | null;
  sleepQuality?: number | null;
  sleepLatency?: number | null;
  wakings?: number | null;
  harms?: string | null;
}

/** The day and the answers, or a message per field. */
export type CheckInRead =
  { ok: true; date: string; morning: boolean; values: CheckInValues } | { ok: false; errors: Record<string, string[]> };

export const TOO_LATE_TO_CHECK_IN =
  "That day can no longer be recorded: a check-in is accepted on its day and the day after. A missed day stays missing, which the analysis allows for.";

/** A whole number from 0 to `max`, in figures; empty is null (not given). */
const scale = (label: string, max: number) =>
  z
    .string()
    .refine(
      (s) => s.trim() === "" || (/^\d{1,3}$/.test(s.trim()) && Number(s) <= max),
      `${label} must be a whole number from 0 to ${max}, in figures (for example ${Math.min(max, 20)}).`,
    )
    .transform((s) => (s.trim() === "" ? null : Number(s)));

/** The evening check-in: what was done and the day's ratings. */
const EveningSchema = z.object({
  adherence: z.enum(ADHERENCE, { errorMap: () => ({ message: "Say whether you did today's assignment." }) }),
  pain: scale(OUTCOME_TEXT.pain.label, 10),
  tension: scale(OUTCOME_TEXT.tension.label, 10),
  stress: scale(OUTCOME_TEXT.stress.label, 10),
  harms: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s.length <= 500, "Keep the note under 500 characters.")
    .transform((s) => s || null),
});

/** The morning check-in: last night's sleep. */
const MorningSchema = z.object({
  sleepLatency: scale("Minutes to fall asleep", 600),
  wakings: scale("Times woken", 50),
  sleepQuality: scale("Sleep quality", 10),
});

/**
 * Reads a check-in form (`form`: each field's text, "" when absent) for an experiment whose main
 * outcome is `primary`, on the person's local date `today`: a day is accepted on the day and the
 * day after (then marked late); a missed day stays missing.
 */
export function readCheckIn(
  form: Readonly<Record<(typeof CHECK_IN_FIELDS)[number], string>>,
  o: { primary: Outcome; today: string },
): CheckInRead {
  const { date } = form;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !acceptsCheckIn(date, o.today))
    return { ok: false, errors: { "": [TOO_LATE_TO_CHECK_IN] } };
  const morning = form.kind === "morning";
  const parsed = (morning ? MorningSchema : EveningSchema).safeParse(form);
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const name = String(issue.path[0] ?? "");
    errors[name] ??= [issue.message];
  }
  // The experiment's own outcome is asked on one of the two check-ins, and there it must be given.
  const isSleep = o.primary === "sleepQuality" || o.primary === "sleepLatency";
  if (isSleep === morning && !errors[o.primary] && form[o.primary].trim() === "")
    errors[o.primary] = [`Give ${OUTCOME_TEXT[o.primary].label.toLowerCase()}: it is what this experiment is about.`];
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, date, morning, values: parsed.data };
}

// The analysis input.

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
