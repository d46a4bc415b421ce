/**
 * Issue 25, item 10: every absolute link a server-rendered answer makes comes from the one origin
 * helper (`publicOrigin`), never from the URL Astro reconstructed (`url.origin`, which was
 * http://localhost with no port in schedule.ics) nor from a made-up fallback. Pages and server
 * code are scanned for the shapes that bypassed it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.(ts|astro)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe("absolute links come from publicOrigin", () => {
  it("no page or endpoint builds a link from the request URL's origin", () => {
    const offenders = sources(join(ROOT, "src", "pages"))
      .filter((file) => /\b(url|Astro\.url|ctx\.url|context\.url)\.origin\b/.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
