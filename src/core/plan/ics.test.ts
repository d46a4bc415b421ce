import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { createPlanIcs } from "./ics";
import { createBreakInPlan, type PlanInput } from "./plan";

const input: PlanInput = {
  skin: "high",
  tolerance: "average",
  area: "back",
  level: "fine",
  areasOff: [],
  professionalAgreed: false,
  start: "2026-03-20",
};

function build(opts: { time: string; timeZone: string }) {
  const plan = createBreakInPlan(input);
  if (plan.kind !== "plan") throw new Error("no plan");
  return {
    plan,
    ics: createPlanIcs(plan, {
      planId: "abc123",
      now: new Date("2026-03-01T10:00:00Z"),
      siteUrl: "https://matwise.example",
      ...opts,
    }),
  };
}

/** Each event's alarm as an instant: the trigger is a duration from the event's start. */
function alarmInstants(ics: string): { date: string; alarm: Date }[] {
  const cal = ICAL.Component.fromString(ics);
  return cal.getAllSubcomponents("vevent").map((v) => {
    const event = new ICAL.Event(v);
    const valarms = v.getAllSubcomponents("valarm");
    expect(valarms).toHaveLength(1);
    const trigger = valarms[0]!.getFirstPropertyValue("trigger") as ICAL.Duration;
    const at = event.startDate.toJSDate().getTime() + trigger.toSeconds() * 1000;
    return { date: event.startDate.toJSDate().toISOString().slice(0, 10), alarm: new Date(at) };
  });
}

const wall = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);

describe("createPlanIcs", () => {
  it("parses with ical.js into one timed event with an alarm per session day, with absolute links", () => {
    const { plan, ics } = build({ time: "21:00", timeZone: "Europe/Berlin" });
    const cal = ICAL.Component.fromString(ics);
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const sessionDays = plan.days.filter((d) => !d.rest);
    expect(events).toHaveLength(sessionDays.length);
    const first = events[0]!;
    expect(first.startDate.isDate).toBe(false);
    expect(first.summary).toBe("Mat: 5 min, lying on the mat, through clothing");
    expect(first.description).toContain("Day 1 of 21");
    expect(first.description).toContain("https://matwise.example/timer");
    expect(first.component.getFirstPropertyValue("url")).toBe("https://matwise.example/timer");
    expect(first.endDate.toJSDate().getTime() - first.startDate.toJSDate().getTime()).toBe(5 * 60_000);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(events.at(-1)!.summary).toContain("bare skin");
  });

  it("rings at 21:00 Berlin time on both sides of the change to summer time (29 March 2026)", () => {
    const alarms = alarmInstants(build({ time: "21:00", timeZone: "Europe/Berlin" }).ics);
    const before = alarms.filter((a) => a.date < "2026-03-29").at(-1);
    const after = alarms.find((a) => a.date > "2026-03-29");
    expect(before?.alarm.toISOString()).toBe(`${before?.date}T20:00:00.000Z`); // UTC+1
    expect(after?.alarm.toISOString()).toBe(`${after?.date}T19:00:00.000Z`); // UTC+2
    for (const a of alarms) expect(wall(a.alarm, "Europe/Berlin")).toBe("21:00");
  });

  it("rings at 07:30 in New York across its change back to standard time", () => {
    const plan = createBreakInPlan({ ...input, start: "2026-10-25" });
    if (plan.kind !== "plan") throw new Error("no plan");
    const ics = createPlanIcs(plan, {
      planId: "x",
      now: new Date(),
      siteUrl: "https://matwise.example",
      time: "07:30",
      timeZone: "America/New_York",
    });
    const alarms = alarmInstants(ics);
    expect(new Set(alarms.map((a) => a.alarm.getUTCHours()))).toEqual(new Set([11, 12]));
    for (const a of alarms) expect(wall(a.alarm, "America/New_York")).toBe("07:30");
  });

  it("uses CRLF line ends and no line longer than 75 octets", () => {
    const { ics } = build({ time: "21:00", timeZone: "UTC" });
    expect(ics.endsWith("\r\n") || ics.endsWith("END:VCALENDAR")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of ics.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});
