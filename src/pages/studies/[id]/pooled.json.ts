/** GET /studies/<id>/pooled.json[?method=DL]: what `matwise pool effects.csv --json` prints (researchers of the study only). */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { handle, json } from "../../../server/http";
import { loadPooledJson } from "../../../server/studies/data";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params, url }) => {
  const db = await pageDb();
  const user = await requireUser(request, "Sign in to download the study's results.");
  const method = url.searchParams.get("method") === "DL" ? "DL" : "REML";
  return json(await loadPooledJson(db, user.id, params.id ?? "", method), 200, {
    "cache-control": "private, no-store",
  });
});
