/**
 * No function over 120 lines outside the cited statistics (issue 28): a longer one is split into
 * named steps. The statistics in src/core/stats follow their papers step by step and are exempt.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const MAX_LINES = 120;
const EXEMPT = ["src/core/stats/"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : [];
  });
}

/** Every function, arrow function and method in the source longer than `max` lines, as "file:line name (n lines)". */
export function longFunctions(file: string, text: string, max = MAX_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : "(anonymous)";
      if (last - first + 1 > max) found.push(`${file}:${first + 1} ${name} (${last - first + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

it("finds a long function in a sample", () => {
  const body = Array.from({ length: 130 }, (_, i) => `  const v${i} = ${i};`).join("\n");
  expect(longFunctions("sample.ts", `export function long() {\n${body}\n}\n`)).toHaveLength(1);
  expect(longFunctions("sample.ts", `export const short = () => 1;\n`)).toEqual([]);
});

it(`no function under src is over ${MAX_LINES} lines, outside the cited statistics`, () => {
  const found = sources(join(ROOT, "src"))
    .map((path) => relative(ROOT, path))
    .filter((file) => !EXEMPT.some((dir) => file.startsWith(dir)))
    .flatMap((file) => longFunctions(file, readFileSync(join(ROOT, file), "utf8")));
  expect(found).toEqual([]);
});
