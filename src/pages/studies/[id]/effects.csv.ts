/** GET /studies/<id>/effects.csv: exactly the input of `matwise pool` (researchers of the study only). */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { download, handle } from "../../../server/http";
import { loadEffectsCsv } from "../../../server/studies/data";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params }) => {
  const db = await pageDb();
  const user = await requireUser(request, "Sign in to download the study's effects.");
  return download(await loadEffectsCsv(db, user.id, params.id ?? ""), "effects.csv", "text/csv; charset=utf-8");
});
