import { describe, expect, it } from "vitest";
import { parseCsv } from "../csv";
import {
  acceptsCheckIn,
  countCompletePairs,
  getDayStatus,
  readCheckIn,
  summarizeAdherence,
  toAnalysisRows,
  toAnalyzeCsv,
  TOO_LATE_TO_CHECK_IN,
  type CHECK_IN_FIELDS,
  type CheckIn,
} from "./days";
import { createSchedule, type ScheduledDay } from "./schedule";

const schedule = createSchedule({ startsOn: "2026-12-01", periodDays: 2, pairs: 6, washout: false }, 4242);
const day = (n: number) => schedule[n - 1] as Extract<ScheduledDay, { kind: "period" }>;
const checkIn = (date: string, pain: number, extra: Partial<CheckIn> = {}): CheckIn => ({
  date,
  recordedOn: date,
  adherence: "as-assigned",
  values: { pain },
  ...extra,
});

describe("getDayStatus", () => {
  it.each([
    // day, check-in recorded on, today, status
    [3, null, "2026-12-01", "upcoming"],
    [3, null, "2026-12-03", "today"],
    [3, null, "2026-12-04", "open-late"],
    [3, null, "2026-12-05", "missed"],
    [3, "2026-12-03", "2026-12-09", "done"],
    [3, "2026-12-04", "2026-12-09", "late"],
  ])("day %i, recorded %s, on %s: %s", (n, recordedOn, today, status) => {
    const d = day(n);
    expect(getDayStatus(d, recordedOn ? checkIn(d.date, 3, { recordedOn }) : undefined, today)).toBe(status);
  });
  it("accepts a check-in on the day and the day after, never later", () => {
    expect(acceptsCheckIn("2026-12-03", "2026-12-03")).toBe(true);
    expect(acceptsCheckIn("2026-12-03", "2026-12-04")).toBe(true);
    expect(acceptsCheckIn("2026-12-03", "2026-12-05")).toBe(false);
    expect(acceptsCheckIn("2026-12-03", "2026-12-02")).toBe(false);
  });
});

describe("toAnalysisRows", () => {
  const checkIns = [
    checkIn(day(1).date, 5),
    checkIn(day(2).date, 4, { adherence: "other-condition" }),
    checkIn(day(4).date, 2),
  ];
  it("keeps every period day as randomized, missing days as empty", () => {
    const rows = toAnalysisRows(schedule, checkIns, "pain");
    expect(rows).toHaveLength(24);
    expect(rows.slice(0, 4).map((r) => r.value)).toEqual([5, 4, null, 2]);
    expect(rows[0]).toMatchObject({ date: "2026-12-01", block: 1, period: 1, condition: day(1).condition });
  });
  it("leaves out deviating days per protocol, and first days of periods for carry-over", () => {
    expect(
      toAnalysisRows(schedule, checkIns, "pain", { perProtocol: true })
        .slice(0, 4)
        .map((r) => r.value),
    ).toEqual([5, null, null, 2]);
    const noFirst = toAnalysisRows(schedule, checkIns, "pain", { dropFirstDayOfPeriod: true });
    expect(noFirst).toHaveLength(12);
    expect(noFirst.slice(0, 2).map((r) => r.value)).toEqual([4, 2]);
  });
  it("analyses only the pairs that have ended, each with both its periods, and no day after `through`", () => {
    // 2-day periods: day 5 opens pair 2, so only pair 1 (4 days) is in; pair 2 joins on day 8, its last.
    expect(toAnalysisRows(schedule, checkIns, "pain", { through: day(5).date }).map((r) => r.block)).toEqual([
      1, 1, 1, 1,
    ]);
    expect(toAnalysisRows(schedule, checkIns, "pain", { through: day(7).date }).map((r) => r.block)).toEqual([
      1, 1, 1, 1,
    ]);
    expect(toAnalysisRows(schedule, checkIns, "pain", { through: day(8).date }).map((r) => r.block)).toEqual([
      1, 1, 1, 1, 2, 2, 2, 2,
    ]);
    expect(
      toAnalysisRows(schedule, checkIns, "pain", { through: day(5).date }).every((r) => r.date <= day(5).date),
    ).toBe(true);
  });
  it("writes exactly the CSV matwise analyze reads", () => {
    const rows = toAnalysisRows(schedule, checkIns, "pain");
    const withPeriod = parseCsv(toAnalyzeCsv(rows, true), ["date", "block", "period", "condition", "value"]);
    expect(withPeriod[0]?.fields).toEqual({
      date: "2026-12-01",
      block: "1",
      period: "1",
      condition: day(1).condition,
      value: "5",
    });
    expect(withPeriod[2]?.fields.value).toBe("");
    expect(() => parseCsv(toAnalyzeCsv(rows, false), ["date", "block", "condition", "value"])).not.toThrow();
  });
});

