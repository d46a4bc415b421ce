/** GET /account/export.zip: the same export as CSV files in a zip. */
import type { APIRoute } from "astro";
import { UnauthenticatedError } from "../../core/errors";
import { getCurrentUser } from "../../server/auth/session";
import { handle } from "../../server/http";
import { getLocalDate } from "../../core/datetime";
import { loadExportZip } from "../../server/account/data";
import { pageDb } from "../../server/pages";

export const GET: APIRoute = handle(async ({ request }) => {
  const db = await pageDb();
  const user = await getCurrentUser(request);
  if (!user) throw new UnauthenticatedError("Sign in to download your data.");
  const data = await loadExportZip(db, user.id);
  if (!data) throw new UnauthenticatedError("Sign in to download your data.");
  return new Response(Buffer.from(data.zip), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="matwise-export-${getLocalDate(new Date(data.exportedAt), user.timeZone)}.zip"`,
      "cache-control": "no-store",
    },
  });
});
