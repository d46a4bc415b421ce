/** GET /experiments/<id>/data.csv: the primary outcome, exactly the input of `matwise analyze`. */
import type { APIRoute } from "astro";
import { requireUser } from "../../../server/auth/session";
import { loadDataCsv } from "../../../server/experiments/results";
import { download, handle } from "../../../server/http";
import { pageDb } from "../../../server/pages";

export const prerender = false;

export const GET: APIRoute = handle(async ({ request, params }) => {
  const user = await requireUser(request, "Sign in to download your experiment.");
  return download(
    (await loadDataCsv(await pageDb(), user.id, params.id ?? "")).csv,
    "matwise-experiment-data.csv",
    "text/csv; charset=utf-8",
  );
});
