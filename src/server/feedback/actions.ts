/**
 * POST /api/feedback: a reader reports a problem with a page. A form post is answered with a
 * redirect back to the page (a same-site path only); JSON with 201 and the new id. Limited per
 * client address, every attempt counted.
 * @module
 */
import type { APIContext } from "astro";
import { FeedbackSchema, pagePath } from "../../core/feedback";
import { sameSitePath } from "../../core/paths";
import { clientIp } from "../auth/session";
import type { Db } from "../db/client";
import type { FormCtx } from "../forms";
import { json, parseForm, parseJson } from "../http";
import { FEEDBACK_LIMITS, ipKey, requireWithinLimits } from "../rate-limit";
import { createFeedback } from "../repositories/feedback";

export async function sendFeedback(db: Db, ctx: FormCtx & Pick<APIContext, "clientAddress">): Promise<Response> {
  await requireWithinLimits(db, [{ key: ipKey("feedback", clientIp(ctx)), policy: FEEDBACK_LIMITS.perIp }]);
  const isJson = (ctx.request.headers.get("content-type") ?? "").includes("application/json");
  const input = isJson ? await parseJson(ctx.request, FeedbackSchema) : await parseForm(ctx.request, FeedbackSchema);
  const saved = await createFeedback(db, input);
  if (isJson) return json({ id: saved.id }, 201);
  return ctx.redirect(`${sameSitePath(pagePath(input.path), "/")}?feedback=thanks`, 303);
}
