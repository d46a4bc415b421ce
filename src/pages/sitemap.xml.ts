/** sitemap.xml: every public, indexable page (guides, evidence, study pages, and the public app pages that exist). */
import type { APIRoute } from "astro";
import { getAbsoluteUrl, getEvidence, getGuides } from "../components/evidence/evidence-data";

export const prerender = true;

/** Public top-level pages owned by other parts of the app, listed only when their page file exists. Personal pages stay out. */
const PUBLIC_APP_PAGES: Record<string, string> = {
  "./index.astro": "/",
  "./safety-check.astro": "/safety-check",
  "./safety-check/index.astro": "/safety-check",
  "./mats.astro": "/mats",
  "./mats/index.astro": "/mats",
};
const pageFiles = Object.keys(import.meta.glob(["./index.astro", "./safety-check.astro", "./safety-check/index.astro", "./mats.astro", "./mats/index.astro"]));

export const GET: APIRoute = async ({ site }) => {
  const guides = await getGuides();
  const { studies, grey } = await getEvidence();
  const lastGuide = guides.map((g) => g.data.lastReviewed.toISOString().slice(0, 10)).sort().at(-1);
  const urls: { loc: string; lastmod?: string | undefined }[] = [
    ...[...new Set(pageFiles.map((f) => PUBLIC_APP_PAGES[f]).filter((p): p is string => !!p))].map((p) => ({ loc: p })),
    { loc: "/guides/", lastmod: lastGuide },
    ...guides.map((g) => ({ loc: `/guides/${g.id}`, lastmod: g.data.lastReviewed.toISOString().slice(0, 10) })),
    { loc: "/evidence/" },
    ...[...studies, ...grey].map((s) => ({ loc: `/evidence/studies/${s.id}` })),
  ];
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `  <url><loc>${getAbsoluteUrl(u.loc, site)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ""}</url>`).join("\n")}
</urlset>
`;
  return new Response(body, { headers: { "Content-Type": "application/xml; charset=utf-8" } });
};
