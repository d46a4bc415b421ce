/**
 * Which origin (scheme, host, port) a request belongs to. Used for the cross-site check (the
 * Origin header must be one of `ownOrigins`) and for absolute links that leave the page: reset
 * mails and calendar files (`publicOrigin`). MATWISE_SITE_URL, when set, is the public origin;
 * otherwise the request's Host header is used, which the client chooses, so production sites
 * should set MATWISE_SITE_URL (SECURITY.md).
 * @module
 */
import { parseEnv } from "./env";

export interface OriginConfig {
  /** MATWISE_SITE_URL, when set. */
  siteUrl?: string | undefined;
  /** MATWISE_TRUST_PROXY=1: X-Forwarded-Proto from the proxy says whether the client used https. */
  trustProxy: boolean;
}

/** A Host header value we accept: a name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `scheme://host[:port]` normalised the way browsers write Origin (default port dropped), or null. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** The origin the request was sent to, from its Host header; null when that is missing or not a host. */
export function requestOrigin(headers: Headers, config: OriginConfig): string | null {
  const host = headers.get("host") ?? "";
  if (!HOST.test(host)) return null;
  const forwardedProto = config.trustProxy
    ? headers.get("x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase()
    : undefined;
  return normalizeOrigin(`${forwardedProto === "https" ? "https" : "http"}://${host}`);
}

/** The origins that count as this site: the request's own and MATWISE_SITE_URL's. */
export function ownOrigins(headers: Headers, config: OriginConfig): string[] {
  const site = config.siteUrl ? normalizeOrigin(config.siteUrl) : null;
  return [...new Set([requestOrigin(headers, config), site].filter((o): o is string => o !== null))];
}

/** The origin for links sent outside the page: MATWISE_SITE_URL's when set, else the request's, else http://localhost. */
export function publicOrigin(headers: Headers, config: OriginConfig = originConfigFromEnv()): string {
  const site = config.siteUrl ? normalizeOrigin(config.siteUrl) : null;
  return site ?? requestOrigin(headers, config) ?? "http://localhost";
}

let cached: OriginConfig | undefined;
/** The origin settings of this process (read once). */
export function originConfigFromEnv(): OriginConfig {
  if (!cached) {
    const env = parseEnv();
    cached = { siteUrl: env.MATWISE_SITE_URL, trustProxy: env.MATWISE_TRUST_PROXY === "1" };
  }
  return cached;
}
