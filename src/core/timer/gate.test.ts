import { describe, expect, it } from "vitest";
import { chooseResult, getKeptCheckGate, getTimerGate, parseKeptCheck, serializeKeptCheck } from "./gate";

const now = new Date("2026-12-01T12:00:00Z");

describe("getTimerGate", () => {
  it.each([
    [null, { ok: false, reason: "missing" }],
    [{ level: "fine", date: "2026-11-30T10:00:00Z" }, { ok: true }],
    [{ level: "extra-care", date: "2026-06-02T10:00:00Z" }, { ok: true }], // just inside six months
    [
      { level: "fine", date: "2026-05-31T10:00:00Z" },
      { ok: false, reason: "expired" },
    ],
    [
      { level: "see-professional", date: "2026-11-30T10:00:00Z" },
      { ok: false, reason: "see-professional" },
    ],
    [{ level: "see-professional", date: "2026-11-30T10:00:00Z", professionalAgreed: true }, { ok: true }], // a professional agreed
    [
      { level: "see-professional", date: "2026-01-01T10:00:00Z", professionalAgreed: true },
      { ok: false, reason: "expired" },
    ], // agreement does not outlive the check
    [
      { level: "fine", date: "2026-12-02T10:00:00Z" },
      { ok: false, reason: "expired" },
    ], // a date in the future does not count
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
    [
      '{"level":"fine","date":"2026-11-30T10:00:00Z","answers":{"x":1}}',
      { level: "fine", date: "2026-11-30T10:00:00.000Z", areasOff: [] },
    ], // extra keys are dropped
    [
      '{"level":"keep-area-off","date":"2026-11-30T10:00:00Z","areasOff":["legs","legs","wings",3]}',
      { level: "keep-area-off", date: "2026-11-30T10:00:00.000Z", areasOff: ["legs"] },
    ], // unknown areas dropped
    [
      '{"level":"fine","date":"2026-11-30T10:00:00Z","areasOff":"legs"}',
      { level: "fine", date: "2026-11-30T10:00:00.000Z", areasOff: [] },
    ],
    [
      '{"level":"see-professional","date":"2026-11-30T10:00:00Z","professionalAgreedAt":"2026-11-30T11:00:00Z"}',
      {
        level: "see-professional",
        date: "2026-11-30T10:00:00.000Z",
        areasOff: [],
        professionalAgreedAt: "2026-11-30T11:00:00.000Z",
      },
    ],
    [`{"level":"fine","date":"2026-11-30T10:00:00Z","x":"${"y".repeat(1000)}"}`, null], // too long to be ours
  ])("%j → %o", (raw, want) => expect(parseKeptCheck(raw)).toEqual(want));

  it("opens the gate for a kept result with a professional's agreement", () => {
    const kept = parseKeptCheck(
      '{"level":"see-professional","date":"2026-11-30T10:00:00Z","professionalAgreedAt":"2026-11-30T11:00:00Z"}',
    );
    expect(getKeptCheckGate(kept, now)).toEqual({ ok: true });
    expect(getKeptCheckGate(null, now)).toEqual({ ok: false, reason: "missing" });
  });
});

describe("serializeKeptCheck", () => {
  it("round-trips", () => {
    const kept = {
      level: "keep-area-off" as const,
      date: "2026-11-30T10:00:00.000Z",
      areasOff: ["legs" as const],
      professionalAgreedAt: "2026-11-30T11:00:00.000Z",
    };
    expect(parseKeptCheck(serializeKeptCheck(kept))).toEqual(kept);
  });
});

describe("chooseResult", () => {
  const saved = (date: string, level: "fine" | "see-professional" = "fine") => ({
    id: "s1",
    level,
    date,
    areasOffMat: [],
    professionalAgreed: false,
  });
  const kept = (date: string) => ({ level: "extra-care" as const, date, areasOff: ["feet" as const] });
  it.each([
    // saved, kept, the source chosen (or null)
    [null, null, null],
    [saved("2026-11-30T10:00:00Z"), null, "saved"],
    [null, kept("2026-11-30T10:00:00Z"), "kept"],
    [saved("2026-11-30T10:00:00Z"), kept("2026-11-29T10:00:00Z"), "saved"], // a current saved check comes first
    [saved("2026-01-01T10:00:00Z"), kept("2026-11-29T10:00:00Z"), "kept"], // the saved one is out of date
    [saved("2026-11-30T10:00:00Z", "see-professional"), kept("2026-11-29T10:00:00Z"), "kept"],
    [saved("2026-01-01T10:00:00Z"), kept("2025-01-01T10:00:00Z"), "saved"], // neither counts: the newer, to say it is out of date
  ] as const)("%o + %o → %s", (s, k, source) => {
    expect(chooseResult(s, k, now)?.source ?? null).toBe(source);
  });

  it("carries the areas to keep off and the agreement", () => {
    expect(
      chooseResult(null, { ...kept("2026-11-30T10:00:00Z"), professionalAgreedAt: "2026-11-30T11:00:00Z" }, now),
    ).toEqual({
      source: "kept",
      level: "extra-care",
      date: "2026-11-30T10:00:00Z",
      areasOff: ["feet"],
      professionalAgreed: true,
    });
  });
});
