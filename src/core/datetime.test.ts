import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatDate,
  formatTimeAgo,
  getLocalDate,
  getLocalMidnight,
  getLocalWallTime,
  getWeekStart,
  isLocalDate,
  listTimeZones,
  parseTimeZone,
  wallTimeToUtc,
} from "./datetime";

describe("parseTimeZone", () => {
  it.each([
    // given, canonical name or null
    ["UTC", "UTC"],
    ["Europe/Berlin", "Europe/Berlin"],
    ["America/New_York", "America/New_York"],
    ["Pacific/Auckland", "Pacific/Auckland"],
    ["Etc/GMT+5", "Etc/GMT+5"],
    ["Mars/Olympus", null], // well formed, unknown
    ["", null],
    ["../../etc/passwd", null], // not the shape of a zone name
    ["Europe/Berlin; drop table", null],
    [42, null],
    ["A".repeat(80), null],
  ])("%s → %s", (given, expected) => {
    expect(parseTimeZone(given)).toBe(expected);
  });

  it("lists UTC first and every listed zone parses", () => {
    const zones = listTimeZones();
    expect(zones[0]).toBe("UTC");
    expect(zones).toContain("Pacific/Auckland");
    expect(zones.filter((z) => parseTimeZone(z) === null)).toEqual([]);
  });
});

