/**
 * POST /api/feedback: a reader reports a problem with a page. Accepts a form (then
 * redirects back to the page) or JSON (then answers 201 with the new id). Limited per
 * client address, every attempt counted.
 */
import type { APIRoute } from "astro";
import { FeedbackSchema, pagePath } from "../../core/feedback";
import { sameSitePath } from "../../core/paths";
import { clientIp } from "../../server/auth/session";
import { getDb } from "../../server/db/client";
import { handle, json, parseForm, parseJson } from "../../server/http";
import { FEEDBACK_LIMITS, ipKey, requireWithinLimits } from "../../server/rate-limit";
import { createFeedback } from "../../server/repositories/feedback";

export const POST: APIRoute = handle(async (ctx) => {
  const { request, redirect } = ctx;
  const db = await getDb();
  await requireWithinLimits(db, [{ key: ipKey("feedback", clientIp(ctx)), policy: FEEDBACK_LIMITS.perIp }]);
  const isJson = (request.headers.get("content-type") ?? "").includes("application/json");
  const input = isJson ? await parseJson(request, FeedbackSchema) : await parseForm(request, FeedbackSchema);
  const saved = await createFeedback(db, input);
  if (isJson) return json({ id: saved.id }, 201);
  return redirect(`${sameSitePath(pagePath(input.path), "/")}?feedback=thanks`, 303);
});
