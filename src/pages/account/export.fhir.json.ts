/**
 * GET /account/export.fhir.json: the signed-in person's records as a FHIR R4 Bundle (type
 * collection) for a health record or a clinician. `?name=1` adds the account's name to the
 * Patient; without it the Patient carries no name.
 */
import type { APIRoute } from "astro";
import { UnauthenticatedError } from "../../core/errors";
import { getCurrentUser } from "../../server/auth/session";
import { handle } from "../../server/http";
import { getLocalDate } from "../../core/datetime";
import { loadFhirExport } from "../../server/health-import/data";
import { pageDb } from "../../server/pages";

export const GET: APIRoute = handle(async ({ request, url }) => {
  const db = await pageDb();
  const user = await getCurrentUser(request);
  if (!user) throw new UnauthenticatedError("Sign in to download your data.");
  const data = await loadFhirExport(db, user.id, { withName: url.searchParams.get("name") === "1" });
  if (!data) throw new UnauthenticatedError("Sign in to download your data.");
  return new Response(JSON.stringify(data.bundle, null, 2), {
    headers: {
      "content-type": "application/fhir+json; charset=utf-8",
      "content-disposition": `attachment; filename="matwise-fhir-${getLocalDate(new Date(data.exportedAt), user.timeZone)}.json"`,
      "cache-control": "private, no-store",
    },
  });
});
