import { describe, expect, it } from "vitest";
import { readCheckIn, TOO_LATE_TO_CHECK_IN, type CHECK_IN_FIELDS } from "./check-in";

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
