/** GET /account/export.json: everything matwise stores about the signed-in person. */
import type { APIRoute } from "astro";
import { UnauthenticatedError } from "../../core/errors";
import { getCurrentUser } from "../../server/auth/session";
import { handle } from "../../server/http";
import { getLocalDate } from "../../core/datetime";
import { loadExport } from "../../server/account/data";
import { pageDb } from "../../server/pages";

export const GET: APIRoute = handle(async ({ request }) => {
  const db = await pageDb();
  const user = await getCurrentUser(request);
  if (!user) throw new UnauthenticatedError("Sign in to download your data.");
  const data = await loadExport(db, user.id);
  if (!data) throw new UnauthenticatedError("Sign in to download your data.");
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="matwise-export-${getLocalDate(new Date(data.exportedAt), user.timeZone)}.json"`,
      "cache-control": "no-store",
    },
  });
});
