import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { createPlanIcs, escapeIcsText, foldIcsLine } from "./ics";
import { createBreakInPlan, type PlanInput } from "./plan";

const bytes = (s: string) => new TextEncoder().encode(s).length;
const input: PlanInput = { skin: "high", tolerance: "average", area: "back", level: "fine", areasOff: [], professionalAgreed: false, start: "2026-12-30" };

function build() {
  const plan = createBreakInPlan(input);
  if (plan.kind !== "plan") throw new Error("no plan");
  return { plan, ics: createPlanIcs(plan, { planId: "abc123", now: new Date("2026-12-01T10:00:00Z"), siteUrl: "https://matwise.example" }) };
}

describe("createPlanIcs", () => {
  it("parses with ical.js into one all-day event per session day", () => {
    const { plan, ics } = build();
    const cal = ICAL.Component.fromString(ics);
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const sessionDays = plan.days.filter((d) => !d.rest);
    expect(events).toHaveLength(sessionDays.length);
    const first = events[0]!;
    expect(first.startDate.isDate).toBe(true);
    expect(first.startDate.toString()).toBe("2026-12-30");
    expect(first.endDate.toString()).toBe("2026-12-31");
    expect(first.summary).toBe("Mat: 5 min, lying on the mat, through clothing");
    expect(first.description).toContain("Day 1 of 21");
    expect(first.description).toContain("https://matwise.example/timer");
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    // the last session day is on bare skin (sensitive skin: from day 14)
    expect(events.at(-1)!.summary).toContain("bare skin");
    expect(events.at(-1)!.startDate.toString()).toBe(sessionDays.at(-1)!.date);
  });

  it("uses CRLF line ends and no line longer than 75 octets", () => {
    const { ics } = build();
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of ics.split("\r\n")) expect(bytes(line)).toBeLessThanOrEqual(75);
  });
});

describe("escapeIcsText", () => {
  it.each([
    ["a, b; c", "a\\, b\\; c"],
    ["back\\slash", "back\\\\slash"],
    ["two\nlines", "two\\nlines"],
  ])("%j → %j", (input, want) => expect(escapeIcsText(input)).toBe(want));
});

describe("foldIcsLine", () => {
  it.each([
    ["short line", 1], // no folding needed
    ["x".repeat(75), 1], // exactly the limit
    ["x".repeat(76), 2],
    ["ä".repeat(60), 2], // 120 octets: folded by bytes, not characters
  ])("%s folds into %i lines", (line, count) => {
    const folded = foldIcsLine(line);
    const parts = folded.split("\r\n");
    expect(parts).toHaveLength(count);
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join("")).toBe(line);
  });
});
