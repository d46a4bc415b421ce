/**
 * The pressure model: from body mass, position and a mat's spike density, an estimate of how
 * many spike tips carry the load, the load on each tip in newtons, and an intensity index
 * relative to a reference mat. Pure and deterministic; every figure below is shown on /mats.
 * The written derivation is docs/decisions/040-pressure-model.md.
 * @module
 */
import { ValidationError } from "../errors";

/** Standard gravity in m/s², used to turn kilograms into newtons. */
export const STANDARD_GRAVITY = 9.80665;

/** The body masses the model accepts, in kilograms (inclusive). */
export const BODY_MASS_LIMITS = { minKg: 20, maxKg: 300 } as const;

/** Where a figure in the model comes from. */
export interface ModelSource {
  /** "published": a citable source; "assumption": our own reasoned figure, with no measurement behind it. */
  kind: "published" | "assumption";
  /** Short citation or the words "matwise assumption". */
  citation: string;
}

export const WINTER_DEMPSTER: ModelSource = {
  kind: "published",
  citation:
    "Dempster's body-segment data, as tabulated by D. A. Winter, Biomechanics and Motor Control of Human Movement (Wiley)",
};
export const OLSSON_2011: ModelSource = {
  kind: "published",
  citation:
    "Olsson E, et al. J Altern Complement Med 2011;17(1):5-12, doi:10.1089/acm.2010.0135 (spike count of the mat studied)",
};
export const MAKER_SIZE: ModelSource = {
  kind: "published",
  citation: "the maker's stated size (740 × 400 mm), not measured by us",
};
export const ASSUMPTION: ModelSource = { kind: "assumption", citation: "matwise assumption: no measurement behind it" };

/** Body segments in Dempster's table; `sides` is 2 for limbs (left and right). */
export type Segment = "headNeck" | "trunk" | "upperArm" | "forearm" | "hand" | "thigh" | "shank" | "foot";

/**
 * Mass of each body segment as a fraction of total body mass (one side for limbs).
 * @see Dempster's data as tabulated by Winter, Biomechanics and Motor Control of Human Movement.
 */
export const SEGMENT_MASS_FRACTIONS: Readonly<Record<Segment, { label: string; fraction: number; sides: 1 | 2 }>> = {
  headNeck: { label: "head and neck", fraction: 0.081, sides: 1 },
  trunk: { label: "trunk", fraction: 0.497, sides: 1 },
  upperArm: { label: "upper arm", fraction: 0.028, sides: 2 },
  forearm: { label: "forearm", fraction: 0.016, sides: 2 },
  hand: { label: "hand", fraction: 0.006, sides: 2 },
  thigh: { label: "thigh", fraction: 0.1, sides: 2 },
  shank: { label: "lower leg (shank)", fraction: 0.0465, sides: 2 },
  foot: { label: "foot", fraction: 0.0145, sides: 2 },
};

export type Position = "lying" | "sitting" | "standing";
export const POSITIONS: readonly Position[] = ["lying", "sitting", "standing"];

/** A part of the body that rests on the mat in a given position. */
export interface ContactRegion {
  id: string;
  label: string;
  /** The segments whose weight this region passes to the mat (both sides for limbs). */
  segments: readonly Segment[];
  /** Skin area over which spike tips touch, in cm². */
  areaCm2: number;
  /** Why we chose this area, in plain words. */
  areaReasoning: string;
  areaSource: ModelSource;
}

export interface PositionModel {
  id: Position;
  label: string;
  /** The posture the figures assume. */
  posture: string;
  regions: readonly ContactRegion[];
  /** What is not on the mat, and where its weight goes instead. */
  offMat: string;
}

const ALL_SEGMENTS: readonly Segment[] = ["headNeck", "trunk", "upperArm", "forearm", "hand", "thigh", "shank", "foot"];

