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
  sitting: "Sitting on the mat",
  "feet-only": "Feet only, seated",
  standing: "Standing on the mat",
};

export const LAYER_TEXT: Record<Layer, string> = {
  clothing: "Through clothing",
  "bare-skin": "Bare skin",
};

/** Labels for each rating, with the ends of the 0–10 scale said in words (`low` at 0, `high` at 10). */
export const RATING_TEXT: Record<RatingName, { label: string; hint: string; low: string; high: string }> = rated({
  discomfort: ["Discomfort on the mat", "none at all", "as bad as you can imagine"],
  painBefore: ["Pain before", "no pain", "worst pain imaginable"],
  painAfter: ["Pain after", "no pain", "worst pain imaginable"],
  tensionBefore: ["Muscle tension before", "fully loose", "as tight as it gets"],
  tensionAfter: ["Muscle tension after", "fully loose", "as tight as it gets"],
  stressBefore: ["Stress before", "not stressed", "extremely stressed"],
  stressAfter: ["Stress after", "not stressed", "extremely stressed"],
  relaxationBefore: ["Relaxation before", "not relaxed", "completely relaxed"],
  relaxationAfter: ["Relaxation after", "not relaxed", "completely relaxed"],
});

function rated(words: Record<RatingName, [string, string, string]>) {
  return Object.fromEntries(
    Object.entries(words).map(([k, [label, low, high]]) => [k, { label, low, high, hint: `0 = ${low}, 10 = ${high}` }]),
  ) as Record<RatingName, { label: string; hint: string; low: string; high: string }>;
}

/** The feelings' names without "before" or "after", for a pair of scales: "Pain", "Muscle tension". */
export const MEASURE_LABEL: Record<Measure, string> = {
  pain: "Pain",
  tension: "Muscle tension",
  stress: "Stress",
  relaxation: "Relaxation",
};

export const MEASURE_TEXT: Record<Measure, string> = {
  pain: "pain",
  tension: "muscle tension",
  stress: "stress",
  relaxation: "relaxation",
};

/** A duration in seconds as "12 min", "12 min 30 s" or "45 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ""}`;
}

/** One line about a session: "12 min, lying on the mat, back, through clothing, on Shakti." */
export function describeSession(
  s: { durationSeconds: number; position: Position; area: BodyArea; layer: Layer },
  matName: string | null,
): string {
  const parts = [
    formatDuration(s.durationSeconds),
    POSITION_TEXT[s.position].toLowerCase(),
    AREA_TEXT[s.area].label.toLowerCase(),
    LAYER_TEXT[s.layer].toLowerCase(),
  ];
  return `${parts.join(", ")}${matName ? `, on ${matName}` : ""}.`;
}

/** One session of the log, in words. */
export interface SessionLine {
  id: string;
  /** When it started, on the person's clock: "25 Nov 2026, 21:30". */
  when: string;
  summary: string;
  discomfort: number;
  /** Before → after, per feeling rated; "–" stands for a side that was skipped. */
  changes: { label: string; before: string; after: string }[];
  note: string | null;
}
