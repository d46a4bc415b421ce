/**
 * Words for a plan's day as Today and the plan page say it: "10 minutes, lying on your back,
 * over a thin shirt".
 * @module
 */
import type { Layer, Position, SessionArea } from "../sessions/options";
import type { PlanDay } from "./plan";

/** How to be on the mat, said to the person. Sitting means sitting on the mat, never leaning against it. */
export const PLAN_POSITION_TEXT: Record<Position, string> = {
  lying: "lying on your back",
  sitting: "sitting on the mat, on your buttocks and the backs of your thighs",
  "feet-only": "sitting on a chair, with your feet on the mat",
  standing: "standing on the mat",
};

/** The layer in words for the back and neck; `describeLayer` says it for every position. */
export const PLAN_LAYER_TEXT: Record<Layer, string> = {
  clothing: "over a thin shirt",
  "bare-skin": "on bare skin, if that feels all right",
};

/** The layer for a position: feet go on the mat in thin socks and a seat through thin trousers, never "over a shirt". */
export function describeLayer(layer: Layer, position: Position): string {
  if (position === "feet-only" || position === "standing")
    return layer === "clothing" ? "in thin socks" : "in bare feet, if that feels all right";
  if (position === "sitting") return layer === "clothing" ? "through thin trousers or a skirt" : PLAN_LAYER_TEXT[layer];
  return PLAN_LAYER_TEXT[layer];
}

/** The position in words for an area: the neck lies on the mat over a rolled towel or pillow. */
export function describePosition(position: Position, area: SessionArea): string {
  if (position === "lying" && area === "neck-shoulders") return "lying with your neck on the mat over a pillow";
  return PLAN_POSITION_TEXT[position];
}

/** "10 minutes, lying on your back, over a thin shirt", or "a rest day". */
export function describePlanDay(day: PlanDay, area: SessionArea): string {
  if (day.rest) return "a rest day: give your skin a break";
  return `${day.minutes} ${day.minutes === 1 ? "minute" : "minutes"}, ${describePosition(day.position, area)}, ${describeLayer(day.layer, day.position)}`;
}
