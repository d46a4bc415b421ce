/**
 * Whether someone may start the timer: a safety check from the last six months whose level is
 * not "see a professional first" unless a professional's agreement was confirmed. The same rule
 * serves a saved check (signed in) and the result kept in the browser (a first-party cookie
 * set by a form post, so it works without JavaScript too).
 * @module
 */
import { isSafetyCheckCurrent } from "../safety/current";
import { z } from "zod";
import { parseKeptJson } from "../kept-json";
import { BODY_AREAS, SAFETY_LEVELS, type BodyArea, type SafetyLevel } from "../safety/areas";

/** The browser-kept result: the level, the date and the areas to keep off the mat, nothing else (plus the date of a professional's agreement). */
export interface KeptCheck {
  level: SafetyLevel;
  /** When the check was taken, ISO 8601. */
  date: string;
  /** Areas the check said to keep off the mat. */
  areasOff: BodyArea[];
  /** When the person confirmed that a healthcare professional agreed, ISO 8601. */
  professionalAgreedAt?: string;
}

/** Name of the cookie that keeps a result in the browser. */
export const KEPT_CHECK_COOKIE = "matwise-check";

/** An ISO 8601 date and time, normalized (Date.parse must read it). */
const isoDate = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)))
  .transform((v) => new Date(v).toISOString());

const isBodyArea = (a: unknown): a is BodyArea => (BODY_AREAS as readonly unknown[]).includes(a);

/**
 * The cookie's JSON: a known level and a date are needed; unknown or repeated areas, and an
 * unreadable agreement date, are dropped rather than refusing the whole result.
 */
const KeptCheckSchema = z
  .object({
    level: z.enum(SAFETY_LEVELS),
    date: isoDate,
    areasOff: z.unknown().transform((v): BodyArea[] => (Array.isArray(v) ? [...new Set(v.filter(isBodyArea))] : [])),
    professionalAgreedAt: isoDate.optional().catch(undefined),
  })
  .transform(({ professionalAgreedAt, ...check }): KeptCheck => ({
    ...check,
    ...(professionalAgreedAt ? { professionalAgreedAt } : {}),
  }));

/** Reads a kept result from its stored text (JSON); anything malformed counts as no result, and unknown keys are dropped. */
export function parseKeptCheck(raw: string | null | undefined): KeptCheck | null {
  return parseKeptJson(KeptCheckSchema, raw);
}

/** The text a kept result is stored as (the inverse of parseKeptCheck). */
export function serializeKeptCheck(kept: KeptCheck): string {
  return JSON.stringify({
    level: kept.level,
    date: kept.date,
    areasOff: kept.areasOff,
    ...(kept.professionalAgreedAt ? { professionalAgreedAt: kept.professionalAgreedAt } : {}),
  });
}

export type TimerGate = { ok: true } | { ok: false; reason: "missing" | "expired" | "see-professional" };

/** The gate for a check (saved or kept), or "missing" when there is none. */
export function getTimerGate(
  check: { level: SafetyLevel; date: string; professionalAgreed?: boolean } | null,
  now: Date,
): TimerGate {
  if (!check) return { ok: false, reason: "missing" };
  if (isSafetyCheckCurrent(check, now)) return { ok: true };
  const stillRecent = isSafetyCheckCurrent({ ...check, level: "fine" }, now);
  return { ok: false, reason: stillRecent ? "see-professional" : "expired" };
}

/** The gate for a browser-kept result. */
export function getKeptCheckGate(kept: KeptCheck | null, now: Date): TimerGate {
  return getTimerGate(kept && toCheck(kept), now);
}

/** A safety result as the gate, the plan and Today read it, wherever it is kept. */
export interface CurrentResult {
  /** "saved": in the account (then `id` names the saved check); "kept": in this browser. */
  source: "saved" | "kept";
  id?: string;
  level: SafetyLevel;
  date: string;
  areasOff: BodyArea[];
  professionalAgreed: boolean;
}

const toCheck = (kept: KeptCheck) => ({
  level: kept.level,
  date: kept.date,
  professionalAgreed: kept.professionalAgreedAt !== undefined,
});

/**
 * The result that counts: a current saved check first, else a current kept one, else the newer
 * of the two (so the gate can say it is out of date, or waits for a professional), else null.
 */
export function chooseResult(
  saved: { id: string; level: SafetyLevel; date: string; areasOffMat: BodyArea[]; professionalAgreed: boolean } | null,
  kept: KeptCheck | null,
  now: Date,
): CurrentResult | null {
  const candidates: CurrentResult[] = [
    ...(saved
      ? [
          {
            source: "saved" as const,
            id: saved.id,
            level: saved.level,
            date: saved.date,
            areasOff: saved.areasOffMat,
            professionalAgreed: saved.professionalAgreed,
          },
        ]
      : []),
    ...(kept
      ? [
          {
            source: "kept" as const,
            level: kept.level,
            date: kept.date,
            areasOff: kept.areasOff,
            professionalAgreed: kept.professionalAgreedAt !== undefined,
          },
        ]
      : []),
  ];
  const current = candidates.find((c) => isSafetyCheckCurrent(c, now));
  if (current) return current;
  return [...candidates].sort((a, b) => Date.parse(b.date) - Date.parse(a.date))[0] ?? null;
}

/** Plain words for a closed gate; the page adds the ways through it. */
export const GATE_TEXT: Record<Exclude<TimerGate, { ok: true }>["reason"], string> = {
  missing:
    "Before your first session, please take the safety check. It takes about 3 minutes and tells you whether a mat suits you.",
  expired:
    "Your last safety check is more than six months old. Please take it again before the next session: health can change.",
  "see-professional":
    "Your safety check says to see a healthcare professional first. Once one has agreed that you may use a mat, confirm it here and the timer opens.",
};
