/**
 * Cross-site request forgery guard for every state-changing request. A browser always
 * sends Origin on a POST; it must name this site, scheme, host and port alike. Form-like
 * bodies (the kind another site can send without asking) are refused without a matching
 * Origin. JSON bodies need a CORS preflight that we never grant, so a missing Origin (a
 * script or CLI) is allowed for them, but a foreign one is not. Sec-Fetch-Site "cross-site"
 * is always refused.
 * @module
 */
import { normalizeOrigin } from "./origin";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_LIKE = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

export interface CsrfInput {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
  contentType: string | null;
  /** Origins (scheme://host[:port]) that are this site: see `ownOrigins` in src/server/origin.ts. */
  allowedOrigins: readonly string[];
}

/**
 * Paths whose POST is authorized by a signed token in the address and uses no cookie, so a
 * forged request can do nothing the token's holder could not: the stop link of reminders,
 * which mail programs post to without an Origin (RFC 8058 one-click unsubscribe).
 */
export const TOKEN_ONLY_PATHS: readonly string[] = ["/reminders/stop"];

/** Returns the reason to refuse, or null when the request may go on. */
export function csrfRefusal(req: CsrfInput): string | null {
  if (SAFE.has(req.method.toUpperCase())) return null;
  if (req.secFetchSite === "cross-site") return "Cross-site requests are not allowed.";
  if (req.origin) {
    const origin = normalizeOrigin(req.origin);
    if (origin === null) return "The request's origin is not valid.";
    return req.allowedOrigins.includes(origin) ? null : "Cross-site form submissions are not allowed.";
  }
  const type = (req.contentType ?? "").toLowerCase();
  const formLike = type === "" || FORM_LIKE.some((t) => type.includes(t));
  return formLike ? "This form must be sent from a matwise page (the browser did not say where it came from)." : null;
}
