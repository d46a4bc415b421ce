import { describe, expect, it } from "vitest";
import { poolEffects } from "../stats/meta-analysis";
import { renderFlowSvg, renderForestSvg } from "./charts";
import { effectOf, effectsCsv, poolEffectsCsv, shareReaching } from "./pooled";

const effects = [
  { id: "P001", effect: 1.2345678901234567, se: 0.41 },
  { id: "P002", effect: -0.3, se: 0.52 },
  { id: "P003", effect: 2.1, se: 1e-1 },
  { id: "P004", effect: 0.00000012, se: 0.33 },
];

describe("pooled results", () => {
  it("turns an effect so that positive favours the mat, and refuses a degenerate one", () => {
    expect(effectOf({ effect_mean: -1.5, effect_sd: 0.4 }, "lower")).toEqual({ effect: 1.5, se: 0.4 });
    expect(effectOf({ effect_mean: 2, effect_sd: 0.4 }, "higher")).toEqual({ effect: 2, se: 0.4 });
    expect(effectOf({ effect_mean: 2, effect_sd: 0 }, "higher")).toBeNull();
  });

  it("writes effects.csv so that reading it back gives the same doubles and the same pooling", () => {
    const csv = effectsCsv(effects);
    expect(csv.startsWith("id,effect,se\r\nP001,1.2345678901234567,0.41\r\n")).toBe(true);
    expect(poolEffectsCsv(csv)).toEqual(poolEffects(effects));
    expect(poolEffectsCsv(csv, "DL")).toEqual(poolEffects(effects, "DL"));
    expect(poolEffectsCsv(effectsCsv(effects.slice(0, 1)))).toBeNull();
  });

  it("gives the share of new people reaching the smallest meaningful change from the predictive distribution", () => {
    expect(shareReaching({ estimate: 1, se: 0.3, tau2: 0.16 }, 1)).toBeCloseTo(0.5, 12);
    expect(shareReaching({ estimate: 1.5, se: 0, tau2: 0.25 }, 1)).toBeCloseTo(0.841344746, 8);
    expect(shareReaching({ estimate: 0, se: 0.1, tau2: 0 }, 1)).toBeLessThan(1e-10);
  });

  it("draws the flow and the forest plot with a title, a description and the prediction interval", () => {
    const flow = renderFlowSvg([
      { stage: "Enrolment", box: "Invited: 3 <x>", side: "Excluded: 1" },
      { stage: "Analysis", box: "In the pooled analysis: 2" },
    ]);
    expect(flow).toContain('<title id="flow-t">Participant flow</title>');
    expect(flow).toContain("Invited: 3 &lt;x&gt;");
    const pool = poolEffects(effects);
    const forest = renderForestSvg(effects, pool, 1, "points");
    expect(forest).toContain("prediction interval for a new person");
    expect(forest.match(/<circle/g)).toHaveLength(4);
  });
});

describe("the forest plot of a large study", () => {
  it("draws many people as a histogram band instead of one row each", () => {
    const rng = Array.from({ length: 200 }, (_, i) => ({
      id: `P${i}`,
      effect: Math.sin(i) * 2,
      se: 0.5 + (i % 5) / 10,
    }));
    const svg = renderForestSvg(rng, poolEffects(rng), 1, "points");
    expect(svg).toContain("as a histogram");
    expect(svg.match(/<circle/g)).toBeNull();
    expect((svg.match(/<rect/g) ?? []).length).toBeLessThanOrEqual(41);
  });
});
