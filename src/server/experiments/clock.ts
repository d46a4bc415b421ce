/**
 * A person's clock for experiments: their time zone (local dates come from getLocalDate in core).
 * Day boundaries ("today", "day 5") are the person's local midnight. Made in one place, beside
 * the session's `clockOf`.
 * @module
 */
export { getPersonClock } from "../auth/session";
