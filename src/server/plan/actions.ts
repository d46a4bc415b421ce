/**
 * The plan's POST intents: keep the plan (saved to the account when signed in, else kept in this
 * browser as a cookie with the plan form's answers and the browser's time zone), or forget it.
 * @module
 */
import { getLocalDate, parseTimeZone } from "../../core/datetime";
import { ValidationError } from "../../core/errors";
import { KEPT_PLAN_COOKIE, serializeKeptPlan } from "../../core/plan/kept";
import { createBreakInPlan } from "../../core/plan/plan";
import { clearCookieHeader, cookieHeader, redirectSettingCookies } from "../cookies";
import type { Db } from "../db/client";
import { field, formAction, type FormCtx, type FormResult, type RawForm } from "../forms";
import { deletePlan, savePlan } from "../repositories/plans";
import { readPlanFields } from "./data";

/** A visitor's plan is kept for a year; it ends after three weeks, but Today keeps counting from it. */
const KEPT_PLAN_DAYS = 365;

const BLOCKED_TEXT = {
  "no-check": "There is no plan without a current safety check. Please take the check first.",
  "see-professional":
    "Your check says to see a healthcare professional first. Once one has agreed, tick the box and make the plan again.",
  "area-off": "Your check says to keep this area off the mat. Choose another area.",
} as const;

const all = (raw: RawForm, name: string): string[] => {
  const v = Object.hasOwn(raw, name) ? raw[name] : undefined;
  return v === undefined ? [] : Array.isArray(v) ? [...v] : [v];
};

/**
 * POST /plan: intent=keep keeps the plan made from the posted answers (the same fields as the
 * plan's GET form) and goes to Today; intent=forget removes the person's plan. `user` is null
 * for a visitor, whose browser sends its time zone in `timeZone`.
 */
export function keepPlan(
  db: Db,
  ctx: FormCtx,
  user: { id: string; timeZone: string } | null,
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, {}, async (raw) => {
    // A plan kept in this browser before signing in, not wanted in the account: only the cookie goes.
    if (field(raw, "intent") === "discard-kept")
      return redirectSettingCookies("/today?plan=discarded", [clearCookieHeader(KEPT_PLAN_COOKIE)]);
    if (field(raw, "intent") === "forget") {
      if (user) await deletePlan(db, user.id);
      return redirectSettingCookies("/plan?forgotten=1", [clearCookieHeader(KEPT_PLAN_COOKIE)]);
    }
    const timeZone = user?.timeZone ?? parseTimeZone(field(raw, "timeZone")) ?? "UTC";
    const read = readPlanFields(
      (n) => (Object.hasOwn(raw, n) ? field(raw, n) : null),
      (n) => all(raw, n),
      getLocalDate(now, timeZone),
    );
    if (!read.ok)
      throw new ValidationError("", {
        "": ["The plan's answers did not arrive complete, so nothing was kept. Please make the plan again."],
      });
    const plan = createBreakInPlan(read.input);
    if (plan.kind !== "plan") throw new ValidationError("", { "": [BLOCKED_TEXT[plan.reason]] });
    if (user) {
      await savePlan(db, user.id, read.input, { lengthDays: plan.days.length, gentleness: plan.gentleness });
      // A plan kept in this browser before signing in is now in the account.
      return redirectSettingCookies("/today?plan=saved", [clearCookieHeader(KEPT_PLAN_COOKIE)]);
    }
    return redirectSettingCookies("/today?plan=kept", [
      cookieHeader(KEPT_PLAN_COOKIE, serializeKeptPlan({ input: read.input, timeZone }), KEPT_PLAN_DAYS),
    ]);
  });
}
