import { describe, expect, it } from "vitest";
import { freezeProtocol, isIntact, ProtocolSchema, type Protocol } from "./protocol";

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
