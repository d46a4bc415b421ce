/**
 * Prettier's Astro plugin may move text that touched an expression onto its own line, and Astro
 * renders that line break as a space: "the study ." instead of "the study.". This test finds
 * punctuation that starts a line right after an expression or an inline element, which reads as a
 * space before the mark; such a run must be written as one expression (issue 28, item 12).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "@astrojs/compiler";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const INLINE = new Set([
  "a",
  "abbr",
  "b",
  "cite",
  "code",
  "em",
  "i",
  "kbd",
  "mark",
  "q",
  "small",
  "span",
  "strong",
  "sub",
  "sup",
  "time",
]);

function astroFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? astroFiles(join(dir, e.name)) : e.name.endsWith(".astro") ? [join(dir, e.name)] : [],
  );
}

interface AstNode {
  type: string;
  name?: string;
  value?: string;
  children?: AstNode[];
  position?: { start: { line: number } };
}

/** Text after an expression or an inline element that starts, on a new line, with punctuation. */
export function spacesBeforePunctuation(ast: AstNode): number[] {
  const lines: number[] = [];
  const walk = (node: AstNode) => {
    const kids = node.children ?? [];
    kids.forEach((kid, i) => {
      const before = kids[i - 1];
      const joins =
        before && (before.type === "expression" || (before.type === "element" && INLINE.has(before.name ?? "")));
      // Text directly inside an expression is its JavaScript, not rendered text.
      if (node.type !== "expression" && kid.type === "text" && joins && /^[ \t]*\n\s*[.,;:!?)]/.test(kid.value ?? ""))
        lines.push(kid.position?.start.line ?? 0);
      walk(kid);
    });
  };
  walk(ast);
  return lines;
}

describe("no space the formatter put before punctuation in rendered text", () => {
  it("finds the mistake in a sample", async () => {
    const { ast } = await parse('<p>You left the study{" "}\n{why}\n. It stays yours.</p>\n<p>{a}.</p>');
    expect(spacesBeforePunctuation(ast as AstNode)).toHaveLength(1);
  });

  it("no .astro file under src has one", async () => {
    const found: string[] = [];
    for (const file of astroFiles(join(ROOT, "src"))) {
      const { ast } = await parse(readFileSync(file, "utf8"), { position: true });
      for (const line of spacesBeforePunctuation(ast)) found.push(`${relative(ROOT, file)}:${line}`);
    }
    expect(found).toEqual([]);
  });
});
