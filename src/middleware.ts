/**
 * Security headers on every server-rendered response. HTML pages get a
 * Content-Security-Policy that allows exactly their own inline scripts (by hash).
 * Prerendered pages get the same treatment in src/server/web-server.ts.
 */
import { defineMiddleware } from "astro:middleware";
import { csrfRefusal } from "./server/csrf";
import { baseSecurityHeaders, contentSecurityPolicy } from "./server/security-headers";

const trustedHosts = process.env.MATWISE_SITE_URL ? [new URL(process.env.MATWISE_SITE_URL).host] : [];

export const onRequest = defineMiddleware(async (context, next) => {
  const h = context.request.headers;
  const refusal = context.isPrerendered
    ? null
    : csrfRefusal({ method: context.request.method, host: h.get("host"), origin: h.get("origin"), secFetchSite: h.get("sec-fetch-site"), contentType: h.get("content-type"), trustedHosts });
  if (refusal) {
    return new Response(`${refusal} Go back to the page, reload it, and send the form again.`, {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "Content-Security-Policy": contentSecurityPolicy(), ...baseSecurityHeaders },
    });
  }
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
