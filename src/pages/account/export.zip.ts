/** GET /account/export.zip: the same export as CSV files in a zip. */
import type { APIRoute } from "astro";
import { UnauthenticatedError } from "../../core/errors";
import { getCurrentUser } from "../../server/auth/session";
import { getDb } from "../../server/db/client";
import { handle } from "../../server/http";
import { exportAsZip, exportPersonalData } from "../../server/repositories/personal-data";

export const GET: APIRoute = handle(async ({ request }) => {
  const user = await getCurrentUser(request);
  if (!user) throw new UnauthenticatedError("Sign in to download your data.");
  const data = await exportPersonalData(await getDb(), user.id);
  if (!data) throw new UnauthenticatedError("Sign in to download your data.");
  return new Response(Buffer.from(exportAsZip(data)), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="matwise-export-${data.exportedAt.slice(0, 10)}.zip"`,
      "cache-control": "no-store",
    },
  });
});
