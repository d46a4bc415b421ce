/** GET /experiments/<id>/schedule.ics: the experiment's days as timed calendar events with an alarm. */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { loadScheduleIcs } from "../../../server/experiments/data";
import { download, handle } from "../../../server/http";
import { publicOrigin } from "../../../server/origin";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params }) => {
  const user = await requireUser(request, "Sign in to download your experiment's calendar.");
  // The one origin helper for absolute links (issue 25): MATWISE_SITE_URL, else the origin the request was sent to.
  const ics = await loadScheduleIcs(await pageDb(), user.id, params.id ?? "", publicOrigin(request.headers));
  return download(ics, "matwise-experiment.ics", "text/calendar; charset=utf-8");
});
