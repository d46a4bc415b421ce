import { describe, expect, it } from "vitest";
import { isSafetyCheckCurrent } from "./current";
import type { SafetyLevel } from "./schema";

const now = new Date("2026-11-25T12:00:00Z");

describe.each([
  // [case, level, date taken, professional agreed?, current?]
  ["taken today, fine", "fine", "2026-11-25T08:00:00Z", undefined, true],
  ["taken today, keep an area off", "keep-area-off", "2026-11-25T08:00:00Z", undefined, true],
  ["taken today, extra care", "extra-care", "2026-11-25T08:00:00Z", undefined, true],
  ["see a professional, no agreement", "see-professional", "2026-11-25T08:00:00Z", undefined, false],
  ["see a professional, agreement explicitly not given", "see-professional", "2026-11-25T08:00:00Z", false, false],
  ["see a professional, agreement confirmed", "see-professional", "2026-11-25T08:00:00Z", true, true],
  // Six calendar months: 25 May 12:00 is exactly six months ago, so no longer current.
  ["one second short of six months", "fine", "2026-05-25T12:00:01Z", undefined, true],
  ["exactly six months", "fine", "2026-05-25T12:00:00Z", undefined, false],
  ["seven months", "fine", "2026-04-25T12:00:00Z", undefined, false],
  ["seven months even with agreement", "see-professional", "2026-04-25T12:00:00Z", true, false],
  ["dated in the future", "fine", "2026-11-26T12:00:00Z", undefined, false],
  ["an unreadable date", "fine", "not a date", undefined, false],
] as const)("%s", (_name, level: SafetyLevel, date, professionalAgreed, expected) => {
  it(`is ${expected ? "" : "not "}current`, () => {
    expect(
      isSafetyCheckCurrent({ level, date, ...(professionalAgreed === undefined ? {} : { professionalAgreed }) }, now),
    ).toBe(expected);
    expect(
      isSafetyCheckCurrent(
        { level, date: new Date(date), ...(professionalAgreed === undefined ? {} : { professionalAgreed }) },
        now,
      ),
    ).toBe(expected);
  });
});

describe.each([
  // Month ends: 31 August plus six months is the last day of February.
  ["2026-08-31T00:00:00Z", "2027-02-27T23:59:59Z", true],
  ["2026-08-31T00:00:00Z", "2027-02-28T00:00:00Z", false],
  // Leap year: 31 August 2027 plus six months is 29 February 2028.
  ["2027-08-31T00:00:00Z", "2028-02-28T23:59:59Z", true],
  ["2027-08-31T00:00:00Z", "2028-02-29T00:00:00Z", false],
  // Across the year boundary.
  ["2026-12-15T00:00:00Z", "2027-06-14T23:59:59Z", true],
] as const)("taken %s, checked %s", (date, at, expected) => {
  it(`is ${expected ? "" : "not "}current`, () => {
    expect(isSafetyCheckCurrent({ level: "fine", date }, new Date(at))).toBe(expected);
  });
});
