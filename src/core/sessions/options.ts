/**
 * The choices a mat session is described by, with the words the pages show. Plain constants
 * (no zod) so the timer island can import them without pulling a validation library into the browser.
 * @module
 */
import { BODY_AREAS, type BodyArea } from "../safety/areas";

/** How the person is on the mat, from the gentlest to the most intense. */
export const POSITIONS = ["lying", "sitting", "feet-only", "standing"] as const;
export type Position = (typeof POSITIONS)[number];

/** Whether the spikes touch bare skin or come through clothing. */
export const LAYERS = ["clothing", "bare-skin"] as const;
export type Layer = (typeof LAYERS)[number];

/** Body areas a session can be aimed at: the safety check's areas. */
export const SESSION_AREAS = BODY_AREAS;
export type SessionArea = BodyArea;

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

/** The one rating a session must have: discomfort on the mat (how a person gets used to the spikes). */
export const REQUIRED_RATING = "discomfort" satisfies RatingName;

/** The ratings a person may skip: the four feelings before and after. */
export const OPTIONAL_RATINGS = RATINGS.filter((r): r is Exclude<RatingName, "discomfort"> => r !== REQUIRED_RATING);

/** The four feelings rated before and after a session. */
export const MEASURES = ["pain", "tension", "stress", "relaxation"] as const;
export type Measure = (typeof MEASURES)[number];

/** Longest session the timer offers and the plan ever suggests, in minutes. */
export const MAX_SESSION_MINUTES = 40;
