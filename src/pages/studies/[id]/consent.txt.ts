/** GET /studies/<id>/consent.txt: what the participant agreed to, as text to keep (their own participation only). */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { download, handle } from "../../../server/http";
import { loadConsentRecord } from "../../../server/studies/data";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params }) => {
  const db = await pageDb();
  const user = await requireUser(request, "Sign in to download your consent.");
  return download(
    `${(await loadConsentRecord(db, user.id, params.id ?? "")).text}\n`,
    "matwise-study-consent.txt",
    "text/plain; charset=utf-8",
  );
});