describe("local days and wall times", () => {
  it.each([
    // instant (UTC), zone, local day, local wall time
    ["2026-11-26T02:30:00Z", "America/New_York", "2026-11-25", "2026-11-25T21:30"], // 21:30 in New York is already tomorrow in UTC
    ["2026-11-25T11:00:00Z", "Pacific/Auckland", "2026-11-26", "2026-11-26T00:00"], // Auckland (UTC+13 in summer) is a day ahead
    ["2026-11-25T10:59:00Z", "Pacific/Auckland", "2026-11-25", "2026-11-25T23:59"],
    ["2026-07-01T12:00:00Z", "Pacific/Auckland", "2026-07-02", "2026-07-02T00:00"], // winter: UTC+12
    ["2026-11-25T23:59:00Z", "UTC", "2026-11-25", "2026-11-25T23:59"],
    ["2026-03-08T07:30:00Z", "America/New_York", "2026-03-08", "2026-03-08T03:30"], // just after clocks went forward
  ])("%s in %s is %s (%s)", (instant, zone, day, wall) => {
    expect(getLocalDate(new Date(instant), zone)).toBe(day);
    expect(getLocalWallTime(new Date(instant), zone)).toBe(wall);
  });

  it.each([
    // wall time, zone, UTC instant
    ["2026-11-25T21:30", "America/New_York", "2026-11-26T02:30:00.000Z"],
    ["2026-11-26T08:15", "Pacific/Auckland", "2026-11-25T19:15:00.000Z"],
    ["2026-07-02T08:15", "Pacific/Auckland", "2026-07-01T20:15:00.000Z"],
    ["2026-11-25T21:30", "UTC", "2026-11-25T21:30:00.000Z"],
    ["2026-11-25T21:30:45", "UTC", "2026-11-25T21:30:45.000Z"],
    ["2026-11-25", "Europe/Berlin", "2026-11-24T23:00:00.000Z"],
    // DST: 02:30 does not exist on 8 March 2026 in New York (02:00 → 03:00): read as 03:30 EDT.
    ["2026-03-08T02:30", "America/New_York", "2026-03-08T07:30:00.000Z"],
    // DST: 01:30 happens twice on 1 November 2026 in New York: the first one (EDT) is taken.
    ["2026-11-01T01:30", "America/New_York", "2026-11-01T05:30:00.000Z"],
    // Auckland's clocks go forward at 02:00 on 27 September 2026.
    ["2026-09-27T02:30", "Pacific/Auckland", "2026-09-26T14:30:00.000Z"],
  ])("%s in %s is %s", (wall, zone, utc) => {
    expect(wallTimeToUtc(wall, zone)?.toISOString()).toBe(utc);
  });

  it.each([
    "2026-02-30T10:00",
    "2026-13-01T10:00",
    "2026-11-25T24:00",
    "2026-11-25T10:60",
    "25/11/2026 10:00",
    "",
    "2026-11-25T10",
  ])("refuses %j", (wall) => {
    expect(wallTimeToUtc(wall, "UTC")).toBeNull();
  });

  it("round-trips every quarter hour of a DST-change day in New York, except the skipped hour", () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
      const wall = `2026-03-08T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      const back = getLocalWallTime(wallTimeToUtc(wall, "America/New_York") as Date, "America/New_York");
      if (wall.startsWith("2026-03-08T02:")) expect(back).toBe(wall.replace("T02:", "T03:"));
      else expect(back).toBe(wall);
    }
  });

  it("finds local midnight, including on a day with 23 hours", () => {
    expect(getLocalMidnight("2026-11-26", "Pacific/Auckland").toISOString()).toBe("2026-11-25T11:00:00.000Z");
    expect(getLocalMidnight("2026-11-25", "America/New_York").toISOString()).toBe("2026-11-25T05:00:00.000Z");
    const start = getLocalMidnight("2026-03-08", "America/New_York");
    const next = getLocalMidnight("2026-03-09", "America/New_York");
    expect((next.getTime() - start.getTime()) / 3_600_000).toBe(23);
    expect(() => getLocalMidnight("2026-02-30", "UTC")).toThrow(RangeError);
  });
});

describe("calendar days", () => {
  it.each([
    // from, to, days between
    ["2026-11-25", "2026-11-25", 0],
    ["2026-11-25", "2026-11-29", 4],
    ["2026-11-29", "2026-11-25", -4],
    ["2026-02-28", "2026-03-01", 1],
    ["2028-02-28", "2028-03-01", 2], // leap year
    ["2026-03-07", "2026-03-09", 2], // across a DST change (days, not hours)
    ["2026-12-31", "2027-01-01", 1],
  ])("%s → %s: %i", (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
    expect(addDays(from, days)).toBe(to);
  });

  it.each([
    ["2026-11-25", "2026-11-23"], // Wednesday → Monday
    ["2026-11-23", "2026-11-23"], // Monday
    ["2026-11-29", "2026-11-23"], // Sunday belongs to the week that began on Monday
    ["2027-01-01", "2026-12-28"],
  ])("the week of %s starts on %s", (day, monday) => {
    expect(getWeekStart(day)).toBe(monday);
  });

  it.each([
    ["2026-11-25", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-11-31", false],
    ["2026-1-5", false],
    [null, false],
  ])("isLocalDate(%j) is %s", (text, ok) => {
    expect(isLocalDate(text)).toBe(ok);
  });
});

describe("words for times", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  it.each([
    ["2026-11-25T11:59:30Z", "just now"],
    ["2026-11-25T11:55:00Z", "5 minutes ago"],
    ["2026-11-25T10:00:00Z", "2 hours ago"],
    ["2026-11-24T11:00:00Z", "yesterday"],
    ["2026-11-20T12:00:00Z", "5 days ago"],
    ["2026-11-04T12:00:00Z", "3 weeks ago"],
    ["2026-06-25T12:00:00Z", "5 months ago"],
  ])("%s is %s", (then, words) => {
    expect(formatTimeAgo(then, now)).toBe(words);
  });

  it("formats in the person's zone", () => {
    const instant = "2026-11-26T02:30:00Z";
    expect(formatDate(instant, "dateTime", { locale: "en-GB", timeZone: "America/New_York" })).toBe(
      "25 Nov 2026, 21:30",
    );
    expect(formatDate(instant, "dateTime", { locale: "en-GB", timeZone: "Pacific/Auckland" })).toBe(
      "26 Nov 2026, 15:30",
    );
    expect(formatDate(instant, "time", { locale: "en-GB", timeZone: "America/New_York" })).toBe("21:30");
  });
});
