/**
 * Whether a server-rendered answer may be cached, decided in one place (src/middleware.ts
 * applies it to every server-rendered response).
 * @module
 */

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * The one place that decides whether a server-rendered answer may be cached. Anything that can
 * depend on a session or carry personal data is `private, no-store`: every answer to a request
 * with a cookie, every answer to a POST (a safety-check result holds health answers), and any
 * answer whose route did not itself declare a public policy. Only a visitor's GET of a route
 * that set `public` keeps it.
 */
export function cachePolicy(method: string, hasCookie: boolean, routePolicy: string | null): string | null {
  const visitorRead = SAFE_METHODS.has(method.toUpperCase()) && !hasCookie;
  if (visitorRead && routePolicy && /(^|,)\s*public\b/i.test(routePolicy)) return null;
  return "private, no-store";
}
