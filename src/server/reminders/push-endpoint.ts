/**
 * Which push subscription endpoints matwise accepts and sends to (issue 25, item 2): only
 * those of the real push services of browsers, by host name, over https on the default port,
 * without user or password; plus the exact origins an operator names in MATWISE_PUSH_SERVICES
 * (a self-hosted push service, or the test push service). At send time the connection goes
 * through request-filtering-agent, which resolves the name and refuses loopback, private,
 * link-local and other special addresses, so a name that starts to point inward is refused too.
 * @module
 */
import type { Agent } from "node:https";
import { RequestFilteringHttpsAgent } from "request-filtering-agent";

/**
 * Host names of the push services browsers use. An entry starting with a dot matches any name
 * under it (Apple and Microsoft give each region its own host).
 * - Chrome, Edge on Android, Opera, Brave, Samsung Internet: Firebase Cloud Messaging
 * - Firefox: Mozilla's autopush
 * - Safari (macOS 13+, iOS 16.4+): Apple Push Notification service for the web
 * - Edge on Windows: Windows Push Notification Services
 */
export const PUSH_SERVICE_HOSTS: readonly string[] = [
  "fcm.googleapis.com",
  "android.googleapis.com",
  "updates.push.services.mozilla.com",
  ".push.apple.com",
  ".notify.windows.com",
];

/** What the browser sees when an endpoint is refused. */
export const NOT_A_PUSH_SERVICE = "must be the address of a browser's push service";

/** The extra push service origins of MATWISE_PUSH_SERVICES (comma-separated https origins). */
export function configuredPushOrigins(value: string | undefined = process.env.MATWISE_PUSH_SERVICES): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => new URL(v).origin);
}

function hostMatches(host: string, entry: string): boolean {
  return entry.startsWith(".") ? host.endsWith(entry) && host.length > entry.length : host === entry;
}

/** Null when `endpoint` is one matwise sends to; otherwise why not (for logs and the 400). */
export function pushEndpointProblem(
  endpoint: string,
  extraOrigins: readonly string[] = configuredPushOrigins(),
): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "is not an address";
  }
  if (url.protocol !== "https:") return "must be an https address";
  if (url.username || url.password) return "must not hold a user name or password";
  if (extraOrigins.includes(url.origin)) return null;
  if (url.port !== "") return NOT_A_PUSH_SERVICE;
  // URL gives IP addresses in their canonical form (0x7f000001 becomes 127.0.0.1), which no entry matches.
  const host = url.hostname.toLowerCase();
  return PUSH_SERVICE_HOSTS.some((entry) => hostMatches(host, entry)) ? null : NOT_A_PUSH_SERVICE;
}

/**
 * The agent for one send: it refuses to connect to loopback, private, link-local, meta and other
 * reserved addresses after resolving the name. Origins the operator named are trusted as they
 * are (a self-hosted service may well be on a private address): no agent.
 */
export function pushAgentFor(
  endpoint: string,
  extraOrigins: readonly string[] = configuredPushOrigins(),
): Agent | undefined {
  if (extraOrigins.includes(new URL(endpoint).origin)) return undefined;
  return new RequestFilteringHttpsAgent({ allowPrivateIPAddress: false, allowMetaIPAddress: false, keepAlive: false });
}
