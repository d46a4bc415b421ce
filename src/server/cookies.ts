/**
 * matwise's own first-party cookies (a result or a plan kept in the browser): read from the
 * request, written on a redirect. HttpOnly, SameSite=Lax, Path=/, and Secure in production.
 * The session cookie is better-auth's business, not this module's.
 * @module
 */
import { parseEnv } from "./env";

/** The value of cookie `name` in the request, decoded, or null. */
export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** Whether the request carries cookie `name` at all (without reading it). */
export const hasCookie = (request: Request, name: string): boolean => readCookie(request, name) !== null;

const secure = () => (parseEnv().NODE_ENV === "production" ? "; Secure" : "");

/** A Set-Cookie value that keeps `value` for `days` days. */
export function cookieHeader(name: string, value: string, days: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${Math.round(days * 86_400)}; HttpOnly; SameSite=Lax${secure()}`;
}

/** A Set-Cookie value that removes cookie `name`. */
export function clearCookieHeader(name: string): string {
  return `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure()}`;
}

/** A 303 redirect to `to` that sets the given cookies. */
export function redirectSettingCookies(to: string, cookies: readonly string[]): Response {
  const headers = new Headers({ location: to, "cache-control": "no-store" });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}
