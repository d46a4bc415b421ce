/**
 * The break-in plan: a day-by-day schedule for the first two or three weeks on a mat, built
 * from how sensitive the skin is, how well the person bears pain, the body area and the
 * safety check. Short sessions through clothing first, longer ones later, bare skin only once
 * that feels comfortable, never more than 40 minutes, and standing last if at all. Every
 * position keeps to its limits in `./limits.ts` (lying's limits divided by the load per spike).
 * @module
 */
import { z } from "zod";
import { SAFETY_LEVELS, type BodyArea } from "../safety/schema";
import { MAX_SESSION_MINUTES, SESSION_AREAS, type Layer, type Position, type SessionArea } from "../sessions/options";
import { POSITION_LIMITS } from "./limits";

export const SENSITIVITIES = ["low", "average", "high"] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** What the plan is built from; the page's GET form sends exactly these fields. */
export const PlanInputSchema = z.object({
  /** How quickly the skin gets sore or marked from pressure. */
  skin: z.enum(SENSITIVITIES, { errorMap: () => ({ message: "Choose how sensitive your skin is." }) }),
  /** How well the person bears pain; "low" means even mild pain is hard. */
  tolerance: z.enum(SENSITIVITIES, { errorMap: () => ({ message: "Choose how well you bear pain." }) }),
  /** The body area the person wants to use the mat on. */
  area: z.enum(SESSION_AREAS, { errorMap: () => ({ message: "Choose the body area you want to use the mat on." }) }),
  /** The safety check's overall level, or "none" when no current check is at hand. */
  level: z.enum([...SAFETY_LEVELS, "none"], {
    errorMap: () => ({ message: "Choose your safety-check result, or take the check first." }),
  }),
  /** Areas the safety check said to keep off the mat. */
  areasOff: z.array(z.enum(SESSION_AREAS)).default([]),
  /** For "see-professional": the person confirmed that a healthcare professional agreed. */
  professionalAgreed: z.boolean().default(false),
  /** First day of the plan, YYYY-MM-DD. */
  start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the start as a date, such as 2026-12-01.")
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "That date does not exist."),
});
export type PlanInput = z.infer<typeof PlanInputSchema>;

export interface PlanDay {
  /** 1 for the first day. */
  day: number;
  /** YYYY-MM-DD. */
  date: string;
  /** A day off the mat, for the skin to recover. */
  rest: boolean;
  /** 0 on rest days. */
  minutes: number;
  position: Position;
  layer: Layer;
}

export type BreakInPlan =
  | {
      kind: "plan";
      /** 0 (least careful) to 3 (most careful); decides lengths, pace and rest days. */
      gentleness: 0 | 1 | 2 | 3;
      days: PlanDay[];
      /** First day on bare skin, or null when the plan stays with clothing. */
      bareSkinFromDay: number | null;
      /** First standing day, or null when the plan leaves standing out. */
      standingFromDay: number | null;
      /** Areas to keep off the mat, from the safety check. */
      areasOff: BodyArea[];
    }
  | { kind: "blocked"; reason: "no-check" | "see-professional" | "area-off" };

interface Pace {
  days: number;
  startMinutes: number;
  targetMinutes: number;
  bareFromDay: number;
  restDays: readonly number[];
}

/** Lengths and pace for each step of care. Targets sit in the 15–30 minutes a day of kjellgren-2011 and saha-2016; the pace is judgement. */
const PACES: Record<0 | 1 | 2 | 3, Pace> = {
  0: { days: 14, startMinutes: 10, targetMinutes: 30, bareFromDay: 4, restDays: [] },
  1: { days: 21, startMinutes: 10, targetMinutes: 25, bareFromDay: 6, restDays: [7, 14] },
  2: { days: 21, startMinutes: 5, targetMinutes: 20, bareFromDay: 10, restDays: [4, 7, 11, 14, 18] },
  3: { days: 21, startMinutes: 5, targetMinutes: 15, bareFromDay: 15, restDays: [4, 7, 11, 14, 18] },
};

