import { describe, expect, it } from "vitest";
import { DEFAULT_COMPARISON, parseComparisonQuery, type ComparisonQueryInput } from "./comparison";

const KNOWN = ["a", "b", "c", "d", "e", "shakti-original", "generic-gentle-mat"];
const q = (over: Partial<ComparisonQueryInput>): ComparisonQueryInput => ({
  mat: [],
  mass: null,
  position: null,
  ...over,
});

describe("parseComparisonQuery", () => {
  it("gives a first visit the default comparison, lying, no mass, no messages", () => {
    expect(parseComparisonQuery(q({}), KNOWN)).toEqual({
      matIds: [...DEFAULT_COMPARISON],
      mass: "",
      massKg: null,
      position: "lying",
      issues: {},
    });
  });

  it.each([
    // query, expected mat ids, expected message fields
    ["two mats", q({ mat: ["a", "b"] }), ["a", "b"], []],
    ["four mats", q({ mat: ["a", "b", "c", "d"] }), ["a", "b", "c", "d"], []],
    ["a repeated mat counts once", q({ mat: ["a", "a", "b"] }), ["a", "b"], []],
    ["one mat", q({ mat: ["a"], mass: "70" }), ["a"], ["mat"]],
    ["no mat after a submit", q({ mat: [], mass: "" }), [], ["mat"]],
    ["five mats: first four shown", q({ mat: ["a", "b", "c", "d", "e"] }), ["a", "b", "c", "d"], ["mat"]],
    ["an unknown id is dropped with a message", q({ mat: ["a", "b", "nope"] }), ["a", "b"], ["mat"]],
  ])("%s", (_, input, ids, fields) => {
    const result = parseComparisonQuery(input, KNOWN);
    expect(result.matIds).toEqual(ids);
    expect(Object.keys(result.issues)).toEqual(fields);
  });

  it.each([
    // mass typed, kg, message field
    ["70", 70, []],
    ["", null, []], // not given is not an error: the index needs no mass
    ["0", null, ["mass"]],
    ["-5", null, ["mass"]],
    ["abc", null, ["mass"]],
    ["400", null, ["mass"]],
  ])("mass %j → %j", (mass, kg, fields) => {
    const result = parseComparisonQuery(q({ mat: ["a", "b"], mass }), KNOWN);
    expect(result.massKg).toBe(kg);
    expect(result.mass).toBe(mass);
    expect(Object.keys(result.issues)).toEqual(fields);
  });

  it.each([
    ["standing", "standing", []],
    ["sitting", "sitting", []],
    ["", "lying", []],
    ["handstand", "lying", ["position"]],
  ])("position %j → %s", (position, parsed, fields) => {
    const result = parseComparisonQuery(q({ mat: ["a", "b"], position }), KNOWN);
    expect(result.position).toBe(parsed);
    expect(Object.keys(result.issues)).toEqual(fields);
  });
});
