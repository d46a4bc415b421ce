import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
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

describe("pages", () => {
  it("leave caching to the middleware: a page sets Cache-Control only to declare itself public", () => {
    const pages = join(import.meta.dirname, "../pages");
    const files = readdirSync(pages, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".astro"));
    expect(files.length).toBeGreaterThan(20);
    const private_ = files.filter((f) =>
      /headers\.set\(\s*["']cache-control["']\s*,\s*["'](?![^"']*public)/i.test(readFileSync(join(pages, f), "utf8")),
    );
    expect(private_, "these pages set a private policy the middleware would replace anyway").toEqual([]);
  });
});
