/**
 * GET /calendar/<secret>.ics: a person's calendar feed for calendar apps, which send no cookie.
 * The secret is the only key: any other value is a plain 404 that says nothing more.
 */
import type { APIRoute } from "astro";
import { handle } from "../../server/http";
import { publicOrigin } from "../../server/origin";
import { findFeedOwner, loadFeedIcs } from "../../server/reminders/feed";
import { pageDb } from "../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ params, request }) => {
  const db = await pageDb();
  const owner = await findFeedOwner(db, params.token ?? "");
  if (!owner)
    return new Response("Not found", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "private, no-store" },
    });
  return new Response(await loadFeedIcs(db, owner, publicOrigin(request.headers)), {
    headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, no-store" },
  });
});
