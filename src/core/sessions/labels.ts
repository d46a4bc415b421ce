/**
 * Words the session pages, the timer and the plan show for positions, layers and ratings.
 * Body areas are named once, in `../safety/labels.ts` (AREA_TEXT).
 * @module
 */
import { AREA_TEXT } from "../safety/labels";
import type { BodyArea } from "../safety/schema";
import type { Layer, Measure, Position, RatingName } from "./options";

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

/** A duration in seconds as "12 min", "12 min 30 s" or "45 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ""}`;
}

/** One line about a session: "12 min, lying on the mat, back, through clothing, on Shakti." */
export function describeSession(s: { durationSeconds: number; position: Position; area: BodyArea; layer: Layer }, matName: string | null): string {
  const parts = [formatDuration(s.durationSeconds), POSITION_TEXT[s.position].toLowerCase(), AREA_TEXT[s.area].label.toLowerCase(), LAYER_TEXT[s.layer].toLowerCase()];
  return `${parts.join(", ")}${matName ? `, on ${matName}` : ""}.`;
}