const POSITION_FOR_AREA: Record<SessionArea, Position> = {
  back: "lying",
  "neck-shoulders": "lying",
  "buttocks-hips": "lying",
  // Sitting on the mat puts the buttocks and the backs of the thighs on the spikes. Leaning back
  // against a mat on a chair is not in the plan: the pressure model gives it no limit.
  legs: "sitting",
  feet: "feet-only",
  other: "sitting",
};

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** How careful the plan should be: one step per reason for care, from a typical start of 1. */
export function getGentleness(input: Pick<PlanInput, "skin" | "tolerance" | "level">): 0 | 1 | 2 | 3 {
  let g = 1;
  if (input.skin === "high") g += 1;
  if (input.tolerance === "low") g += 1;
  if (input.skin === "low" && input.tolerance === "high") g -= 1;
  if (input.level === "extra-care" || input.level === "see-professional") g += 1;
  return Math.max(0, Math.min(3, g)) as 0 | 1 | 2 | 3;
}

/**
 * A day-by-day break-in plan, or the reason there is none: no current safety check, a
 * "see a professional first" result without a professional's agreement, or an area to keep off.
 * @see saha-2016 (8 of 91 stopped because the mat hurt too much) and olsson-2011 (pain peaked in the first half minute, then eased)
 */
export function createBreakInPlan(input: PlanInput): BreakInPlan {
  if (input.level === "none") return { kind: "blocked", reason: "no-check" };
  if (input.level === "see-professional" && !input.professionalAgreed)
    return { kind: "blocked", reason: "see-professional" };
  if (input.areasOff.includes(input.area)) return { kind: "blocked", reason: "area-off" };

  const gentleness = getGentleness(input);
  const pace = PACES[gentleness];
  const bareFrom = pace.bareFromDay + (input.skin === "high" ? 4 : 0);
  const bareSkinFromDay = bareFrom <= pace.days ? bareFrom : null;
  // Standing is the most intense way to use a mat: only for feet, only in the least careful plan, only at the very end.
  const standingFromDay = input.area === "feet" && gentleness === 0 ? pace.days - 2 : null;

  const sessionDays = Array.from({ length: pace.days }, (_, i) => i + 1).filter((d) => !pace.restDays.includes(d));
  // Reach the target about two thirds of the way through, then hold it.
  const rampLength = Math.max(1, Math.round((sessionDays.length - 1) * 0.7));
  const minutesOn = new Map(
    sessionDays.map((day, k) => {
      const share = Math.min(1, k / rampLength);
      return [day, Math.round(pace.startMinutes + (pace.targetMinutes - pace.startMinutes) * share)];
    }),
  );

  const basePosition = POSITION_FOR_AREA[input.area];
  let standingSessions = 0;
  const days: PlanDay[] = Array.from({ length: pace.days }, (_, i) => {
    const day = i + 1;
    const rest = !minutesOn.has(day);
    const standing = standingFromDay !== null && day >= standingFromDay;
    const position: Position = standing ? "standing" : basePosition;
    const limits = POSITION_LIMITS[position];
    // The pace is written for lying; other positions get it divided by their load per spike.
    let minutes = rest
      ? 0
      : Math.min(
          limits.mostMinutes,
          Math.max(1, Math.floor((minutesOn.get(day) ?? 0) / limits.loadVersusLying + 1e-9)),
        );
    if (standing && !rest) {
      // Standing starts at its first limit (a minute) and grows by its step, one session at a time.
      minutes = Math.min(minutes, limits.firstMinutes + standingSessions * limits.stepMinutes);
      standingSessions += 1;
    }
    return {
      day,
      date: addDays(input.start, i),
      rest,
      minutes: Math.min(MAX_SESSION_MINUTES, minutes),
      position,
      layer: bareSkinFromDay !== null && day >= bareSkinFromDay ? "bare-skin" : "clothing",
    };
  });
  return { kind: "plan", gentleness, days, bareSkinFromDay, standingFromDay, areasOff: [...input.areasOff] };
}
