import { describe, expect, it } from "vitest";
import { getKeptCheckGate, getTimerGate, parseKeptCheck } from "./gate";

const now = new Date("2026-12-01T12:00:00Z");

describe("getTimerGate", () => {
  it.each([
    [null, { ok: false, reason: "missing" }],
    [{ level: "fine", date: "2026-11-30T10:00:00Z" }, { ok: true }],
    [{ level: "extra-care", date: "2026-06-02T10:00:00Z" }, { ok: true }], // just inside six months
    [{ level: "fine", date: "2026-05-31T10:00:00Z" }, { ok: false, reason: "expired" }],
    [{ level: "see-professional", date: "2026-11-30T10:00:00Z" }, { ok: false, reason: "see-professional" }],
    [{ level: "see-professional", date: "2026-11-30T10:00:00Z", professionalAgreed: true }, { ok: true }], // a professional agreed
    [{ level: "see-professional", date: "2026-01-01T10:00:00Z", professionalAgreed: true }, { ok: false, reason: "expired" }], // agreement does not outlive the check
    [{ level: "fine", date: "2026-12-02T10:00:00Z" }, { ok: false, reason: "expired" }], // a date in the future does not count
  ] as const)("%o → %o", (check, want) => expect(getTimerGate(check, now)).toEqual(want));
});

describe("parseKeptCheck", () => {
  it.each([
    [null, null],
    ["", null],
    ["not json", null],
    ["[]", null],
    ['{"level":"fine"}', null], // no date
    ['{"level":"great","date":"2026-11-30"}', null], // unknown level
    ['{"level":"fine","date":"yesterday"}', null],
    ['{"level":"fine","date":"2026-11-30T10:00:00Z","answers":{"x":1}}', { level: "fine", date: "2026-11-30T10:00:00Z" }], // extra keys are dropped
    [
      '{"level":"see-professional","date":"2026-11-30T10:00:00Z","professionalAgreedAt":"2026-11-30T11:00:00Z"}',
      { level: "see-professional", date: "2026-11-30T10:00:00Z", professionalAgreedAt: "2026-11-30T11:00:00Z" },
    ],
  ])("%j → %o", (raw, want) => expect(parseKeptCheck(raw)).toEqual(want));

  it("opens the gate for a kept result with a professional's agreement", () => {
    const kept = parseKeptCheck('{"level":"see-professional","date":"2026-11-30T10:00:00Z","professionalAgreedAt":"2026-11-30T11:00:00Z"}');
    expect(getKeptCheckGate(kept, now)).toEqual({ ok: true });
    expect(getKeptCheckGate(null, now)).toEqual({ ok: false, reason: "missing" });
  });
});