/** The three positions, the body regions each puts on the mat, and the assumed contact areas. */
export const POSITION_MODELS: Readonly<Record<Position, PositionModel>> = {
  lying: {
    id: "lying",
    label: "Lying on your back",
    posture:
      "Lying still on your back with the mat under your back and the back of your head; arms resting beside the body, legs stretched out on the floor.",
    regions: [
      {
        id: "back",
        label: "back (trunk)",
        segments: ["trunk"],
        areaCm2: 1300,
        areaReasoning:
          "A back is roughly 40 cm wide and 50 cm from shoulders to hips, about 2,000 cm² in outline; the hollow of the lower back and the curve of the sides lift off the mat, so we take about two thirds of it.",
        areaSource: ASSUMPTION,
      },
      {
        id: "head",
        label: "back of the head",
        segments: ["headNeck"],
        areaCm2: 100,
        areaReasoning: "The rounded back of the head rests on a patch of roughly 10 × 10 cm.",
        areaSource: ASSUMPTION,
      },
    ],
    offMat: "Arms and legs rest on the floor beside and below the mat, so their weight does not reach the spikes.",
  },
  sitting: {
    id: "sitting",
    label: "Sitting",
    posture:
      "Sitting upright on a mat laid on a firm seat, no backrest, thighs level and feet flat on the floor. Leaning against a mat on a chair back is a different case that the model does not cover.",
    regions: [
      {
        id: "seat",
        label: "buttocks and backs of the thighs",
        segments: ["headNeck", "trunk", "upperArm", "forearm", "hand", "thigh"],
        areaCm2: 1000,
        areaReasoning: "The seat contact of an adult is roughly 40 cm wide and 25 cm deep on a firm seat.",
        areaSource: ASSUMPTION,
      },
    ],
    offMat: "The lower legs and feet pass their weight to the floor through the feet.",
  },
  standing: {
    id: "standing",
    label: "Standing on both feet",
    posture: "Standing still on both bare or socked feet, weight shared evenly.",
    regions: [
      {
        id: "soles",
        label: "soles of both feet",
        segments: ALL_SEGMENTS,
        areaCm2: 240,
        areaReasoning:
          "An adult foot is about 26 × 9.5 cm in outline (about 250 cm²); the arch lifts part of it, so we take about half of that, 120 cm², for each foot.",
        areaSource: ASSUMPTION,
      },
    ],
    offMat: "Nothing: the whole body weight goes through the feet.",
  },
};

/** A mat's geometry as the model needs it; null where no source gives the value. */
export interface MatGeometry {
  spikeCount: number | null;
  lengthMm: number | null;
  widthMm: number | null;
}

/** The reference for the intensity index: 6,210 spikes on 74 × 40 cm, lying on the back. */
export const REFERENCE_MAT: Readonly<MatGeometry & { label: string; position: Position }> = {
  label: "a 6,210-spike mat of 74 × 40 cm (the Shakti original), lying on your back",
  spikeCount: 6210,
  lengthMm: 740,
  widthMm: 400,
  position: "lying",
};

/** One assumption of the model, as listed on the page under "How this is calculated". */
export interface ModelAssumption {
  id: string;
  statement: string;
  source: ModelSource;
}

/** Every assumption of the model, in the order the page lists them. */
export const MODEL_ASSUMPTIONS: readonly ModelAssumption[] = [
  {
    id: "segments",
    statement:
      "Each body segment weighs a fixed fraction of total body mass: head and neck 8.1 %, trunk 49.7 %, each upper arm 2.8 %, forearm 1.6 %, hand 0.6 %, thigh 10 %, lower leg 4.65 %, foot 1.45 %. These are averages from a small group of adult men measured decades ago; your own proportions will differ.",
    source: WINTER_DEMPSTER,
  },
  {
    id: "straight-down",
    statement:
      "Each segment presses straight down on whatever is under it. Lying flat this is close to true; in reality the joints pass a little load between neighbouring segments.",
    source: ASSUMPTION,
  },
  {
    id: "positions",
    statement:
      "Lying: the trunk and the head are on the mat, arms and legs on the floor. Sitting: the seat carries the head, trunk, both arms and both thighs (87.8 % of body mass) and the feet carry the rest. Standing: the feet carry all of it.",
    source: ASSUMPTION,
  },
  {
    id: "areas",
    statement:
      "Contact areas: back 1,300 cm² and back of the head 100 cm² when lying; 1,000 cm² when sitting; 240 cm² for both soles when standing. These are round figures reasoned from body size, not measurements. If the true area is half as large, the load on each tip doubles.",
    source: ASSUMPTION,
  },
  {
    id: "even-spikes",
    statement:
      "Spikes are spread evenly over the whole mat: density is the spike count divided by length × width. Borders without spikes make this a slight underestimate of the density where you lie.",
    source: ASSUMPTION,
  },
  {
    id: "all-tips",
    statement:
      "Every tip under a contact area touches the skin and carries an equal share of that region's weight. A curved body touches fewer tips, so the real load per tip is probably higher and less even.",
    source: ASSUMPTION,
  },
  {
    id: "small-mat",
    statement:
      "If a mat is smaller than the contact area (a small applicator, for example), the whole region still rests on the mat, which lifts it off the floor; the estimate then leans towards the intense side.",
    source: ASSUMPTION,
  },
  {
    id: "not-modelled",
    statement:
      'Not modelled: the shape of the tips (rounded tips should feel gentler), spike height and material, foam thickness (no source states it for any mat), what the mat lies on, and leaning back against a mat propped on a chair back (how much weight the backrest takes depends on how far you lean, which no source measures). "Sitting" here means sitting on the mat.',
    source: ASSUMPTION,
  },
  {
    id: "reference",
    statement:
      "The intensity index divides your load per tip by the load per tip you would have lying on your back on the reference mat: 6,210 spikes on 74 × 40 cm. So 1.0 is that mat lying down, for your own weight.",
    source: OLSSON_2011,
  },
  {
    id: "not-feel",
    statement:
      "The index compares force per tip, not pain. How strongly a tip is felt does not rise in simple proportion to its force, and no study has checked this model against what people feel.",
    source: ASSUMPTION,
  },
];

