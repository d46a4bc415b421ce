import { describe, expect, it } from "vitest";
import { cachePolicy } from "./cache-policy";

describe("cachePolicy", () => {
  it.each([
    // method, has a cookie, the route's own Cache-Control, result (null: keep the route's)
    ["GET", false, null, "private, no-store"],
    ["GET", true, null, "private, no-store"],
    ["POST", false, null, "private, no-store"],
    ["POST", false, "no-store", "private, no-store"],
    ["GET", false, "no-store", "private, no-store"],
    ["GET", false, "max-age=60", "private, no-store"],
    // A route that says it is public keeps that, but only for a visitor reading it.
    ["GET", false, "public, max-age=3600", null],
    ["HEAD", false, "public, max-age=3600", null],
    ["GET", true, "public, max-age=3600", "private, no-store"],
    ["POST", false, "public, max-age=3600", "private, no-store"],
    ["GET", false, "max-age=60, public", null],
  ] as const)("%s, cookie %s, route says %j → %j", (method, cookie, route, expected) => {
    expect(cachePolicy(method, cookie, route)).toBe(expected);
  });
});
