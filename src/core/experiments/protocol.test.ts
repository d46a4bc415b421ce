import { describe, expect, it } from "vitest";
import { freezeProtocol, isIntact, lastPlannedDay, ProtocolSchema, type Protocol } from "./protocol";

const protocol: Protocol = {
  version: 1,
  primaryOutcome: "pain",
  mcid: 1,
  comparator: "rest-without-mat",
  sessionMinutes: 15,
  sessionTime: "21:00",
  position: "lying",
  area: "back",
  periodDays: 1,
  pairs: 21,
  washout: false,
  startsOn: "2026-12-01",
  timeZone: "Europe/Berlin",
  expectation: 4,
};

describe("freezeProtocol", () => {
  it("hashes the canonical JSON, whatever the key order", () => {
    const a = freezeProtocol(protocol);
    const b = freezeProtocol(Object.fromEntries(Object.entries(protocol).reverse()) as Protocol);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(b.canonical).toBe(a.canonical);
    expect(isIntact(a)).toBe(true);
  });
  it("notices any change after freezing", () => {
    const frozen = freezeProtocol(protocol);
    expect(isIntact({ ...frozen, canonical: frozen.canonical.replace('"mcid":1', '"mcid":2') })).toBe(false);
    expect(freezeProtocol({ ...protocol, pairs: 22 }).hash).not.toBe(frozen.hash);
  });
  it.each([
    // change, field with the message
    [{ pairs: 5 }, "pairs"],
    [{ pairs: 29 }, "pairs"],
    [{ periodDays: 4 }, "periodDays"],
    [{ mcid: 0 }, "mcid"],
    [{ mcid: 11 }, "mcid"],
    [{ sessionTime: "25:00" }, "sessionTime"],
    [{ startsOn: "2026-02-30" }, "startsOn"],
    [{ expectation: 11 }, "expectation"],
  ])("refuses %j", (change, path) => {
    const r = ProtocolSchema.safeParse({ ...protocol, ...change });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0])).toContain(path);
  });
});

describe("lastPlannedDay", () => {
  it.each([
    // 21 pairs of 1-day periods: 42 days, the first one included.
    [{ periodDays: 1, pairs: 21, washout: false }, "2027-01-11"],
    // 2 pairs of 3-day periods with one washout day between the pairs: 13 days.
    [{ periodDays: 3, pairs: 2, washout: true }, "2026-12-13"],
    // The shortest: one pair of 1-day periods ends the day after it starts.
    [{ periodDays: 1, pairs: 1, washout: false }, "2026-12-02"],
  ])("%o from 2026-12-01 ends on %s", (layout, last) => {
    expect(lastPlannedDay({ ...layout, startsOn: "2026-12-01" })).toBe(last);
  });
});
