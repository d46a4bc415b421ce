/**
 * What a study's researchers see: each participant's state under a pseudonym, the counts, the
 * participant flow of a series of n-of-1 trials (after CENT 2015: Vohra et al., BMJ
 * 2015;350:h1738) and the adherence grid. Pure: the current time is a parameter.
 * @module
 */
import { addDays, daysBetween, getLocalDate, localDatesAt, type LocalDate } from "../datetime";

/** Stored states of a participant: consented (not yet screened), excluded, enrolled (own experiment started), withdrawn (data kept up to the day). */
/** Participants per page of the monitor's adherence grid and its table of each person's benefit. */
export const MONITOR_PAGE_SIZE = 50;

export const PARTICIPANT_STATES = ["consented", "excluded", "enrolled", "withdrawn"] as const;
export type ParticipantState = (typeof PARTICIPANT_STATES)[number];

/** What a withdrawing person chose for the data shared so far. */
export const WITHDRAWAL_CHOICES = ["delete", "keep"] as const;
export type WithdrawalChoice = (typeof WITHDRAWAL_CHOICES)[number];

/** A participant's day codes, one character per scheduled day: a as assigned, o the other condition, s skipped, r rest day, - nothing recorded. */
export type DayCodes = string;

/** One participant as the monitor reads it: never a name, an email or a note. */
export interface ParticipantRow {
  pseudonym: string;
  state: ParticipantState;
  exclusionReason: string | null;
  experiment: {
    startsOn: string;
    timeZone: string;
    running: boolean;
    /** How many scheduled days the experiment has, one a calendar day from `startsOn` (the length of its day codes). */
    days: number;
    /** Last check-in (UTC), or null. */
    lastActivity: string | null;
  } | null;
  /** Whether the person's analysis is complete (it enters the pooled results). */
  analysed: boolean;
}

/** A participant's state on the monitor. */
export type MonitorStatus =
  "awaiting-eligibility" | "excluded" | "not-started" | "active" | "inactive" | "completed" | "withdrawn";

/** Days without a check-in after which a running participant is inactive. */
export const INACTIVE_AFTER_DAYS = 3;

export const STATUS_TEXT: Record<MonitorStatus, string> = {
  "awaiting-eligibility": "consented, eligibility not answered",
  excluded: "excluded",
  "not-started": "starts later",
  active: "active",
  inactive: `inactive for more than ${INACTIVE_AFTER_DAYS} days`,
  completed: "completed",
  withdrawn: "withdrew (data kept to that day)",
};

/** The monitor status of one participant at `now`. */
export function statusOf(p: ParticipantRow, now: Date): MonitorStatus {
  return statusOn(p, { todayIn: (timeZone) => getLocalDate(now, timeZone), addDays, daysBetween });
}

/** The date sums of a status at one moment. */
interface Calendar {
  /** The date in a time zone at that moment. */
  todayIn(timeZone: string): LocalDate;
  addDays(date: LocalDate, days: number): LocalDate;
  daysBetween(from: LocalDate, to: LocalDate): number;
}

/**
 * A calendar for the statuses of many people at `now`: each distinct sum is worked out once. They
 * share a few time zones and start dates, and each sum costs microseconds (10,000 people: decision 098).
 */
function calendarAt(now: Date): Calendar {
  const sums = new Map<string, LocalDate>();
  const gaps = new Map<string, number>();
  return {
    todayIn: localDatesAt(now),
    addDays: (date, days) => remembered(sums, `${date} ${days}`, () => addDays(date, days)),
    daysBetween: (from, to) => remembered(gaps, `${from} ${to}`, () => daysBetween(from, to)),
  };
}

function remembered<V>(known: Map<string, V>, key: string, work: () => V): V {
  let value = known.get(key);
  if (value === undefined) known.set(key, (value = work()));
  return value;
}

function statusOn(p: ParticipantRow, c: Calendar): MonitorStatus {
  if (p.state === "consented") return "awaiting-eligibility";
  if (p.state === "excluded") return "excluded";
  if (p.state === "withdrawn") return "withdrawn";
  const e = p.experiment;
  if (!e) return "awaiting-eligibility";
  const today = c.todayIn(e.timeZone);
  if (!e.running || today > c.addDays(e.startsOn, e.days - 1)) return "completed";
  if (today < e.startsOn) return "not-started";
  if (!e.lastActivity) return c.daysBetween(e.startsOn, today) > INACTIVE_AFTER_DAYS ? "inactive" : "active";
  // The last check-in's date where the person lives is within a day of its UTC date (a time zone is less than 24
  // hours from UTC), so only near the limit is their zone asked (that costs microseconds, for each of thousands).
  const last = new Date(e.lastActivity);
  const gap = c.daysBetween(last.toISOString().slice(0, 10), today);
  if (gap - 1 > INACTIVE_AFTER_DAYS) return "inactive";
  if (gap + 1 <= INACTIVE_AFTER_DAYS) return "active";
  return c.daysBetween(getLocalDate(last, e.timeZone), today) > INACTIVE_AFTER_DAYS ? "inactive" : "active";
}

