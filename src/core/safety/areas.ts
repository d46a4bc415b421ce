/**
 * The body areas and the safety levels as plain constants (no zod), written once: the safety
 * check's schema builds its enums from them, a session is aimed at one of the same areas, and
 * the timer island can import them without pulling a validation library into the browser.
 * @module
 */

/** Outcome levels, most serious first. The order is the contract the engine relies on. */
export const SAFETY_LEVELS = ["see-professional", "keep-area-off", "extra-care", "fine"] as const;
export type SafetyLevel = (typeof SAFETY_LEVELS)[number];

/** Where on the body: a skin problem the check asks about, an area to keep off the mat, a session's aim. */
export const BODY_AREAS = ["back", "neck-shoulders", "buttocks-hips", "legs", "feet", "other"] as const;
export type BodyArea = (typeof BODY_AREAS)[number];
