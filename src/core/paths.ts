/**
 * Same-site paths taken from a client (`next=` after signing in, the page a feedback report is
 * about): the one check for anything that becomes a redirect or a link back into the site.
 * @module
 */

/**
 * Printable ASCII that may stand in a path and query as sent: letters, digits, the unreserved
 * and sub-delimiter characters, `/`, `?`, `:`, `@` and `%` escapes. No spaces, quotes, `<`, `>`,
 * backslashes, `#` or anything outside ASCII.
 */
const SAFE_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;

/** Control characters (C0, DEL, C1) and anything beyond ASCII. */
const UNSAFE_DECODED = /[\u0000-\u001f\u007f-\uffff]/;

/** Longest path we accept; a real one is far shorter. */
const MAX_LENGTH = 2000;

/**
 * Whether `raw` is a path on this site that is safe to redirect to and to put in a Location
 * header: it starts with a single `/`, holds only safe characters, and once its %-escapes are
 * decoded still holds no control or non-ASCII character, no backslash, and does not start with
 * `//` or `/\` (which a browser reads as another host, after stripping tabs and newlines).
 */
export function isSameSitePath(raw: string): boolean {
  if (raw.length > MAX_LENGTH || !SAFE_PATH.test(raw)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return false;
  }
  if (UNSAFE_DECODED.test(decoded) || decoded.includes("\\")) return false;
  return !decoded.startsWith("//");
}

/** `raw` when it is a same-site path (see `isSameSitePath`), otherwise `fallback`. */
export function sameSitePath(raw: string | null | undefined, fallback: string): string {
  return typeof raw === "string" && isSameSitePath(raw) ? raw : fallback;
}
