/** sitemap.xml: every public, indexable page (guides, evidence, study pages, and the public app pages that exist). */
import type { APIRoute } from "astro";
import { getAbsoluteUrl, getEvidence, getGuides } from "../server/evidence/data";

export const prerender = true;

/** Public app pages that search engines may list. Personal pages (account, sessions, timer) stay out. */
const PUBLIC_APP_PAGES = ["/", "/safety-check", "/plan", "/mats"];

export const GET: APIRoute = async ({ site }) => {
  const guides = await getGuides();
  const { studies, grey } = await getEvidence();
  const lastGuide = guides
    .map((g) => g.data.lastReviewed.toISOString().slice(0, 10))
    .sort()
    .at(-1);
  const urls: { loc: string; lastmod?: string | undefined }[] = [
    ...PUBLIC_APP_PAGES.map((p) => ({ loc: p })),
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
