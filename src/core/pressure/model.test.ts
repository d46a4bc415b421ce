import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { describeComparison, formatEstimate, formatKg } from "./format";
import {
  BODY_MASS_LIMITS,
  estimateContact,
  estimatePressure,
  getPositionLoadFraction,
  getSpikeDensity,
  isPosition,
  MODEL_ASSUMPTIONS,
  parseBodyMass,
  POSITION_MODELS,
  POSITIONS,
  REFERENCE_MAT,
  SEGMENT_MASS_FRACTIONS,
  type MatGeometry,
  type Position,
} from "./model";

const REFERENCE: MatGeometry = { spikeCount: 6210, lengthMm: 740, widthMm: 400 };
const TYPICAL: MatGeometry = { spikeCount: 6000, lengthMm: 700, widthMm: 400 };
const GENTLE: MatGeometry = { spikeCount: 8800, lengthMm: 700, widthMm: 400 };
const APPLICATOR: MatGeometry = { spikeCount: 1320, lengthMm: 508, widthMm: 228.6 };

function contact(mat: MatGeometry, position: Position) {
  const c = estimateContact(mat, position);
  if (c.kind !== "estimate") throw new Error(c.reason);
  return c;
}
function pressure(massKg: number, position: Position, mat: MatGeometry = REFERENCE) {
  const p = estimatePressure({ massKg, position, mat });
  if (p.kind !== "estimate") throw new Error(p.reason);
  return p;
}

