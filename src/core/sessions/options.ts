/**
 * The choices a mat session is described by, with the words the pages show. Plain constants
 * (no zod) so the timer island can import them without pulling a validation library into the browser.
 * @module
 */
import type { BodyArea } from "../safety/schema";

/** How the person is on the mat, from the gentlest to the most intense. */
export const POSITIONS = ["lying", "sitting", "feet-only", "standing"] as const;
export type Position = (typeof POSITIONS)[number];

/** Whether the spikes touch bare skin or come through clothing. */
export const LAYERS = ["clothing", "bare-skin"] as const;
export type Layer = (typeof LAYERS)[number];

/** Body areas a session can be aimed at; the same ids as the safety check's areas. */
export const SESSION_AREAS = ["back", "neck-shoulders", "buttocks-hips", "legs", "feet", "other"] as const satisfies readonly BodyArea[];
export type SessionArea = (typeof SESSION_AREAS)[number];

/** The nine 0–10 ratings of a session, in the order the form asks them. */
export const RATINGS = [
  "discomfort",
  "painBefore",
  "painAfter",
  "tensionBefore",
  "tensionAfter",
  "stressBefore",
  "stressAfter",
  "relaxationBefore",
  "relaxationAfter",
] as const;
export type RatingName = (typeof RATINGS)[number];

/** The four feelings rated before and after a session. */
export const MEASURES = ["pain", "tension", "stress", "relaxation"] as const;
export type Measure = (typeof MEASURES)[number];

/** Longest session the timer offers and the plan ever suggests, in minutes. */
export const MAX_SESSION_MINUTES = 40;

export const POSITION_TEXT: Record<Position, string> = {
  lying: "Lying on the mat",
  sitting: "Sitting on or leaning against the mat",
  "feet-only": "Feet only, seated",
  standing: "Standing on the mat",
};

export const LAYER_TEXT: Record<Layer, string> = {
  clothing: "Through clothing",
  "bare-skin": "Bare skin",
};

export const AREA_LABEL: Record<SessionArea, string> = {
  back: "Back",
  "neck-shoulders": "Neck and shoulders",
  "buttocks-hips": "Buttocks and hips",
  legs: "Legs",
  feet: "Feet",
  other: "Somewhere else",
};

/** Labels for each rating, with the ends of the scale said in words. */
export const RATING_TEXT: Record<RatingName, { label: string; hint: string }> = {
  discomfort: { label: "Discomfort on the mat", hint: "0 = none at all, 10 = as bad as you can imagine" },
  painBefore: { label: "Pain before", hint: "0 = no pain, 10 = worst pain imaginable" },
  painAfter: { label: "Pain after", hint: "0 = no pain, 10 = worst pain imaginable" },
  tensionBefore: { label: "Muscle tension before", hint: "0 = fully loose, 10 = as tight as it gets" },
  tensionAfter: { label: "Muscle tension after", hint: "0 = fully loose, 10 = as tight as it gets" },
  stressBefore: { label: "Stress before", hint: "0 = not stressed, 10 = extremely stressed" },
  stressAfter: { label: "Stress after", hint: "0 = not stressed, 10 = extremely stressed" },
  relaxationBefore: { label: "Relaxation before", hint: "0 = not relaxed, 10 = completely relaxed" },
  relaxationAfter: { label: "Relaxation after", hint: "0 = not relaxed, 10 = completely relaxed" },
};

export const MEASURE_TEXT: Record<Measure, string> = { pain: "pain", tension: "muscle tension", stress: "stress", relaxation: "relaxation" };