// ---------------------------------------------------------------------------
// Input parsing
// ---------------------------------------------------------------------------

/** The outcome of parsing a body mass typed by a person: a number of kilograms or a message. */
export type BodyMassResult = { ok: true; kg: number } | { ok: false; message: string };

/**
 * Parses a body mass in kilograms from a form value ("70", "70.5" or "70,5"). Empty, non-numeric,
 * zero, negative and out-of-range values come back as a message that says how to fix them.
 */
export function parseBodyMass(raw: unknown): BodyMassResult {
  const { minKg, maxKg } = BODY_MASS_LIMITS;
  let kg: number;
  if (typeof raw === "number") {
    kg = raw;
  } else if (typeof raw === "string") {
    const text = raw.trim().replace(",", ".");
    if (text === "") return { ok: false, message: "Enter your body mass in kilograms, for example 70." };
    kg = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  } else {
    return { ok: false, message: "Enter your body mass in kilograms, for example 70." };
  }
  if (!Number.isFinite(kg))
    return { ok: false, message: "Body mass must be a number of kilograms, for example 70 or 70.5." };
  if (kg <= 0) return { ok: false, message: "Body mass must be more than 0 kg." };
  if (kg < minKg)
    return {
      ok: false,
      message: `The model covers ${minKg} to ${maxKg} kg. Below ${minKg} kg the adult body proportions it uses do not apply.`,
    };
  if (kg > maxKg)
    return {
      ok: false,
      message: `The model covers ${minKg} to ${maxKg} kg. Please check the number (is it in pounds? 1 kg is about 2.2 lb).`,
    };
  return { ok: true, kg };
}

/** Returns the mass if the model accepts it, or throws a ValidationError with the field message. */
export function requireBodyMass(kg: number): number {
  const parsed = parseBodyMass(kg);
  if (!parsed.ok) throw new ValidationError(parsed.message, { mass: [parsed.message] });
  return parsed.kg;
}

/** Whether a value is one of the model's positions. */
export function isPosition(value: unknown): value is Position {
  return typeof value === "string" && (POSITIONS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

/** Fraction of body mass a region (or a whole position) passes to the mat. */
export function getLoadFraction(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + SEGMENT_MASS_FRACTIONS[s].fraction * SEGMENT_MASS_FRACTIONS[s].sides, 0);
}

/** Fraction of body mass on the mat in a position (lying 0.578, sitting 0.878, standing 1). */
export function getPositionLoadFraction(position: Position): number {
  return POSITION_MODELS[position].regions.reduce((sum, r) => sum + getLoadFraction(r.segments), 0);
}

export type DensityResult = { ok: true; perCm2: number; areaCm2: number } | { ok: false; reason: string };

/** Spikes per cm², averaged over the whole mat; says why when the count or size is unknown. */
export function getSpikeDensity(mat: MatGeometry): DensityResult {
  const missing: string[] = [];
  if (mat.spikeCount === null) missing.push("spike count");
  if (mat.lengthMm === null || mat.widthMm === null) missing.push("size");
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `Cannot estimate: the ${missing.join(" and ")} of this mat ${missing.length > 1 ? "are" : "is"} not in our sources, so its spike density is unknown. We do not guess it.`,
    };
  }
  const count = mat.spikeCount as number;
  const areaCm2 = ((mat.lengthMm as number) / 10) * ((mat.widthMm as number) / 10);
  if (!(count > 0) || !(areaCm2 > 0))
    return { ok: false, reason: "Cannot estimate: the spike count and size must both be more than zero." };
  return { ok: true, perCm2: count / areaCm2, areaCm2 };
}

