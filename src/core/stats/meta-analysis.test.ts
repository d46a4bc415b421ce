import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import bcg from "./fixtures/metafor-bcg.json";
import k2 from "./fixtures/metafor-k2.json";
import k25 from "./fixtures/metafor-k25.json";
import k2000 from "./fixtures/metafor-k2000.json";
import tau2Zero from "./fixtures/metafor-tau2-zero.json";
import { parsePersonRows, poolEffects, type PoolMethod, type PoolResult } from "./meta-analysis";

/** Fixtures written by scripts/stats/metafor-fixtures.R (metafor 3.8.1 defaults). */
interface MetaforFit {
  estimate: number;
  se: number;
  ci95: number[];
  z: number;
  p: number;
  tau2: number;
  I2: number;
  H2: number;
  Q: number;
  Q_df: number;
  Q_p: number;
  pi95: number[];
  blup: { pred: number[]; se: number[]; pi_lb: number[]; pi_ub: number[] };
}
interface MetaforCase {
  name: string;
  ids: string[];
  yi: number[];
  sei: number[];
  REML: MetaforFit;
  DL: MetaforFit;
}

const RELATIVE = 1e-6;

/** Relative difference, with an absolute floor for values that are 0 in metafor. */
function expectClose(actual: number, expected: number, label: string): void {
  const scale = Math.max(Math.abs(expected), 1e-12);
  expect(Math.abs(actual - expected) / scale, `${label}: ${actual} vs metafor ${expected}`).toBeLessThan(RELATIVE);
}

function compare(result: PoolResult, fit: MetaforFit): void {
  for (const key of ["estimate", "se", "z", "p", "tau2", "I2", "H2", "Q", "Q_p"] as const) {
    if (fit[key] === 0) expect(Math.abs(result[key]), key).toBeLessThan(1e-12);
    else expectClose(result[key], fit[key], key);
  }
  expect(result.Q_df).toBe(fit.Q_df);
  expectClose(result.ci95[0], fit.ci95[0]!, "ci95 lower");
  expectClose(result.ci95[1], fit.ci95[1]!, "ci95 upper");
  expectClose(result.pi95[0], fit.pi95[0]!, "pi95 lower");
  expectClose(result.pi95[1], fit.pi95[1]!, "pi95 upper");
  result.people.forEach((person, i) => {
    expectClose(person.estimate, fit.blup.pred[i]!, `blup pred ${person.id}`);
    expectClose(person.se, fit.blup.se[i]!, `blup se ${person.id}`);
    expectClose(person.pi95[0], fit.blup.pi_lb[i]!, `blup pi.lb ${person.id}`);
    expectClose(person.pi95[1], fit.blup.pi_ub[i]!, `blup pi.ub ${person.id}`);
  });
}

const cases: MetaforCase[] = [bcg, k2, tau2Zero, k25, k2000];

describe.each(cases)("poolEffects agrees with metafor on $name", (fixture) => {
  const people = fixture.ids.map((id, i) => ({ id, effect: fixture.yi[i]!, se: fixture.sei[i]! }));
  it.each<PoolMethod>(["REML", "DL"])("%s", (method) => {
    const result = poolEffects(people, method);
    expect(result.k).toBe(fixture.ids.length);
    expect(result.method).toBe(method);
    compare(result, fixture[method]);
  });
});

describe("poolEffects on the published BCG example", () => {
  it("reproduces the values printed in metafor's documentation", () => {
    const people = bcg.ids.map((id, i) => ({ id, effect: bcg.yi[i]!, se: bcg.sei[i]! }));
    const result = poolEffects(people, "REML");
    // rma(yi, vi, data = dat) for dat.bcg: estimate -0.7145, se 0.1798, tau^2 0.3132, I^2 92.22%.
    expect(result.estimate).toBeCloseTo(-0.7145, 4);
    expect(result.se).toBeCloseTo(0.1798, 4);
    expect(result.tau2).toBeCloseTo(0.3132, 4);
    expect(result.I2).toBeCloseTo(92.22, 2);
  });

  it("truncates tau2 at 0 and then shrinks every person to the pooled estimate", () => {
    const people = tau2Zero.ids.map((id, i) => ({ id, effect: tau2Zero.yi[i]!, se: tau2Zero.sei[i]! }));
    const result = poolEffects(people, "REML");
    expect(result.tau2).toBe(0);
    expect(result.I2).toBe(0);
    expect(result.H2).toBe(1);
    for (const person of result.people) expect(person.estimate).toBeCloseTo(result.estimate, 12);
  });
});

describe("parsePersonRows", () => {
  const row = (r: number, id: string, effect: string, se: string) => ({ row: r, id, effect, se });
  it.each([
    // a zero se would make an infinite weight
    [[row(2, "a", "1", "0"), row(3, "b", "1", "1")], "row 2: se must be positive"],
    // negative se
    [[row(2, "a", "1", "1"), row(3, "b", "1", "-0.5")], "row 3: se must be positive"],
    // non-numeric effect
    [[row(2, "a", "x", "1"), row(3, "b", "1", "1")], 'row 2: effect "x" is not a number'],
    // duplicate id
    [[row(2, "a", "1", "1"), row(3, "a", "1", "1")], 'row 3: duplicate id "a"'],
    // one person only
    [[row(2, "a", "1", "1")], "row 2: need at least 2 people"],
  ])("rejects bad rows (%#)", (rows, message) => {
    expect(() => parsePersonRows(rows)).toThrow(ValidationError);
    expect(() => parsePersonRows(rows)).toThrow(message);
  });

  it("accepts good rows", () => {
    expect(parsePersonRows([row(2, " a ", "-1.5", "0.3"), row(3, "b", "2e-1", ".5")])).toEqual([
      { id: "a", effect: -1.5, se: 0.3 },
      { id: "b", effect: 0.2, se: 0.5 },
    ]);
  });
});
