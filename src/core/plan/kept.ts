/**
 * A plan kept in a visitor's browser (a first-party cookie): the plan form's answers and the
 * time zone whose days it counts, nothing else. The same answers make the same plan again.
 * @module
 */
import { z } from "zod";
import { parseTimeZone } from "../datetime";
import { parseKeptJson } from "../kept-json";
import { PlanInputSchema, type PlanInput } from "./plan";

/** Name of the cookie that keeps a visitor's plan. */
export const KEPT_PLAN_COOKIE = "matwise-plan";

export interface KeptPlan {
  input: PlanInput;
  /** IANA time zone of the browser that kept it: its days are the plan's days. */
  timeZone: string;
}

/** The cookie's JSON: the plan form's answers, and a time zone (UTC when it is not one). */
const KeptPlanSchema = z.object({
  input: PlanInputSchema,
  timeZone: z.unknown().transform((v) => parseTimeZone(v) ?? "UTC"),
});

/** Reads a kept plan from its stored text (JSON); anything malformed counts as no plan. */
export function parseKeptPlan(raw: string | null | undefined): KeptPlan | null {
  return parseKeptJson(KeptPlanSchema, raw);
}

/** The text a kept plan is stored as (the inverse of parseKeptPlan). */
export function serializeKeptPlan(kept: KeptPlan): string {
  const { skin, tolerance, area, level, areasOff, professionalAgreed, start } = kept.input;
  return JSON.stringify({
    input: { skin, tolerance, area, level, areasOff, professionalAgreed, start },
    timeZone: kept.timeZone,
  });
}
