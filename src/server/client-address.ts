/**
 * Who is on the other end of a request. The web server works the address out once, from the
 * socket (and, only behind a trusted proxy, from X-Forwarded-For), and hands it on in a header
 * that it alone sets: any copy a client sent is overwritten. Rate limits and the device list
 * (better-auth reads the same header) therefore see the same, unforgeable address.
 * @module
 */
import { isIP } from "node:net";

/** The header that carries the client address from the web server to Astro and better-auth. */
export const CLIENT_IP_HEADER = "x-matwise-client-ip";

/** "::ffff:10.0.0.1" → "10.0.0.1"; "[2001:db8::1]:443" → "2001:db8::1"; "1.2.3.4:80" → "1.2.3.4"; anything else → null. */
export function normalizeAddress(raw: string | undefined | null): string | null {
  let a = (raw ?? "").trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed?.[1]) a = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(a)) a = a.slice(7);
  return isIP(a) ? a.toLowerCase() : null;
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}

/**
 * The client's address. Without a trusted proxy it is the socket's peer, whatever the headers
 * say. With `trustProxy`, the peer is our proxy and X-Forwarded-For is read from the right: the
 * right-most hop that is not itself a proxy on this machine (loopback) is the client, since
 * everything left of it was written by the client and proves nothing.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string {
  const peer = normalizeAddress(socketAddress) ?? "unknown";
  if (!trustProxy || forwardedFor === undefined) return peer;
  const hops = [forwardedFor].flat().join(",").split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    // A hop the proxy wrote that is not an address means a misconfigured proxy: trust nothing from it.
    if (hop === null) return peer;
    if (!isLoopback(hop)) return hop;
  }
  return peer;
}
