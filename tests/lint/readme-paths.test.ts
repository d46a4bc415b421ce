/**
 * Every path a README (or ARCHITECTURE.md, SECURITY.md, RELIABILITY.md) names in backticks (`src/…`, `docs/…`, `tests/…`, `bench/…`, `scripts/…`,
 * `drizzle/…`, `bin/…`) exists, so the READMEs cannot drift from the tree unnoticed (issue 28, item 11).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const TOP = /^(src|docs|tests|bench|scripts|drizzle|bin)\//;

function readmes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (["node_modules", "dist", ".git", ".astro", "data", "test-results"].includes(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory()
      ? readmes(path)
      : e.name === "README.md" ||
          (dir === ROOT && ["ARCHITECTURE.md", "SECURITY.md", "RELIABILITY.md"].includes(e.name))
        ? [path]
        : [];
  });
}

describe("paths named in the READMEs", () => {
  it.each(readmes(ROOT).map((f) => [relative(ROOT, f), f]))("%s names only paths that exist", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const missing: string[] = [];
    for (const [, quoted] of text.matchAll(/`([^`\s]+)`/g)) {
      const path = quoted!.replace(/[:#].*$/, "").replace(/[),.;]+$/, "");
      if (!TOP.test(path) || /[*<>{}]/.test(path)) continue;
      // A path is read from the project root, or (for a folder's own README) from that folder.
      if (!existsSync(join(ROOT, path)) && !existsSync(join(dirname(file), path))) missing.push(path);
    }
    expect(missing).toEqual([]);
  });
});
