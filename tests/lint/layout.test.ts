/**
 * The folder rules that ESLint cannot see on its own, checked by scanning the tree (in the
 * style of Starlight's own file checks): components are views, pages never read a request
 * body, and no .astro file touches the database. Each rule is also run on a bad example, so a
 * rule that stopped matching fails here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = process.cwd();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [relative(ROOT, p)];
  });
}

/** A body read: request.formData(), .json(), .text(), .arrayBuffer() or .blob() on a request. */
const BODY_READ =
  /\b(?:formData|arrayBuffer|blob)\s*\(|\brequest\s*(?:\.\s*clone\s*\(\s*\))?\s*\.\s*(?:json|text)\s*\(/;
/** An import of database code. */
const DB_IMPORT =
  /\bfrom\s+["'](?:[^"']*\/server\/(?:db|repositories)(?:\/[^"']*)?|drizzle-orm(?:\/[^"']*)?|@electric-sql\/[^"']*|pg)["']/;

const rules = {
  "src/components holds .astro views only": (path: string) =>
    path.startsWith("src/components/") && !path.endsWith(".astro") && !path.endsWith("README.md"),
  "no request body is read under src/pages": (path: string, text: string) =>
    path.startsWith("src/pages/") && BODY_READ.test(text),
  "no .astro file imports database code": (path: string, text: string) =>
    path.endsWith(".astro") && DB_IMPORT.test(text),
};

describe("folder rules", () => {
  const tree = files(join(ROOT, "src"));

  it.each(Object.entries(rules))("%s", (_name, breaks) => {
    const offenders = tree.filter((path) => breaks(path, readFileSync(join(ROOT, path), "utf8")));
    expect(offenders).toEqual([]);
  });

  it.each([
    // rule, a path and text that must break it
    ["src/components holds .astro views only", "src/components/sessions/data.ts", "export const x = 1;"],
    ["no request body is read under src/pages", "src/pages/x.astro", "const form = await Astro.request.formData();"],
    ["no request body is read under src/pages", "src/pages/api/x.ts", "const body = await request.json();"],
    [
      "no request body is read under src/pages",
      "src/pages/x.astro",
      "const body = await Astro.request.clone().text();",
    ],
    ["no .astro file imports database code", "src/pages/x.astro", 'import { getDb } from "../../server/db/client";'],
    [
      "no .astro file imports database code",
      "src/components/x.astro",
      'import { listMatSessions } from "../server/repositories/mat-sessions";',
    ],
    ["no .astro file imports database code", "src/pages/x.astro", 'import { eq } from "drizzle-orm";'],
  ] as const)("%s: catches %s", (name, path, text) => {
    expect(rules[name](path, text)).toBe(true);
  });
});
