/**
 * Pure link check over a set of prerendered HTML pages: every internal link must reach a page of
 * the set (or be handed back for the caller to check against the server), and every #anchor must
 * exist as an id in its target page.
 */

export interface LinkProblem {
  /** Page the link is on ("/guides/x"). */
  from: string;
  href: string;
  message: string;
}

export interface LinkReport {
  problems: LinkProblem[];
  /** Internal paths that no prerendered page answers: server-rendered routes the caller must check. */
  unresolved: { from: string; path: string }[];
  /** Number of internal links checked. */
  checked: number;
}

const ATTR = /\s(?:href|src)="([^"]*)"/g;
const TAG_WITH_LINK = /<(a|link|img|script|source|iframe)\b[^>]*>/gi;
const ID_ATTR = /\sid="([^"]+)"/g;

const decode = (s: string): string =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

/** The route path a dist/client file serves ("guides/x/index.html" -> "/guides/x"). */
export function getRoutePath(file: string): string {
  const p = `/${file.replace(/\\/g, "/").replace(/^\/+/, "")}`;
  if (p.endsWith("/index.html")) return p.slice(0, -"index.html".length).replace(/(.)\/$/, "$1");
  return p.replace(/\.html$/, "");
}

/** Same path with and without a trailing slash map to one key. */
const normalize = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, "") : path) || "/";

/** Every id in an HTML document. */
export function getIds(html: string): Set<string> {
  return new Set([...html.matchAll(ID_ATTR)].map((m) => decode(m[1] ?? "")));
}

/** Internal link targets in an HTML document (a, link, img, script, source, iframe), skipping JSON-LD and external URLs. */
export function getInternalLinks(html: string): string[] {
  const out: string[] = [];
  for (const tag of html.matchAll(TAG_WITH_LINK)) {
    const t = tag[0];
    if (/rel="(?:canonical|alternate)"/.test(t) && /href="https?:/.test(t)) continue;
    for (const a of t.matchAll(ATTR)) {
      const href = decode(a[1] ?? "");
      if (href === "" || /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(href)) continue;
      out.push(href);
    }
  }
  return out;
}

/**
 * Checks all links between the given pages. `pages` maps a route path ("/evidence/") to its HTML;
 * `files` lists other static files (such as "/favicon.svg") that links may target.
 */
export function checkLinks(pages: ReadonlyMap<string, string>, files: ReadonlySet<string> = new Set()): LinkReport {
  const byPath = new Map<string, string>();
  for (const [p, html] of pages) byPath.set(normalize(p), html);
  const idCache = new Map<string, Set<string>>();
  const idsOf = (p: string): Set<string> => {
    let ids = idCache.get(p);
    if (!ids) idCache.set(p, (ids = getIds(byPath.get(p) ?? "")));
    return ids;
  };
  const problems: LinkProblem[] = [];
  const unresolved: { from: string; path: string }[] = [];
  let checked = 0;
  for (const [from, html] of pages) {
    for (const href of getInternalLinks(html)) {
      checked++;
      const url = new URL(href, `http://site${from}`);
      const path = normalize(decodeURIComponent(url.pathname));
      const anchor = decodeURIComponent(url.hash.slice(1));
      if (!byPath.has(path)) {
        if (files.has(path)) continue;
        if (anchor)
          problems.push({
            from,
            href,
            message: `anchor #${anchor} points into a page that is not prerendered (${path})`,
          });
        else unresolved.push({ from, path: `${path}${url.search}` });
        continue;
      }
      if (anchor && !idsOf(path).has(anchor))
        problems.push({ from, href, message: `no element with id "${anchor}" on ${path}` });
    }
  }
  return { problems, unresolved, checked };
}
