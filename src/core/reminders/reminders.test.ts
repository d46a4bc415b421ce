import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { createCheckInEvents, createExperimentEvents, createReminderEvents } from "../experiments/calendar";
import { createSchedule } from "../experiments/schedule";
import { writeCalendar } from "./calendar";
import { createReminderMessage, parseReminderForm, withDefaults, type ReminderDay } from "./reminders";

const form = (fields: Record<string, string | string[]>) =>
  parseReminderForm(
    (n) => String(fields[n] ?? ""),
    (n) => [fields[n] ?? []].flat(),
  );

describe("parseReminderForm", () => {
  it("reads a time and the channels of each reminder; none checked is off", () => {
    expect(
      form({
        "session-time": "07:30",
        "session-channel": ["push", "email"],
        "evening-time": "21:00",
        "morning-time": "08:00",
        "morning-channel": "calendar",
      }),
    ).toEqual([
      { kind: "session", time: "07:30", channels: ["push", "email"] },
      { kind: "evening", time: "21:00", channels: [] },
      { kind: "morning", time: "08:00", channels: ["calendar"] },
    ]);
  });

  it.each([
    ["24:00", "session-time"],
    ["7:30", "session-time"],
    ["", "session-time"],
  ])("refuses the time %j on its field", (time, fieldName) => {
    try {
      form({ "session-time": time, "evening-time": "21:00", "morning-time": "08:00" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect(Object.keys((err as ValidationError).issues)).toEqual([fieldName]);
    }
  });

  it("refuses a channel it does not know", () => {
    expect(() =>
      form({
        "session-time": "07:30",
        "evening-time": "21:00",
        "morning-time": "08:00",
        "evening-channel": ["push", "__proto__"],
      }),
    ).toThrow(ValidationError);
  });
});

describe("withDefaults", () => {
  it("is off for every kind nobody chose", () => {
    expect(
      withDefaults([{ kind: "evening", time: "20:15", channels: ["email"] }]).map((s) => [
        s.kind,
        s.time,
        s.channels.length,
      ]),
    ).toEqual([
      ["session", "19:00", 0],
      ["evening", "20:15", 1],
      ["morning", "08:00", 0],
    ]);
  });
});

describe("createReminderMessage", () => {
  const experiment = { title: "Your pain experiment", when: "Day 3 of 42", eveningOpen: true, asksSleep: false };
  it.each<[string, Parameters<typeof createReminderMessage>[0], ReminderDay, string | null]>([
    [
      "a plan's session day",
      "session",
      { plan: { kind: "session", what: "Day 5 of 21: 10 minutes." }, experiments: [] },
      "Day 5 of 21: 10 minutes.",
    ],
    ["a plan's rest day", "session", { plan: { kind: "rest" }, experiments: [] }, null],
    [
      "no plan at all (a habit)",
      "session",
      { plan: null, experiments: [] },
      "Your mat and the timer are ready when you are.",
    ],
    [
      "an experiment's day, never its condition",
      "session",
      { plan: { kind: "rest" }, experiments: [experiment] },
      "Day 3 of 42: Your pain experiment. Open matwise for today's assignment.",
    ],
    [
      "an open evening check-in",
      "evening",
      { plan: null, experiments: [experiment] },
      "How was today? Your pain experiment.",
    ],
    ["no experiment in the evening", "evening", { plan: null, experiments: [] }, null],
    ["a check-in already done", "evening", { plan: null, experiments: [{ ...experiment, eveningOpen: false }] }, null],
    [
      "last night's sleep still open",
      "morning",
      { plan: null, experiments: [{ ...experiment, asksSleep: true }] },
      "How did you sleep last night? Your pain experiment.",
    ],
    ["no sleep to record", "morning", { plan: null, experiments: [experiment] }, null],
  ])("%s", (_what, kind, day, body) => {
    expect(createReminderMessage(kind, day)?.body ?? null).toBe(body);
  });
});

describe("experiment calendar events", () => {
  const schedule = createSchedule({ startsOn: "2026-03-26", periodDays: 1, pairs: 6, washout: false }, 7);
  const protocol = { sessionTime: "21:00", sessionMinutes: 15, timeZone: "Europe/Berlin" };
  const ics = writeCalendar(
    "test",
    [
      ...createExperimentEvents(
        "exp1",
        createReminderEvents(schedule, protocol),
        schedule.length,
        "https://matwise.example",
      ),
      ...createCheckInEvents("exp1", schedule, {
        kind: "morning",
        time: "07:30",
        timeZone: "Europe/Berlin",
        siteUrl: "https://matwise.example",
      }),
    ],
    { now: new Date("2026-03-01T00:00:00Z"), refreshHours: 6 },
  );
  const events = ICAL.Component.fromString(ics)
    .getAllSubcomponents("vevent")
    .map((v) => ({ event: new ICAL.Event(v), alarm: v.getFirstSubcomponent("valarm") }));
  const berlin = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(d);

  it("parses with ical.js: every day a session at 21:00 and a sleep check-in the morning after, Berlin time, across 29 March", () => {
    const sessions = events.filter((e) => e.event.summary.startsWith("matwise experiment"));
    const mornings = events.filter((e) => e.event.summary.includes("sleep"));
    expect(sessions).toHaveLength(12);
    expect(mornings).toHaveLength(12);
    for (const e of sessions) expect(berlin(e.event.startDate.toJSDate())).toBe("21:00");
    for (const e of mornings) expect(berlin(e.event.startDate.toJSDate())).toBe("07:30");
    // Both offsets occur: UTC+1 before the change, UTC+2 after it.
    expect(new Set(sessions.map((e) => e.event.startDate.toJSDate().getUTCHours()))).toEqual(new Set([20, 19]));
    for (const e of events) {
      expect(e.alarm?.getFirstPropertyValue("action")).toBe("DISPLAY");
      expect((e.alarm?.getFirstPropertyValue("trigger") as ICAL.Duration).toSeconds()).toBe(0);
      expect(e.event.description).toContain("https://matwise.example/today");
    }
  });
});
