/**
 * Whether a saved safety check still counts. Later features (the timer, experiments)
 * require a current check; `now` is a parameter so the rule is testable.
 * @module
 */
import type { SafetyLevel } from "./schema";

/** How long a check stays current, in calendar months. */
export const SAFETY_CHECK_VALID_MONTHS = 6;

/** `date` plus whole calendar months in UTC; a day that does not exist falls back to the month's last day. */
function addMonthsUtc(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(date.getTime());
  out.setUTCFullYear(y, m, Math.min(date.getUTCDate(), lastDay));
  return out;
}

/**
 * Whether a saved check still lets someone use features that need one (timer, experiments):
 * taken no later than `now` and less than six calendar months before it, and not at
 * "see-professional" unless the person confirmed that a professional agreed.
 */
export function isSafetyCheckCurrent(
  check: { level: SafetyLevel; date: Date | string; professionalAgreed?: boolean },
  now: Date,
): boolean {
  const taken = typeof check.date === "string" ? new Date(check.date) : check.date;
  if (Number.isNaN(taken.getTime()) || Number.isNaN(now.getTime())) return false;
  if (taken.getTime() > now.getTime()) return false;
  if (now.getTime() >= addMonthsUtc(taken, SAFETY_CHECK_VALID_MONTHS).getTime()) return false;
  return check.level !== "see-professional" || check.professionalAgreed === true;
}
