/**
 * The one table of session limits per position, for the plan, its page, its tests and the
 * how-to guide. Lying on the back is the baseline the how-to guide's table is written for; every
 * other position gets the same limits divided by how much more load each spike carries in that
 * position, by the pressure model (decision 040), rounded the way the guide states it ("about ten
 * times"). So standing, at about ten times the load of lying, starts at a minute and stays short.
 * @module
 */
import { getLoadFraction, getPositionLoadFraction, POSITION_MODELS } from "../pressure/model";
import { formatEstimate } from "../pressure/format";
import type { Position } from "../sessions/options";

/** Limits for lying on the back, from the how-to guide's "first weeks" table (first sessions 5 to 10 minutes, at most 15 to 30 once comfortable). */
export const LYING_LIMITS = { firstMinutes: 10, mostMinutes: 30, stepMinutes: 3 } as const;

export interface PositionLimits {
  /** Load on each spike relative to lying on the same mat, as the guide states it (two significant digits). */
  loadVersusLying: number;
  /** Longest first session in this position, in minutes (never under 1). */
  firstMinutes: number;
  /** Longest session the plan suggests in this position. */
  mostMinutes: number;
  /** Most the plan adds from one session in this position to the next. */
  stepMinutes: number;
}

/** Load per unit of skin area, relative to lying: a position's share of body weight over its contact area. */
function perArea(fraction: number, areaCm2: number): number {
  const lying = POSITION_MODELS.lying.regions.reduce((s, r) => s + r.areaCm2, 0);
  return fraction / areaCm2 / (getPositionLoadFraction("lying") / lying);
}

const SOLES_CM2 = POSITION_MODELS.standing.regions.reduce((s, r) => s + r.areaCm2, 0);
const SITTING_CM2 = POSITION_MODELS.sitting.regions.reduce((s, r) => s + r.areaCm2, 0);

/**
 * Load per spike relative to lying, straight from the model's segment weights and contact areas.
 * "feet-only" (seated, feet resting on the mat) is the lower legs and feet over the soles' area:
 * the chair carries the rest. Pressing down harder raises it; the plan's words say not to.
 */
export const LOAD_VERSUS_LYING: Readonly<Record<Position, number>> = {
  lying: 1,
  sitting: perArea(getPositionLoadFraction("sitting"), SITTING_CM2),
  "feet-only": perArea(getLoadFraction(["shank", "foot"]), SOLES_CM2),
  standing: perArea(getPositionLoadFraction("standing"), SOLES_CM2),
};

function limitsFor(position: Position): PositionLimits {
  const load = Number(formatEstimate(LOAD_VERSUS_LYING[position]));
  const scaled = (minutes: number) => Math.max(1, Math.floor(minutes / load + 1e-9));
  return {
    loadVersusLying: load,
    firstMinutes: scaled(LYING_LIMITS.firstMinutes),
    mostMinutes: scaled(LYING_LIMITS.mostMinutes),
    stepMinutes: Math.max(1, Math.ceil(LYING_LIMITS.stepMinutes / load)),
  };
}

/** Every position's limits, derived once from the table above and the pressure model. */
export const POSITION_LIMITS: Readonly<Record<Position, PositionLimits>> = {
  lying: limitsFor("lying"),
  sitting: limitsFor("sitting"),
  "feet-only": limitsFor("feet-only"),
  standing: limitsFor("standing"),
};
