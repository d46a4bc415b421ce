/** POST /account/reminders/push: the signed-in person's browser subscribes to push notifications (JSON). */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { handle } from "../../../server/http";
import { subscribePush } from "../../../server/reminders/actions";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const POST: APIRoute = handle(async ({ request }) => {
  const db = await pageDb();
  const user = await requireUser(request, "Sign in to get notifications on this device.");
  return subscribePush(db, request, user.id);
});
