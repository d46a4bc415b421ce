/**
 * Every server-rendered request passes here: cross-site state-changing requests are refused
 * (src/server/csrf.ts), and responses get the base security headers and their cache policy
 * (`cachePolicy`: personal answers are never stored). The Content-Security-Policy
 * is set by the web server in front (src/server/web-server.ts) from the build's own script
 * hashes; nothing here reads a rendered page to build it.
 */
import { defineMiddleware } from "astro:middleware";
import { cachePolicy } from "./server/cache-policy";
import { csrfRefusal, TOKEN_ONLY_PATHS } from "./server/csrf";
import { originConfigFromEnv, ownOrigins } from "./server/origin";
import { baseSecurityHeaders, contentSecurityPolicy } from "./server/security-headers";
import { SESSION_MARKER_HEADER } from "./core/offline/pages";
import { getSessionMarker } from "./server/session-marker";

/** `response` with `headers` set; a copy when its headers are immutable (redirects made by Astro). */
function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  let out = response;
  try {
    for (const [k, v] of Object.entries(headers)) out.headers.set(k, v);
  } catch {
    out = new Response(response.body, response);
    for (const [k, v] of Object.entries(headers)) out.headers.set(k, v);
  }
  return out;
}

export const onRequest = defineMiddleware(async (context, next) => {
  const h = context.request.headers;
  const refusal =
    context.isPrerendered || TOKEN_ONLY_PATHS.includes(context.url.pathname)
      ? null
      : csrfRefusal({
          method: context.request.method,
          origin: h.get("origin"),
          secFetchSite: h.get("sec-fetch-site"),
          contentType: h.get("content-type"),
          allowedOrigins: ownOrigins(h, originConfigFromEnv()),
        });
  if (refusal) {
    return new Response(`${refusal} Go back to the page, reload it, and send the form again.`, {
      status: 403,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "Content-Security-Policy": contentSecurityPolicy(),
        ...baseSecurityHeaders,
      },
    });
  }
  const response = await next();
  const cache = cachePolicy(context.request.method, h.has("cookie"), response.headers.get("cache-control"));
  const headers: Record<string, string> = cache
    ? { ...baseSecurityHeaders, "Cache-Control": cache }
    : { ...baseSecurityHeaders };
  // Pages say whose session made them, so the service worker keeps offline copies for that session only.
  const isPage = (response.headers.get("content-type") ?? "").startsWith("text/html");
  if (!context.isPrerendered && isPage && (context.request.method === "GET" || context.request.method === "HEAD"))
    headers[SESSION_MARKER_HEADER] = await getSessionMarker(context.request);
  return withHeaders(response, headers);
});