export type Cell = "as-assigned" | "other-condition" | "skipped" | "rest" | "missed" | "open" | "future";

/** The adherence cells of one participant's days at `now`: a day is missed once its check-in can no longer be given (after the day after). */
export function adherenceCells(e: { startsOn: string; timeZone: string; codes: DayCodes }, now: Date): Cell[] {
  const today = getLocalDate(now, e.timeZone);
  return [...e.codes].map((c, i) => {
    if (c === "a") return "as-assigned";
    if (c === "o") return "other-condition";
    if (c === "s") return "skipped";
    if (c === "r") return "rest";
    const date = addDays(e.startsOn, i);
    return date > today ? "future" : date >= addDays(today, -1) ? "open" : "missed";
  });
}

export interface AdherenceSummary {
  asAssigned: number;
  other: number;
  skipped: number;
  missed: number;
  due: number;
}

/** Counts of a participant's days so far. */
export function summarizeCells(cells: readonly Cell[]): AdherenceSummary {
  const n = (k: Cell) => cells.filter((c) => c === k).length;
  const asAssigned = n("as-assigned"),
    other = n("other-condition"),
    skipped = n("skipped"),
    missed = n("missed");
  return { asAssigned, other, skipped, missed, due: asAssigned + other + skipped + missed };
}

export interface StudyCounts {
  invited: number;
  consented: number;
  awaitingEligibility: number;
  excluded: number;
  exclusionReasons: { reason: string; n: number }[];
  started: number;
  notStarted: number;
  active: number;
  inactive: number;
  withdrawn: number;
  withdrawnKept: number;
  withdrawnDeleted: number;
  completed: number;
  analysed: number;
  notAnalysed: number;
}

/**
 * The counts and the flow. `withdrawnDeleted` people left no row, so they come in as a number
 * kept on the study; `unusedInvitations` are personal invitations not used yet.
 */
export function countParticipants(
  rows: readonly ParticipantRow[],
  extra: { withdrawnDeleted: number; unusedInvitations: number },
  now: Date,
): StudyCounts {
  const calendar = calendarAt(now);
  const statuses = rows.map((r) => statusOn(r, calendar));
  const n = (s: MonitorStatus) => statuses.filter((x) => x === s).length;
  const reasons = new Map<string, number>();
  for (const r of rows)
    if (r.state === "excluded")
      reasons.set(
        r.exclusionReason ?? "No reason recorded",
        (reasons.get(r.exclusionReason ?? "No reason recorded") ?? 0) + 1,
      );
  const withdrawnKept = n("withdrawn");
  const started = rows.filter((r) => r.experiment !== null).length + extra.withdrawnDeleted;
  const analysed = rows.filter((r) => r.analysed).length;
  return {
    invited: rows.length + extra.withdrawnDeleted + extra.unusedInvitations,
    consented: rows.length + extra.withdrawnDeleted,
    awaitingEligibility: n("awaiting-eligibility"),
    excluded: n("excluded"),
    exclusionReasons: [...reasons]
      .map(([reason, k]) => ({ reason, n: k }))
      .sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason)),
    started,
    notStarted: n("not-started"),
    active: n("active"),
    inactive: n("inactive"),
    withdrawn: withdrawnKept + extra.withdrawnDeleted,
    withdrawnKept,
    withdrawnDeleted: extra.withdrawnDeleted,
    completed: n("completed"),
    analysed,
    notAnalysed: started - extra.withdrawnDeleted - analysed,
  };
}

/** The flow as boxes in order (CENT 2015 for a series of n-of-1 trials), each a line of the text version. */
export function flowLines(c: StudyCounts): { stage: string; box: string; side?: string }[] {
  const reasons = c.exclusionReasons.map((r) => `${r.reason} (${r.n})`).join("; ");
  return [
    { stage: "Enrolment", box: `Invited: ${c.invited}` },
    {
      stage: "Enrolment",
      box: `Consented: ${c.consented}`,
      side: c.awaitingEligibility > 0 ? `Eligibility not yet answered: ${c.awaitingEligibility}` : undefined,
    },
    {
      stage: "Enrolment",
      box: `Assessed for eligibility: ${c.consented - c.awaitingEligibility}`,
      side: `Excluded: ${c.excluded}${reasons ? ` (${reasons})` : ""}`,
    },
    { stage: "Allocation", box: `Started an own randomized experiment: ${c.started}` },
    {
      stage: "Follow-up",
      box: `Completed: ${c.completed}; still running: ${c.active + c.inactive + c.notStarted} (inactive: ${c.inactive})`,
      side: `Withdrew: ${c.withdrawn} (data kept to that day: ${c.withdrawnKept}; data deleted: ${c.withdrawnDeleted})`,
    },
    {
      stage: "Analysis",
      box: `In the pooled analysis: ${c.analysed}`,
      side: `Not analysed (analysis not complete or data deleted): ${c.notAnalysed + c.withdrawnDeleted}`,
    },
  ];
}
