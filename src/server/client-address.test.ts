import { describe, expect, it } from "vitest";
import { normalizeAddress, resolveClientAddress } from "./client-address";

describe("resolveClientAddress", () => {
  it.each([
    // socket, X-Forwarded-For, trust the proxy?, client
    ["127.0.0.1", undefined, false, "127.0.0.1"],
    // Without a trusted proxy the header is ignored, however it is spelled.
    ["127.0.0.1", "10.9.0.1", false, "127.0.0.1"],
    ["::ffff:192.0.2.7", "10.9.0.1, 10.9.0.2", false, "192.0.2.7"],
    ["127.0.0.1", ["10.9.0.1", "10.9.0.2"], false, "127.0.0.1"],
    // Behind a trusted proxy: the right-most hop, not the left-most one the client wrote.
    ["127.0.0.1", "203.0.113.5", true, "203.0.113.5"],
    ["127.0.0.1", "10.9.0.1, 203.0.113.5", true, "203.0.113.5"],
    ["127.0.0.1", ["10.9.0.1", "203.0.113.5"], true, "203.0.113.5"],
    // Proxies on this machine (loopback hops) are skipped.
    ["127.0.0.1", "10.9.0.1, 203.0.113.5, 127.0.0.1", true, "203.0.113.5"],
    ["127.0.0.1", "203.0.113.5:4711", true, "203.0.113.5"],
    ["127.0.0.1", "[2001:DB8::1]:443", true, "2001:db8::1"],
    // A hop that is not an address: trust nothing the proxy passed on.
    ["127.0.0.1", "10.9.0.1, evil", true, "127.0.0.1"],
    ["127.0.0.1", "", true, "127.0.0.1"],
    ["127.0.0.1", undefined, true, "127.0.0.1"],
    [undefined, undefined, false, "unknown"],
  ] as const)("socket %s, X-Forwarded-For %j, trusted %s → %s", (socket, xff, trust, expected) => {
    expect(resolveClientAddress(socket, xff as string | string[] | undefined, trust)).toBe(expected);
  });

  it.each([
    ["10.0.0.1", "10.0.0.1"],
    ["::FFFF:10.0.0.1", "10.0.0.1"],
    ["::1", "::1"],
    ["999.1.1.1", null],
    ["not an address", null],
    ["1.2.3.4\n", "1.2.3.4"],
    ["1.2.3.4\u0000", null],
  ])("normalizeAddress(%j) → %j", (raw, expected) => {
    expect(normalizeAddress(raw)).toBe(expected);
  });
});
