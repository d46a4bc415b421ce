/**
 * No import circle among the sources (issue 28, item 9): a circle makes load order matter and
 * the layers blur. Follows relative imports and re-exports (type-only ones too) of every
 * non-test .ts/.tsx file under src/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const [, spec] of text.matchAll(/(?:import|export)\s+(?:type\s+)?[^'";]*?from\s+["'](\.[^"']+)["']/g)) {
    const base = resolve(dirname(file), spec!);
    const found = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find(
      (c) => existsSync(c) && statSync(c).isFile(),
    );
    if (found) out.push(found);
  }
  return out;
}

it("finds no import circle under src/", () => {
  const graph = new Map(sources(join(ROOT, "src")).map((f) => [f, importsOf(f)]));
  const done = new Set<string>();
  const onPath: string[] = [];
  const circles: string[] = [];
  const visit = (file: string) => {
    done.add(file);
    onPath.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = onPath.indexOf(next);
      if (at >= 0) circles.push([...onPath.slice(at), next].map((f) => relative(ROOT, f)).join(" → "));
      else if (!done.has(next)) visit(next);
    }
    onPath.pop();
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  expect(circles).toEqual([]);
});
