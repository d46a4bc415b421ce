import { describe, expect, it } from "vitest";
import type { AnytimeResult } from "../stats/anytime";
import { anytimeWords, experimentPhase } from "./anytime-words";
import type { Protocol } from "./protocol";

const protocol: Protocol = {
  version: 1,
  primaryOutcome: "pain",
  mcid: 1,
  comparator: "rest-without-mat",
  sessionMinutes: 15,
  sessionTime: "19:00",
  position: "lying",
  area: "back",
  periodDays: 1,
  pairs: 5,
  washout: false,
  startsOn: "2026-12-01",
  timeZone: "America/New_York",
  expectation: 5,
};
const result = (verdict: AnytimeResult["verdict"], cs95: AnytimeResult["cs95"]): AnytimeResult => ({
  e_benefit: 1,
  e_harm: 1,
  cs95,
  verdict,
  method: "m",
});

describe("experimentPhase", () => {
  it.each([
    ["running on its last day", "running", null, "2026-12-10", "running"],
    ["running after its last day", "running", null, "2026-12-11", "complete"],
    ["ended before its last day", "ended", "2026-12-05T15:00:00Z", "2026-12-20", "ended-early"],
    [
      "ended at 21:00 on its last day in New York (already the next day in UTC)",
      "ended",
      "2026-12-11T02:00:00Z",
      "2026-12-20",
      "complete",
    ],
  ] as const)("%s: %s", (_name, state, endedAt, today, phase) => {
    expect(experimentPhase({ protocol, state, endedAt }, today)).toBe(phase);
  });
});

describe("anytimeWords", () => {
  const o = { outcome: "pain" as const, comparator: "rest-without-mat" as const, unit: "points" };
  it("says a clear answer in words, with the range in favour of the mat", () => {
    const w = anytimeWords(result("benefit", [0.44, 1.86]), o);
    expect(w.headline).toBe(
      "A clear answer: your pain has been better with the mat than with lying still without the mat.",
    );
    expect(w.range).toBe(
      "The difference the mat makes is likely between 0.4 points better with the mat and 1.9 points better with the mat.",
    );
    expect(w.interval).toEqual(["0.4", "1.9"]);
  });
  it("turns a negative end into 'worse', and says when an end is still open", () => {
    expect(anytimeWords(result("undecided", [-1.26, 0.5]), o).range).toBe(
      "The difference the mat makes is likely between 1.3 points worse with the mat and 0.5 points better with the mat.",
    );
    expect(anytimeWords(result("undecided", [null, null]), o).range).toMatch(/open at both ends/);
    expect(anytimeWords(result("harm", [null, -0.3]), o).headline).toMatch(/worse with the mat/);
  });
  it("never shows a code or a raw number format", () => {
    const all = Object.values(anytimeWords(result("undecided", [-0.04, 2]), o))
      .flat()
      .join(" ");
    expect(all).not.toMatch(/undecided|e_benefit|cs95|NaN|−0\.0\b/);
  });
});
