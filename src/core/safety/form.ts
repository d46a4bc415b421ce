/**
 * The safety form's contract: field names and the zod schema that turns posted fields
 * into `SafetyAnswers`, with a message per field for anything missing or wrong.
 * @module
 */
import { z } from "zod";
import { ANSWERS, BODY_AREAS } from "./schema";
import type { Answer, BodyArea, SafetyAnswers, SafetyRuleSet } from "./schema";

/** Name of the "where on your body?" checkbox group for a question. */
export function getWhereFieldName(questionId: string): string {
  return `${questionId}-where`;
}

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
const isAnswer = (v: unknown): v is Answer => typeof v === "string" && (ANSWERS as readonly string[]).includes(v);
const isArea = (v: string): v is BodyArea => (BODY_AREAS as readonly string[]).includes(v);

/**
 * A schema for the posted form (fields as from `formToObject`): each asked question needs
 * Yes, No or Not sure; a skin question answered Yes or Not sure needs at least one body area.
 * Questions whose gate was answered No are skipped and need no answer.
 */
export function createSafetyFormSchema(ruleSet: SafetyRuleSet) {
  return z
    .record(z.union([z.string(), z.array(z.string())]))
    .superRefine((form, ctx) => {
      for (const q of ruleSet.questions) {
        if (q.askedIf !== undefined) {
          const gate = form[q.askedIf];
          // An unanswered gate gets its own message; asking about the follow-ups too would only add noise.
          if (!isAnswer(gate) || gate === "no") continue;
        }
        const value = form[q.id];
        if (!isAnswer(value)) {
          ctx.addIssue({
            code: "custom",
            path: [q.id],
            message:
              value === undefined
                ? "Please choose Yes, No or Not sure."
                : "That answer was not one of Yes, No or Not sure. Please choose again.",
          });
          continue;
        }
        if (q.asksWhere && value !== "no") {
          const where = asList(form[getWhereFieldName(q.id)]);
          if (where.length === 0) {
            ctx.addIssue({
              code: "custom",
              path: [getWhereFieldName(q.id)],
              message: "Please choose where on your body, even roughly. If it is not listed, choose Somewhere else.",
            });
          } else if (!where.every(isArea)) {
            ctx.addIssue({
              code: "custom",
              path: [getWhereFieldName(q.id)],
              message: "One of the places was not in the list. Please choose again.",
            });
          }
        }
      }
    })
    .transform((form): SafetyAnswers => {
      const answers: Record<string, Answer> = {};
      const areas: Record<string, BodyArea[]> = {};
      for (const q of ruleSet.questions) {
        const value = form[q.id];
        const gate = q.askedIf === undefined ? "yes" : form[q.askedIf];
        if (!isAnswer(value) || gate === "no") continue;
        answers[q.id] = value;
        if (q.asksWhere && value !== "no") areas[q.id] = asList(form[getWhereFieldName(q.id)]).filter(isArea);
      }
      return { answers, areas };
    });
}

/** Turns answers back into form fields, to pre-fill the form or carry answers to the print view. */
export function getSafetyFormFields(input: SafetyAnswers): [name: string, value: string][] {
  const out: [string, string][] = [];
  for (const [id, answer] of Object.entries(input.answers)) {
    out.push([id, answer]);
    for (const area of input.areas[id] ?? []) out.push([getWhereFieldName(id), area]);
  }
  return out;
}
