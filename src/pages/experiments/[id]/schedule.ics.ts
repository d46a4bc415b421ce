/** GET /experiments/<id>/schedule.ics: the experiment's days as timed calendar events with an alarm. */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { parseEnv } from "../../../server/env";
import { loadScheduleIcs } from "../../../server/experiments/data";
import { download, handle } from "../../../server/http";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params, url }) => {
  const user = await requireUser(request, "Sign in to download your experiment's calendar.");
  const ics = await loadScheduleIcs(user.id, params.id ?? "", parseEnv().MATWISE_SITE_URL ?? url.origin);
  return download(ics, "matwise-experiment.ics", "text/calendar; charset=utf-8");
});
