/**
 * POST /api/feedback: a reader reports a problem with a page. Accepts a form (then
 * redirects back to the page) or JSON (then answers 201 with the new id).
 */
import type { APIRoute } from "astro";
import { FeedbackSchema, pagePath } from "../../core/feedback";
import { sameSitePath } from "../../core/paths";
import { getDb } from "../../server/db/client";
import { handle, json, parseForm, parseJson } from "../../server/http";
import { createFeedback } from "../../server/repositories/feedback";

export const POST: APIRoute = handle(async ({ request, redirect }) => {
  const isJson = (request.headers.get("content-type") ?? "").includes("application/json");
  const input = isJson ? await parseJson(request, FeedbackSchema) : await parseForm(request, FeedbackSchema);
  const saved = await createFeedback(await getDb(), input);
  if (isJson) return json({ id: saved.id }, 201);
  return redirect(`${sameSitePath(pagePath(input.path), "/")}?feedback=thanks`, 303);
});
