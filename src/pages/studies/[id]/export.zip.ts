/** GET /studies/<id>/export.zip: protocol, consent versions, de-identified days, effects and a data dictionary (researchers only). */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { download, handle } from "../../../server/http";
import { loadExportZip } from "../../../server/studies/data";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params }) => {
  const db = await pageDb();
  const user = await requireUser(request, "Sign in to download the study's data.");
  return download(
    new Uint8Array(await loadExportZip(db, user.id, params.id ?? "")),
    "matwise-study.zip",
    "application/zip",
  );
});