describe("countCompletePairs and summarizeAdherence", () => {
  it("counts blocks with both conditions measured and the pairs still needed", () => {
    const all = schedule.filter((d) => d.kind === "period").map((d) => checkIn(d.date, 3));
    expect(countCompletePairs(toAnalysisRows(schedule, all, "pain"))).toEqual({ complete: 6, needed: 0 });
    expect(countCompletePairs(toAnalysisRows(schedule, all.slice(0, 5), "pain"))).toEqual({ complete: 1, needed: 5 });
  });
  it("sums what was done on the days that are past", () => {
    const ins = [checkIn(day(1).date, 5), checkIn(day(2).date, 4, { adherence: "skipped", recordedOn: day(3).date })];
    expect(summarizeAdherence(schedule, ins, day(5).date)).toEqual({
      asAssigned: 1,
      otherCondition: 0,
      skipped: 1,
      missed: 1,
      late: 1,
      due: 3,
    });
  });
});

const TODAY = "2026-12-07";
const empty: Record<(typeof CHECK_IN_FIELDS)[number], string> = {
  kind: "evening",
  date: TODAY,
  pain: "",
  tension: "",
  stress: "",
  sleepQuality: "",
  sleepLatency: "",
  wakings: "",
  harms: "",
  adherence: "",
};
const evening = { ...empty, adherence: "as-assigned", pain: "4" };
const morning = { ...empty, kind: "morning", sleepQuality: "7" };

describe("readCheckIn", () => {
  it.each([
    // An evening check-in on its day: the ratings given, the others null, the note trimmed.
    [
      "evening, on the day",
      "pain",
      { ...evening, tension: " 3 ", harms: "  a red mark  " },
      {
        ok: true,
        date: TODAY,
        morning: false,
        values: { adherence: "as-assigned", pain: 4, tension: 3, stress: null, harms: "a red mark" },
      },
    ],
    // The day after is still accepted (the repository marks it late).
    [
      "evening, the day after",
      "pain",
      { ...evening, date: "2026-12-06" },
      {
        ok: true,
        date: "2026-12-06",
        morning: false,
        values: { adherence: "as-assigned", pain: 4, tension: null, stress: null, harms: null },
      },
    ],
    // A morning check-in asks only about sleep; the evening's fields are not read.
    [
      "morning",
      "sleepQuality",
      { ...morning, sleepLatency: "600", wakings: "0", pain: "99" },
      { ok: true, date: TODAY, morning: true, values: { sleepLatency: 600, wakings: 0, sleepQuality: 7 } },
    ],
    // The main outcome is asked in the morning: the evening check-in may leave every rating out.
    [
      "evening of a sleep experiment",
      "sleepQuality",
      { ...evening, pain: "" },
      {
        ok: true,
        date: TODAY,
        morning: false,
        values: { adherence: "as-assigned", pain: null, tension: null, stress: null, harms: null },
      },
    ],
    // Two days back, or no date: refused as a whole, before any field is read.
    [
      "two days back",
      "pain",
      { ...evening, date: "2026-12-05", pain: "x" },
      { ok: false, errors: { "": [TOO_LATE_TO_CHECK_IN] } },
    ],
    [
      "a date in the future",
      "pain",
      { ...evening, date: "2026-12-08" },
      { ok: false, errors: { "": [TOO_LATE_TO_CHECK_IN] } },
    ],
    ["not a date", "pain", { ...evening, date: "7 Dec" }, { ok: false, errors: { "": [TOO_LATE_TO_CHECK_IN] } }],
    // Every field is checked: a message at each one that needs it, in the form's order, the main outcome's last.
    [
      "nothing said",
      "pain",
      { ...empty, stress: "11", harms: "x".repeat(501) },
      {
        ok: false,
        errors: {
          adherence: ["Say whether you did today's assignment."],
          stress: ["Stress must be a whole number from 0 to 10, in figures (for example 10)."],
          harms: ["Keep the note under 500 characters."],
          pain: ["Give pain: it is what this experiment is about."],
        },
      },
    ],
    // A bad value of the main outcome is named as bad, not as missing.
    [
      "a rating in words",
      "pain",
      { ...evening, pain: "four" },
      { ok: false, errors: { pain: ["Pain must be a whole number from 0 to 10, in figures (for example 10)."] } },
    ],
    [
      "a negative rating",
      "tension",
      { ...evening, tension: "-1" },
      {
        ok: false,
        errors: { tension: ["Muscle tension must be a whole number from 0 to 10, in figures (for example 10)."] },
      },
    ],
    // Spaces alone are no answer.
    [
      "the main outcome blank",
      "sleepLatency",
      { ...morning, sleepLatency: "  " },
      { ok: false, errors: { sleepLatency: ["Give minutes to fall asleep: it is what this experiment is about."] } },
    ],
    [
      "morning values out of range",
      "sleepQuality",
      { ...morning, sleepLatency: "601", wakings: "51", sleepQuality: "1.5" },
      {
        ok: false,
        errors: {
          sleepLatency: ["Minutes to fall asleep must be a whole number from 0 to 600, in figures (for example 20)."],
          wakings: ["Times woken must be a whole number from 0 to 50, in figures (for example 20)."],
          sleepQuality: ["Sleep quality must be a whole number from 0 to 10, in figures (for example 10)."],
        },
      },
    ],
  ] as const)("%s", (_, primary, form, expected) => {
    expect(readCheckIn(form, { primary, today: TODAY })).toEqual(expected);
  });
});
