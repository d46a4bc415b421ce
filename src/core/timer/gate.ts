/**
 * Whether someone may start the timer: a safety check from the last six months whose level is
 * not "see a professional first" unless a professional's agreement was confirmed. The same rule
 * serves a saved check (signed in) and the result a visitor keeps in the browser.
 * @module
 */
import { isSafetyCheckCurrent } from "../safety/current";
import type { SafetyLevel } from "../safety/schema";

/** The browser-kept result: the level and the date, nothing else (plus the date of a professional's agreement). */
export interface KeptCheck {
  level: SafetyLevel;
  /** When the check was taken, ISO 8601. */
  date: string;
  /** When the person confirmed that a healthcare professional agreed, ISO 8601. */
  professionalAgreedAt?: string;
}

/** Where a visitor's kept result lives in localStorage. */
export const KEPT_CHECK_KEY = "matwise.safety-check";

const LEVELS: readonly string[] = ["see-professional", "keep-area-off", "extra-care", "fine"];
const isIsoDate = (v: unknown): v is string => typeof v === "string" && v.length <= 40 && !Number.isNaN(Date.parse(v));

/** Reads a kept result from its stored text; anything malformed counts as no result. */
export function parseKeptCheck(raw: string | null): KeptCheck | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { level, date, professionalAgreedAt } = value as Record<string, unknown>;
  if (typeof level !== "string" || !LEVELS.includes(level) || !isIsoDate(date)) return null;
  return { level: level as SafetyLevel, date, ...(isIsoDate(professionalAgreedAt) ? { professionalAgreedAt } : {}) };
}

export type TimerGate = { ok: true } | { ok: false; reason: "missing" | "expired" | "see-professional" };

/** The gate for a check (saved or kept), or "missing" when there is none. */
export function getTimerGate(check: { level: SafetyLevel; date: string; professionalAgreed?: boolean } | null, now: Date): TimerGate {
  if (!check) return { ok: false, reason: "missing" };
  if (isSafetyCheckCurrent(check, now)) return { ok: true };
  const stillRecent = isSafetyCheckCurrent({ ...check, level: "fine" }, now);
  return { ok: false, reason: stillRecent ? "see-professional" : "expired" };
}

/** The gate for a browser-kept result. */
export function getKeptCheckGate(kept: KeptCheck | null, now: Date): TimerGate {
  return getTimerGate(kept && { level: kept.level, date: kept.date, professionalAgreed: kept.professionalAgreedAt !== undefined }, now);
}

/** Plain words for a closed gate; the page adds the link to the safety check. */
export const GATE_TEXT: Record<Exclude<TimerGate, { ok: true }>["reason"], string> = {
  missing: "Before your first session, please take the safety check. It takes a few minutes and tells you whether a mat suits you.",
  expired: "Your last safety check is more than six months old. Please take it again before the next session: health can change.",
  "see-professional": "Your safety check says to see a healthcare professional first. Once one has agreed that you may use a mat, confirm it and the timer opens.",
};
