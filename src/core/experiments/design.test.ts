import { describe, expect, it } from "vitest";
import { buildProtocol, defaultPairs, DESIGN_STEPS, firstDayProblem, readDesign } from "./design";

const complete: Record<string, string> = {
  outcome: "sleepQuality",
  mcid: "1",
  comparator: "rest-without-mat",
  minutes: "15",
  time: "21:30",
  position: "lying",
  area: "back",
  periodDays: "2",
  pairs: "10",
  washout: "yes",
  expectation: "4",
  startsOn: "2026-12-01",
};
const q = (values: Record<string, string>) => (name: string) => values[name] ?? null;

describe("readDesign", () => {
  it("shows the step asked for when every earlier step is answered", () => {
    expect(readDesign(q(complete), 6)).toMatchObject({ step: 6, errors: {} });
  });
  it.each([
    // a bad answer, the step it sends the person back to, the field named
    [{ outcome: "mood" }, 0, "outcome"],
    [{ mcid: "0" }, 1, "mcid"],
    [{ mcid: "11" }, 1, "mcid"],
    [{ minutes: "41" }, 3, "minutes"],
    [{ time: "9pm" }, 3, "time"],
    [{ periodDays: "4" }, 4, "periodDays"],
    [{ pairs: "5" }, 4, "pairs"],
    [{ expectation: "" }, 5, "expectation"],
  ])("%j → back to step %i with a message on %s", (bad, step, field) => {
    const state = readDesign(q({ ...complete, ...bad }), DESIGN_STEPS.length - 1);
    expect(state.step).toBe(step);
    expect(state.errors[field]?.[0]).toMatch(/\w/);
  });
  it("allows minutes to fall asleep a larger smallest change", () => {
    expect(readDesign(q({ ...complete, outcome: "sleepLatency", mcid: "10" }), 6).errors).toEqual({});
  });
});

describe("buildProtocol", () => {
  it("builds the protocol to freeze from a complete design", () => {
    const r = buildProtocol(complete, "Europe/Berlin");
    expect(r).toMatchObject({
      ok: true,
      protocol: {
        primaryOutcome: "sleepQuality",
        periodDays: 2,
        pairs: 10,
        washout: true,
        timeZone: "Europe/Berlin",
        expectation: 4,
      },
    });
  });
  it("about six weeks by default", () => {
    expect([1, 2, 3, 7].map(defaultPairs)).toEqual([21, 11, 7, 6]);
  });
});

describe("firstDayProblem", () => {
  it.each([
    // From today to 30 days ahead, both ends included.
    ["2026-12-07", null],
    ["2027-01-06", null],
    // Yesterday, or a day past the 30.
    ["2026-12-06", "Choose a first day from today to 30 days ahead."],
    ["2027-01-07", "Choose a first day from today to 30 days ahead."],
  ])("a first day on %s, today being 2026-12-07", (startsOn, problem) => {
    expect(firstDayProblem(startsOn, "2026-12-07")).toBe(problem);
  });
});
