import { describe, expect, it } from "vitest";
import { createReminderEvents, localTimeToUtc } from "./calendar";
import { createSchedule } from "./schedule";

describe("localTimeToUtc", () => {
  it.each([
    // date, time, zone, UTC instant
    ["2026-03-28", "21:00", "Europe/Berlin", "2026-03-28T20:00:00.000Z"], // winter time, UTC+1
    ["2026-03-29", "21:00", "Europe/Berlin", "2026-03-29T19:00:00.000Z"], // summer time from that night, UTC+2
    ["2026-11-01", "21:30", "America/New_York", "2026-11-02T02:30:00.000Z"], // back to EST that morning
    ["2026-12-01", "07:00", "Pacific/Auckland", "2026-11-30T18:00:00.000Z"], // NZDT, UTC+13
    ["2026-12-01", "07:00", "UTC", "2026-12-01T07:00:00.000Z"],
  ])("%s %s in %s is %s", (date, time, zone, utc) => {
    expect(localTimeToUtc(date, time, zone).toISOString()).toBe(utc);
  });
});

describe("createReminderEvents", () => {
  it("gives every period day one event at the local time, and rest days none", () => {
    const schedule = createSchedule({ startsOn: "2026-03-27", periodDays: 1, pairs: 6, washout: true }, 3);
    const events = createReminderEvents(schedule, {
      sessionTime: "21:00",
      sessionMinutes: 15,
      timeZone: "Europe/Berlin",
    });
    expect(events).toHaveLength(12);
    expect(events.map((e) => e.start.toISOString().slice(11, 16))).toEqual([
      "20:00",
      "20:00",
      ...Array<string>(10).fill("19:00"),
    ]);
  });
});
