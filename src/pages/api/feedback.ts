/** POST /api/feedback: a reader reports a problem with a page (form or JSON). */
import type { APIRoute } from "astro";
import { sendFeedback } from "../../server/feedback/actions";
import { handle } from "../../server/http";
import { pageDb } from "../../server/pages";

export const POST: APIRoute = handle(async (ctx) => sendFeedback(await pageDb(), ctx));
