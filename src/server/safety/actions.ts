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
import { getDb } from "../db/client";
import { field, formAction, readForm, type FormCtx, type FormResult, type RawForm } from "../forms";
import { parseWith } from "../http";
import { confirmProfessionalAgreement, deleteSafetyCheck, requireSafetyCheck, saveSafetyCheck } from "../repositories/safety-checks";
import { getSafetyRuleSet } from "./data";

/** What a posted questionnaire gives: the result, or the form again with its values and a message per field. */
export type SafetyOutcome =
  | { kind: "result"; ruleSet: SafetyRuleSet; answers: SafetyAnswers; result: SafetyResult }
  | { kind: "form"; ruleSet: SafetyRuleSet; values: RawForm; errors: Record<string, string[]>; status: number };

/**
 * POST /safety-check and /safety-check/print: evaluates the answers. `intent=edit` (from the
 * result page) shows the form again with the answers given.
 */
export async function evaluateCheck(ctx: FormCtx): Promise<SafetyOutcome> {
  const ruleSet = await getSafetyRuleSet();
  let values: RawForm = Object.create(null) as RawForm;
  try {
    values = await readForm(ctx.request);
    if (field(values, "intent") === "edit") return { kind: "form", ruleSet, values, errors: {}, status: 200 };
    const answers = parseWith(createSafetyFormSchema(ruleSet), values, "form");
    return { kind: "result", ruleSet, answers, result: evaluateSafety(answers, ruleSet) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { kind: "form", ruleSet, values, errors: err.issues, status: 400 };
  }
}

/** POST /account/safety-checks: saves the evaluated answers to the person's account. */
export function saveCheck(ctx: FormCtx, userId: string, now = new Date()): Promise<FormResult> {
  return formAction(ctx, {}, async (raw) => {
    const ruleSet = await getSafetyRuleSet();
    let answers: SafetyAnswers;
    try {
      answers = parseWith(createSafetyFormSchema(ruleSet), raw, "form");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      throw new ValidationError("", { "": ["The answers did not arrive complete, so nothing was saved. Please take the check again and save it from the result page."] });
    }
    const id = await saveSafetyCheck(await getDb(), userId, createSafetyCheckRecord(evaluateSafety(answers, ruleSet), now), answers);
    return ctx.redirect(`/account/safety-checks/${id}?saved=1`, 303);
  });
}

/** POST /account/safety-checks/<id>: intent=confirm records a professional's agreement; intent=delete erases the check. */
export function changeSavedCheck(ctx: FormCtx, userId: string, id: string, now = new Date()): Promise<FormResult> {
  return formAction(ctx, {}, async (raw) => {
    const db = await getDb();
    const intent = field(raw, "intent");
    if (intent === "delete") {
      await deleteSafetyCheck(db, userId, id);
      return ctx.redirect("/account/safety-checks?deleted=1", 303);
    }
    if (intent === "confirm") {
      await confirmProfessionalAgreement(db, userId, id, now);
      return ctx.redirect(`/account/safety-checks/${id}?confirmed=1`, 303);
    }
    await requireSafetyCheck(db, userId, id);
    throw new ValidationError("", { "": ["That action is not known. Use one of the buttons on this page."] });
  });
}
