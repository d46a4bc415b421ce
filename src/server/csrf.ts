/**
 * Cross-site request forgery guard for every state-changing request. A browser always
 * sends Origin on a POST; it must name this site. Form-like bodies (the kind another
 * site can send without asking) are refused without a matching Origin. JSON bodies need
 * a CORS preflight that we never grant, so a missing Origin (a script or CLI) is allowed
 * for them, but a foreign one is not. Sec-Fetch-Site "cross-site" is always refused.
 * @module
 */

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_LIKE = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

export interface CsrfInput {
  method: string;
  /** Host header of the request (host[:port]). */
  host: string | null;
  origin: string | null;
  secFetchSite: string | null;
  contentType: string | null;
  /** Extra hosts that count as this site (e.g. the public host behind a proxy). */
  trustedHosts?: string[];
}

/** Returns the reason to refuse, or null when the request may go on. */
export function csrfRefusal(req: CsrfInput): string | null {
  if (SAFE.has(req.method.toUpperCase())) return null;
  if (req.secFetchSite === "cross-site") return "Cross-site requests are not allowed.";
  const hosts = new Set([req.host, ...(req.trustedHosts ?? [])].filter((h): h is string => !!h).map((h) => h.toLowerCase()));
  if (req.origin) {
    let originHost: string;
    try {
      originHost = new URL(req.origin).host.toLowerCase();
    } catch {
      return "The request's origin is not valid.";
    }
    return hosts.has(originHost) ? null : "Cross-site form submissions are not allowed.";
  }
  const type = (req.contentType ?? "").toLowerCase();
  const formLike = type === "" || FORM_LIKE.some((t) => type.includes(t));
  return formLike ? "This form must be sent from a matwise page (the browser did not say where it came from)." : null;
}
