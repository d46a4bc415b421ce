/** GET /experiments/<id>/results.json: the analysis JSON with the protocol, its hash and the analysis seed. */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { loadResultsJson } from "../../../server/experiments/results";
import { handle, json } from "../../../server/http";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params }) => {
  const user = await requireUser(request, "Sign in to download your experiment.");
  return json(await loadResultsJson(await pageDb(), user.id, params.id ?? ""), 200, {
    "cache-control": "private, no-store",
  });
});
