/**
 * Words for a plan's day as Today and the plan page say it: "10 minutes, lying on your back,
 * over a thin shirt".
 * @module
 */
import type { Layer, Position, SessionArea } from "../sessions/options";
import type { PlanDay } from "./plan";

/** How to be on the mat, said to the person. */
export const PLAN_POSITION_TEXT: Record<Position, string> = {
  lying: "lying on your back",
  sitting: "sitting, leaning back against the mat on a chair",
  "feet-only": "sitting, with your feet on the mat",
  standing: "standing on the mat",
};

export const PLAN_LAYER_TEXT: Record<Layer, string> = {
  clothing: "over a thin shirt",
  "bare-skin": "on bare skin, if that feels all right",
};

/** The position in words for an area: the neck lies on the mat over a rolled towel or pillow. */
export function describePosition(position: Position, area: SessionArea): string {
  if (position === "lying" && area === "neck-shoulders") return "lying with your neck on the mat over a pillow";
  return PLAN_POSITION_TEXT[position];
}

/** "10 minutes, lying on your back, over a thin shirt", or "a rest day". */
export function describePlanDay(day: PlanDay, area: SessionArea): string {
  if (day.rest) return "a rest day: give your skin a break";
  return `${day.minutes} ${day.minutes === 1 ? "minute" : "minutes"}, ${describePosition(day.position, area)}, ${PLAN_LAYER_TEXT[day.layer]}`;
}
