/** Atom feed of the guides, newest review first. */
import type { APIRoute } from "astro";
import { escapeMarkup } from "../../core/markup";
import { getGuides, getAbsoluteUrl } from "../../server/evidence/data";

export const prerender = true;

export const GET: APIRoute = async ({ site }) => {
  const guides = (await getGuides()).sort((a, b) => b.data.lastReviewed.getTime() - a.data.lastReviewed.getTime());
  const updated = guides[0]?.data.lastReviewed.toISOString() ?? new Date(0).toISOString();
  const entries = guides.map((g) => {
    const url = getAbsoluteUrl(`/guides/${g.id}`, site);
    return `  <entry>
    <title>${escapeMarkup(g.data.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeMarkup(url)}"/>
    <id>${escapeMarkup(url)}</id>
    <updated>${g.data.lastReviewed.toISOString()}</updated>
    <summary>${escapeMarkup(g.data.description)}</summary>
  </entry>`;
  });
  const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>matwise guides</title>
  <subtitle>Honest guides to acupressure mats, with every claim linked to its study.</subtitle>
  <link rel="self" type="application/atom+xml" href="${escapeMarkup(getAbsoluteUrl("/guides/feed.xml", site))}"/>
  <link rel="alternate" type="text/html" href="${escapeMarkup(getAbsoluteUrl("/guides/", site))}"/>
  <id>${escapeMarkup(getAbsoluteUrl("/guides/", site))}</id>
  <updated>${updated}</updated>
  <author><name>matwise</name></author>
${entries.join("\n")}
</feed>
`;
  return new Response(body, { headers: { "Content-Type": "application/atom+xml; charset=utf-8" } });
};
