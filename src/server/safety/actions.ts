/**
 * The safety check's POST intents: evaluate the answers (nothing stored), save a check to the
 * account (the answers are evaluated again here: a posted result is never trusted), record
 * that a professional agreed, and delete a saved check.
 * @module
 */
import { ValidationError } from "../../core/errors";
import { createSafetyCheckRecord, evaluateSafety } from "../../core/safety/engine";
import { createSafetyFormSchema } from "../../core/safety/form";
import type { SafetyAnswers, SafetyResult, SafetyRuleSet } from "../../core/safety/schema";
import type { Db } from "../db/client";
import { field, formAction, readForm, type FormCtx, type FormResult, type RawForm } from "../forms";
import { parseWith } from "../http";
import { KEPT_CHECK_COOKIE, serializeKeptCheck, type KeptCheck } from "../../core/timer/gate";
import { clearCookieHeader, cookieHeader, redirectSettingCookies } from "../cookies";
import {
  confirmProfessionalAgreement,
  deleteSafetyCheck,
  requireSafetyCheck,
  saveSafetyCheck,
} from "../repositories/safety-checks";
import { readKeptCheck } from "./data";

/** What a posted questionnaire gives: the result, or the form again with its values and a message per field. */
export type SafetyOutcome =
  | {
      kind: "result";
      ruleSet: SafetyRuleSet;
      answers: SafetyAnswers;
      result: SafetyResult;
      /** The time zone the visitor's browser sent with the form (checked by clockOf), for the result's date. */
      timeZone: string | null;
    }
  | { kind: "form"; ruleSet: SafetyRuleSet; values: RawForm; errors: Record<string, string[]>; status: number };

/**
 * POST /safety-check and /safety-check/print: evaluates the answers. `intent=edit` (from the
 * result page) shows the form again with the answers given.
 */
export async function evaluateCheck(ctx: FormCtx, ruleSet: SafetyRuleSet): Promise<SafetyOutcome> {
  let values: RawForm = Object.create(null) as RawForm;
  try {
    values = await readForm(ctx.request);
    if (field(values, "intent") === "edit") return { kind: "form", ruleSet, values, errors: {}, status: 200 };
    const answers = parseWith(createSafetyFormSchema(ruleSet), values, "form");
    const timeZone = field(values, "timeZone") ?? null;
    return { kind: "result", ruleSet, answers, result: evaluateSafety(answers, ruleSet), timeZone };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { kind: "form", ruleSet, values, errors: err.issues, status: 400 };
  }
}

/** POST /account/safety-checks: saves the evaluated answers to the person's account. */
export function saveCheck(
  db: Db,
  ctx: FormCtx,
  userId: string,
  ruleSet: SafetyRuleSet,
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, {}, async (raw) => {
    let answers: SafetyAnswers;
    try {
      answers = parseWith(createSafetyFormSchema(ruleSet), raw, "form");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      throw new ValidationError("", {
        "": [
          "The answers did not arrive complete, so nothing was saved. Please take the check again and save it from the result page.",
        ],
      });
    }
    const record = createSafetyCheckRecord(evaluateSafety(answers, ruleSet), now);
    const id = await saveSafetyCheck(db, userId, record, answers);
    // The next step is the plan, except where a professional's agreement must be recorded on the check first.
    return ctx.redirect(
      record.level === "see-professional" ? `/account/safety-checks/${id}?saved=1` : "/plan?check=saved",
      303,
    );
  });
}

/** POST /account/safety-checks/<id>: intent=confirm records a professional's agreement; intent=delete erases the check. */
export function changeSavedCheck(
  db: Db,
  ctx: FormCtx,
  userId: string,
  id: string,
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, {}, async (raw) => {
    const intent = field(raw, "intent");
    if (intent === "delete") {
      await deleteSafetyCheck(db, userId, id);
      return ctx.redirect("/account/safety-checks?deleted=1", 303);
    }
    if (intent === "confirm") {
      await confirmProfessionalAgreement(db, userId, id, now);
      return ctx.redirect(nextStep(raw, `/account/safety-checks/${id}?confirmed=1`), 303);
    }
    await requireSafetyCheck(db, userId, id);
    throw new ValidationError("", { "": ["That action is not known. Use one of the buttons on this page."] });
  });
}

/** A check kept in the browser lasts as long as it is current (six months), a little longer so the gate can say it ran out. */
const KEPT_DAYS = 200;

/** Where a kept result may send the person next: one of our own steps, never an address from outside. */
const NEXT_STEPS = new Set(["/plan", "/timer", "/today", "/safety-check"]);
const nextStep = (raw: RawForm, fallback: string) => {
  const next = field(raw, "next");
  const path = next.split("?")[0] ?? "";
  return NEXT_STEPS.has(path) && /^[\w\-/?=&%.]*$/.test(next) ? next : fallback;
};

/**
 * POST /safety-check/remember: keeps a result in this browser, as a first-party cookie holding the
 * level, the date and the areas to keep off (never the answers), so the plan and the timer work
 * without an account and without JavaScript. intent=keep evaluates the answers posted again (a
 * posted level is never trusted); intent=agree records a professional's agreement on the kept
 * result; intent=forget removes it.
 */
export function rememberResult(ctx: FormCtx, ruleSet: SafetyRuleSet, now = new Date()): Promise<FormResult> {
  // Nothing here waits: a refusal thrown while keeping still becomes the form's failure in formAction.
  return formAction(ctx, {}, (raw) => Promise.resolve(keepResult(ctx.request, raw, ruleSet, now)));
}

/** What rememberResult does with the form's fields: the redirect that sets (or clears) the kept-result cookie. */
function keepResult(request: Request, raw: RawForm, ruleSet: SafetyRuleSet, now: Date): Response {
  const intent = field(raw, "intent");
  if (intent === "forget")
    return redirectSettingCookies(nextStep(raw, "/safety-check?forgotten=1"), [clearCookieHeader(KEPT_CHECK_COOKIE)]);
  if (intent === "agree") {
    const kept = readKeptCheck(request);
    if (!kept)
      throw new ValidationError("", {
        "": ["This browser keeps no safety-check result any more. Please take the check again."],
      });
    const next: KeptCheck = { ...kept, professionalAgreedAt: now.toISOString() };
    return redirectSettingCookies(nextStep(raw, "/timer"), [
      cookieHeader(KEPT_CHECK_COOKIE, serializeKeptCheck(next), KEPT_DAYS),
    ]);
  }
  let answers: SafetyAnswers;
  try {
    answers = parseWith(createSafetyFormSchema(ruleSet), raw, "form");
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError("", {
      "": ["The answers did not arrive complete, so nothing was kept. Please take the check again."],
    });
  }
  const evaluated = evaluateSafety(answers, ruleSet);
  const record = createSafetyCheckRecord(evaluated, now);
  // Signs that need medical help today are never waved through by a professional's earlier agreement.
  const agreed =
    record.level === "see-professional" &&
    !evaluated.findings.some((f) => f.urgent) &&
    field(raw, "professionalAgreed") === "yes";
  const kept: KeptCheck = {
    level: record.level,
    date: record.date,
    areasOff: record.areasOffMat,
    ...(agreed ? { professionalAgreedAt: now.toISOString() } : {}),
  };
  return redirectSettingCookies(nextStep(raw, "/plan?check=kept"), [
    cookieHeader(KEPT_CHECK_COOKIE, serializeKeptCheck(kept), KEPT_DAYS),
  ]);
}
