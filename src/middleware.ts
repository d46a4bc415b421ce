/**
 * Security headers on every server-rendered response. HTML pages get a
 * Content-Security-Policy that allows exactly their own inline scripts (by hash).
 * Prerendered pages get the same treatment in src/server/web-server.ts.
 */
import { defineMiddleware } from "astro:middleware";
import { baseSecurityHeaders, contentSecurityPolicy } from "./server/security-headers";

export const onRequest = defineMiddleware(async (_context, next) => {
  const response = await next();
  const isHtml = (response.headers.get("content-type") ?? "").includes("text/html");
  let result = response;
  if (isHtml && response.body) {
    const html = await response.text();
    result = new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
    result.headers.set("Content-Security-Policy", contentSecurityPolicy(html));
  } else if (!result.headers.has("Content-Security-Policy")) {
    try {
      result.headers.set("Content-Security-Policy", contentSecurityPolicy());
    } catch {
      // Some responses (redirects made by Astro) have immutable headers; the web server sets a default.
      return result;
    }
  }
  for (const [k, v] of Object.entries(baseSecurityHeaders)) result.headers.set(k, v);
  return result;
});