describe("segment fractions (Dempster via Winter)", () => {
  it("add up to the whole body", () => {
    const total = Object.values(SEGMENT_MASS_FRACTIONS).reduce((s, x) => s + x.fraction * x.sides, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it.each([
    // trunk 0.497 + head and neck 0.081
    ["lying", 0.578],
    // everything except both shanks and feet: 1 − 2 × (0.0465 + 0.0145)
    ["sitting", 0.878],
    // the whole body on the feet
    ["standing", 1],
  ] as const)("%s puts %f of body mass on the mat", (position, fraction) => {
    expect(getPositionLoadFraction(position)).toBeCloseTo(fraction, 10);
  });
});

describe("reference point", () => {
  it("is 6,210 spikes on 74 × 40 cm, lying on the back", () => {
    expect(REFERENCE_MAT).toMatchObject({ ...REFERENCE, position: "lying" });
  });

  it("has an intensity index of exactly 1", () => {
    expect(contact(REFERENCE, "lying").intensityIndex).toBeCloseTo(1, 12);
  });

  it("gives the worked example of the decision record for 70 kg", () => {
    const p = pressure(70, "lying");
    expect(p.densityPerCm2).toBeCloseTo(6210 / 2960, 10);
    expect(p.tips).toBeCloseTo((6210 / 2960) * 1400, 6); // ≈ 2,937 tips
    expect(p.loadN).toBeCloseTo(0.578 * 70 * 9.80665, 6); // ≈ 396.8 N
    expect(p.loadPerTipN).toBeCloseTo(0.1351, 3);
    expect(formatEstimate(p.loadPerTipN)).toBe("0.14");
    expect(p.gramsPerTip).toBeCloseTo(13.8, 1);
  });
});

describe("orderings the model must reproduce", () => {
  it.each([
    // same 70 × 40 cm outline, more spikes
    ["8,800 vs 6,000 on 70 × 40 cm", GENTLE, TYPICAL],
    // the reference against the same count on a larger mat is not this case; same area only
    ["7,000 vs 6,210 on 74 × 40 cm", { spikeCount: 7000, lengthMm: 740, widthMm: 400 }, REFERENCE],
    ["6,211 vs 6,210 on 74 × 40 cm (one spike more)", { spikeCount: 6211, lengthMm: 740, widthMm: 400 }, REFERENCE],
  ])("more spikes on the same area is gentler: %s", (_, more, fewer) => {
    for (const position of POSITIONS) {
      expect(contact(more, position).intensityIndex).toBeLessThan(contact(fewer, position).intensityIndex);
      expect(pressure(70, position, more).loadPerTipN).toBeLessThan(pressure(70, position, fewer).loadPerTipN);
    }
  });

  it.each([
    ["reference mat", REFERENCE],
    ["typical mat", TYPICAL],
    ["gentle mat", GENTLE],
    ["small applicator", APPLICATOR],
  ])("standing is far more intense than lying (at least 4×) on the %s", (_, mat) => {
    const lying = contact(mat, "lying").intensityIndex;
    const sitting = contact(mat, "sitting").intensityIndex;
    const standing = contact(mat, "standing").intensityIndex;
    expect(standing / lying).toBeGreaterThan(4);
    expect(sitting).toBeGreaterThan(lying);
    expect(standing).toBeGreaterThan(sitting);
  });

  it.each([
    [50, 51],
    [60, 90],
    [20, 300],
  ])("a heavier person loads each tip more: %i kg < %i kg", (lighter, heavier) => {
    for (const position of POSITIONS) {
      expect(pressure(heavier, position).loadPerTipN).toBeGreaterThan(pressure(lighter, position).loadPerTipN);
    }
  });

  it("load per tip is proportional to mass, and the index does not depend on it", () => {
    expect(pressure(100, "sitting").loadPerTipN / pressure(50, "sitting").loadPerTipN).toBeCloseTo(2, 10);
    expect(pressure(100, "sitting").intensityIndex).toBeCloseTo(pressure(50, "sitting").intensityIndex, 12);
  });
});

describe("known index values (regression table; see docs/decisions/040-pressure-model.md)", () => {
  it.each([
    // name, mat, position, index (to 2 significant digits)
    ["reference", REFERENCE, "lying", "1"],
    ["reference", REFERENCE, "sitting", "2.1"],
    ["reference", REFERENCE, "standing", "10"],
    ["typical 6,000 on 70 × 40", TYPICAL, "lying", "0.98"],
    ["gentle 8,800 on 70 × 40", GENTLE, "lying", "0.67"],
    // 1,400 cm² footprint > 1,161 cm² applicator: all 1,320 points carry the load
    ["Kuznetsov-type applicator", APPLICATOR, "lying", "2.2"],
  ] as const)("%s, %s → %s", (_, mat, position, index) => {
    expect(formatEstimate(contact(mat, position).intensityIndex)).toBe(index);
  });

  it("uses the whole applicator when the footprint is larger than the mat, and says so", () => {
    const c = contact(APPLICATOR, "lying");
    expect(c.footprintExceedsMat).toBe(true);
    expect(c.tips).toBeCloseTo(1320, 6);
    expect(contact(APPLICATOR, "standing").footprintExceedsMat).toBe(false);
  });
});

describe("unknown values are never guessed", () => {
  it.each([
    ["no size", { spikeCount: 6210, lengthMm: null, widthMm: null }, "size"],
    ["only a length", { spikeCount: 6210, lengthMm: 740, widthMm: null }, "size"],
    ["no spike count", { spikeCount: null, lengthMm: 740, widthMm: 400 }, "spike count"],
    ["nothing known", { spikeCount: null, lengthMm: null, widthMm: null }, "spike count and size"],
  ] as const)("%s → cannot compute density", (_, mat, missing) => {
    const density = getSpikeDensity(mat);
    expect(density.ok).toBe(false);
    if (!density.ok) expect(density.reason).toContain(`the ${missing} of this mat`);
    expect(estimateContact(mat, "lying").kind).toBe("unknown");
    expect(estimatePressure({ massKg: 70, position: "lying", mat }).kind).toBe("unknown");
  });

  it("refuses a zero size", () => {
    expect(getSpikeDensity({ spikeCount: 10, lengthMm: 0, widthMm: 10 }).ok).toBe(false);
  });
});

describe("body mass input bounds", () => {
  it.each([
    // value typed in the form, accepted kg
    ["70", 70],
    [" 70.5 ", 70.5],
    ["70,5", 70.5], // decimal comma
    ["20", 20], // lower limit included
    ["300", 300], // upper limit included
    [82, 82],
  ])("accepts %j as %f kg", (raw, kg) => {
    expect(parseBodyMass(raw)).toEqual({ ok: true, kg });
  });

  it.each([
    ["", /Enter your body mass/],
    ["   ", /Enter your body mass/],
    [undefined, /Enter your body mass/],
    [null, /Enter your body mass/],
    ["seventy", /must be a number/],
    ["70kg", /must be a number/],
    ["1e2", /must be a number/],
    ["NaN", /must be a number/],
    [Number.NaN, /must be a number/],
    [Number.POSITIVE_INFINITY, /must be a number/],
    ["0", /more than 0 kg/],
    [0, /more than 0 kg/],
    ["-60", /more than 0 kg/],
    ["19.9", /covers 20 to 300 kg/],
    ["301", /pounds/],
    ["1000", /pounds/],
  ])("refuses %j with a message", (raw, message) => {
    const result = parseBodyMass(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it.each([0, -1, 19, 301, Number.NaN])(
    "estimatePressure refuses %f kg with a ValidationError on the mass field",
    (massKg) => {
      expect(() => estimatePressure({ massKg, position: "lying", mat: REFERENCE })).toThrow(ValidationError);
      try {
        estimatePressure({ massKg, position: "lying", mat: REFERENCE });
      } catch (err) {
        expect((err as ValidationError).issues.mass?.length).toBe(1);
      }
    },
  );

  it("limits match the documented range", () => {
    expect(BODY_MASS_LIMITS).toEqual({ minKg: 20, maxKg: 300 });
  });
});

describe("positions", () => {
  it.each([
    ["lying", true],
    ["standing", true],
    ["kneeling", false],
    ["", false],
    [undefined, false],
  ])("isPosition(%j) is %s", (value, ok) => {
    expect(isPosition(value)).toBe(ok);
  });

  it("every contact area is a stated assumption with its reasoning", () => {
    for (const p of POSITIONS) {
      for (const r of POSITION_MODELS[p].regions) {
        expect(r.areaCm2).toBeGreaterThan(0);
        expect(r.areaReasoning.length).toBeGreaterThan(20);
        expect(r.areaSource.kind).toBe("assumption");
      }
    }
    expect(MODEL_ASSUMPTIONS.find((a) => a.id === "segments")?.source.kind).toBe("published");
  });
});

describe("describeComparison", () => {
  it.each([
    [
      [
        ["A", TYPICAL],
        ["B", GENTLE],
      ],
      /B is the gentlest .* about 0\.68 times .* on A/,
    ],
    [
      [
        ["A", REFERENCE],
        ["B", REFERENCE],
      ],
      /about equally hard/,
    ],
    [
      [
        ["A", REFERENCE],
        ["B", { spikeCount: null, lengthMm: null, widthMm: null }],
      ],
      /Only A .* One mat has no estimate/,
    ],
    [[["A", { spikeCount: 1, lengthMm: null, widthMm: null }]], /cannot compare/],
  ] as const)("%j", (rows, expected) => {
    const sentence = describeComparison(rows.map(([name, mat]) => ({ name, contact: estimateContact(mat, "lying") })));
    expect(sentence).toMatch(expected);
  });
});

describe("formatting", () => {
  it.each([
    [2937.2, "2,900"],
    [0.13512, "0.14"],
    [10.09, "10"],
    [0.6676, "0.67"],
  ])("formatEstimate(%f) = %s", (value, text) => {
    expect(formatEstimate(value)).toBe(text);
  });

  it.each([
    [70, "70 kg"],
    [72.5, "72.5 kg"],
    [72.46, "72.5 kg"],
  ])("formatKg(%f) = %s", (kg, text) => {
    expect(formatKg(kg)).toBe(text);
  });
});
