/** GET /experiments/<id>/all.csv: every scheduled day with every outcome; missing values empty. */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { loadAllCsv } from "../../../server/experiments/data";
import { download, handle } from "../../../server/http";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params }) => {
  const user = await requireUser(request, "Sign in to download your experiment.");
  return download(
    await loadAllCsv(await pageDb(), user.id, params.id ?? ""),
    "matwise-experiment-all-days.csv",
    "text/csv; charset=utf-8",
  );
});
