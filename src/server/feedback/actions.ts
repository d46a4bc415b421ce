/**
 * POST /api/feedback: a reader reports a problem with a page. A form post is answered with a
 * redirect back to the page; JSON with 201 and the new id.
 * @module
 */
import { FeedbackSchema } from "../../core/feedback";
import { getDb } from "../db/client";
import type { FormCtx } from "../forms";
import { json, parseForm, parseJson } from "../http";
import { createFeedback } from "../repositories/feedback";

export async function sendFeedback(ctx: FormCtx): Promise<Response> {
  const isJson = (ctx.request.headers.get("content-type") ?? "").includes("application/json");
  const input = isJson ? await parseJson(ctx.request, FeedbackSchema) : await parseForm(ctx.request, FeedbackSchema);
  const saved = await createFeedback(await getDb(), input);
  if (isJson) return json({ id: saved.id }, 201);
  return ctx.redirect(`${input.path.split("#")[0]}?feedback=thanks`, 303);
}
