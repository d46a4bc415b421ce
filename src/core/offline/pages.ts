/**
 * What the service worker keeps for use without a connection, as plain rules over a URL path
 * (decision 091). The worker (src/service-worker/sw.ts) applies them; tests check them here.
 * @module
 */

/** The cache that holds the copies of the pages a person last saw (their own, when signed in). */
export const PAGES_CACHE = "matwise-pages";

/**
 * The header every server-rendered page carries to say whose session made it: a short hash of the
 * session, or NO_SESSION. The worker keeps copies for one marker only and drops them all when a
 * page arrives with another one (signed out here or elsewhere, expired, cookies cleared).
 */
export const SESSION_MARKER_HEADER = "x-matwise-session";
export const NO_SESSION = "none";

/** The page shown for a page that is neither precached nor kept, while offline. */
export const OFFLINE_PATH = "/offline";

/** Pages fetched into the cache as soon as the worker starts, and again each time Today is opened online. */
export const WARM_PATHS = ["/today", "/timer"] as const;

/**
 * Pages kept after each visit online (network first, the copy only without a connection): Today,
 * the timer and what leads to it, the session log and its form, experiments and their check-in
 * forms. Only these: other personal pages (account, devices, saved checks) are never kept.
 */
const KEPT = [
  /^\/$/,
  /^\/today$/,
  /^\/timer$/,
  /^\/plan$/,
  /^\/sessions$/,
  /^\/sessions\/new$/,
  /^\/experiments$/,
  /^\/experiments\/[0-9a-f-]{36}$/,
];

/** Whether a page at `pathname` is kept for offline use (one copy per path, whatever its query). */
export function isKeptPage(pathname: string): boolean {
  return KEPT.some((re) => re.test(pathname));
}

/**
 * Posts after which the kept pages may belong to someone else: signing in, signing up, signing out
 * and deleting the account. The worker empties the cache before passing any of them on.
 */
const ACCOUNT_CHANGES = new Set([
  "/account/sign-in",
  "/account/sign-up",
  "/account/sign-out",
  "/account/delete",
  "/account/reset-password",
]);

export function changesAccount(method: string, pathname: string): boolean {
  return method.toUpperCase() === "POST" && ACCOUNT_CHANGES.has(pathname.replace(/\/$/, ""));
}

/**
 * The address a built file is precached under: the prerendered guide and evidence pages as the
 * site links them (`guides/x/index.html` → `/guides/x`, `guides/index.html` → `/guides/`).
 */
export function precacheUrl(file: string): string {
  const path = `/${file.replace(/^\/+/, "")}`;
  if (path === "/guides/index.html" || path === "/evidence/index.html") return path.slice(0, -"index.html".length);
  return path.endsWith("/index.html") ? path.slice(0, -"/index.html".length) : path;
}