export interface RegionContact {
  id: string;
  label: string;
  /** Fraction of body mass this region passes to the mat. */
  loadFraction: number;
  /** Area used after fitting the footprint to the mat, cm². */
  areaCm2: number;
  tips: number;
}

export type ContactEstimate =
  | {
      kind: "estimate";
      position: Position;
      densityPerCm2: number;
      /** Estimated spike tips touching the body, all regions together. */
      tips: number;
      regions: RegionContact[];
      /** Load per tip relative to the reference mat lying on the back, for the same person. */
      intensityIndex: number;
      /** True when the footprint was larger than the mat and was shrunk to fit it. */
      footprintExceedsMat: boolean;
    }
  | { kind: "unknown"; position: Position; reason: string };

/** Load per tip per newton of body weight, the quantity the index compares (mass cancels out). */
function loadPerTipPerNewton(regions: readonly RegionContact[]): number {
  const fraction = regions.reduce((s, r) => s + r.loadFraction, 0);
  const tips = regions.reduce((s, r) => s + r.tips, 0);
  return fraction / tips;
}

function getRegionContacts(
  position: Position,
  density: { perCm2: number; areaCm2: number },
): { regions: RegionContact[]; exceeds: boolean } {
  const model = POSITION_MODELS[position];
  const footprint = model.regions.reduce((s, r) => s + r.areaCm2, 0);
  const exceeds = footprint > density.areaCm2;
  const scale = exceeds ? density.areaCm2 / footprint : 1;
  const regions = model.regions.map((r) => {
    const areaCm2 = r.areaCm2 * scale;
    return {
      id: r.id,
      label: r.label,
      loadFraction: getLoadFraction(r.segments),
      areaCm2,
      tips: density.perCm2 * areaCm2,
    };
  });
  return { regions, exceeds };
}

const REFERENCE_PER_NEWTON = (() => {
  const density = getSpikeDensity(REFERENCE_MAT);
  if (!density.ok) throw new Error("reference mat must have a known density");
  return loadPerTipPerNewton(getRegionContacts(REFERENCE_MAT.position, density).regions);
})();

/**
 * Estimates the tips in contact and the intensity index for a mat and position; needs no body
 * mass, because the index compares the same person on two surfaces and mass cancels out.
 * @see docs/decisions/040-pressure-model.md
 */
export function estimateContact(mat: MatGeometry, position: Position): ContactEstimate {
  const density = getSpikeDensity(mat);
  if (!density.ok) return { kind: "unknown", position, reason: density.reason };
  const { regions, exceeds } = getRegionContacts(position, density);
  return {
    kind: "estimate",
    position,
    densityPerCm2: density.perCm2,
    tips: regions.reduce((s, r) => s + r.tips, 0),
    regions,
    intensityIndex: loadPerTipPerNewton(regions) / REFERENCE_PER_NEWTON,
    footprintExceedsMat: exceeds,
  };
}

export interface RegionPressure extends RegionContact {
  /** Weight this region puts on the mat, N. */
  loadN: number;
  loadPerTipN: number;
}

export type PressureEstimate =
  | (Omit<Extract<ContactEstimate, { kind: "estimate" }>, "regions"> & {
      massKg: number;
      /** Total weight on the mat, N. */
      loadN: number;
      /** Average load on one tip, N. */
      loadPerTipN: number;
      /** The same load expressed as the weight of a mass in grams, for a feel of its size. */
      gramsPerTip: number;
      regions: RegionPressure[];
    })
  | { kind: "unknown"; position: Position; reason: string };

/**
 * Estimates the load on the mat, the tips carrying it and the load per tip (N) for a body mass,
 * position and mat. Throws a ValidationError if the mass is outside the model's range.
 * @see docs/decisions/040-pressure-model.md; segment fractions from Dempster via Winter.
 */
export function estimatePressure(input: { massKg: number; position: Position; mat: MatGeometry }): PressureEstimate {
  const massKg = requireBodyMass(input.massKg);
  const contact = estimateContact(input.mat, input.position);
  if (contact.kind === "unknown") return contact;
  const weightN = massKg * STANDARD_GRAVITY;
  const regions = contact.regions.map((r) => {
    const loadN = r.loadFraction * weightN;
    return { ...r, loadN, loadPerTipN: loadN / r.tips };
  });
  const loadN = regions.reduce((s, r) => s + r.loadN, 0);
  const loadPerTipN = loadN / contact.tips;
  return { ...contact, massKg, regions, loadN, loadPerTipN, gramsPerTip: (loadPerTipN / STANDARD_GRAVITY) * 1000 };
}
