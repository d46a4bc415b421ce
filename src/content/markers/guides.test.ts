/**
 * Checks every guide in src/content/guides without a build: frontmatter, markers against the
 * graded data, no certainty level in free text, and no overclaiming words.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findBannedClaims, findFreeTextCertainty, getLineOf, getMarkerProblems, GuideFrontmatterSchema } from "../../core/evidence/guide";
import { CONTENT_DIR, loadEvidence } from "./load-evidence";

const dir = join(CONTENT_DIR, "guides");
const files = readdirSync(dir).filter((f) => f.endsWith(".md")).sort();
const guides = files.map((f) => ({ slug: f.replace(/\.md$/, ""), text: readFileSync(join(dir, f), "utf8") }));
const data = loadEvidence();
const ctx = {
  citable: new Set([...data.studies.map((s) => s.id), ...data.grey.map((g) => g.id)]),
  levels: Object.fromEntries(data.grades.map((g) => [g.area, g.level])),
};

/** A tiny frontmatter reader for the flat keys guides use (astro parses the real thing). */
function readFrontmatter(text: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---/.exec(text);
  const out: Record<string, unknown> = {};
  for (const line of (m?.[1] ?? "").split("\n")) {
    const kv = /^(\w+):\s*(.*)$/.exec(line);
    if (!kv?.[1]) continue;
    const raw = (kv[2] ?? "").trim();
    if (raw.startsWith("[")) out[kv[1]] = raw.slice(1, -1).split(",").map((s) => s.trim().replace(/^["']|["']$/g, "")).filter(Boolean);
    else if (/^\d+$/.test(raw)) out[kv[1]] = Number(raw);
    else out[kv[1]] = raw.replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
  }
  return out;
}

describe.skipIf(guides.length === 0)("guides", () => {
  it.each(guides)("$slug: frontmatter follows the schema and related guides exist", ({ text }) => {
    const fm = GuideFrontmatterSchema.parse(readFrontmatter(text));
    const missing = fm.related.filter((r) => !guides.some((g) => g.slug === r));
    expect(missing, "related slugs without a guide file").toEqual([]);
  });

  it.each(guides)("$slug: markers match the data", ({ text }) => {
    const problems = getMarkerProblems(text, ctx).map((p) => `line ${getLineOf(text, p.index)}: ${p.message}`);
    expect(problems).toEqual([]);
  });

  it.each(guides)("$slug: states no certainty level in free text", ({ text }) => {
    expect(findFreeTextCertainty(text), "use a [[certainty:area=level]] marker instead").toEqual([]);
  });

  it.each(guides)("$slug: never says cure, proven, guaranteed or clinically proven", ({ text }) => {
    expect(findBannedClaims(text)).toEqual([]);
  });

  it("exactly one pillar guide (order 1) and no two guides share an order", () => {
    const orders = guides.map((g) => Number(readFrontmatter(g.text).order));
    expect(orders.filter((o) => o === 1)).toHaveLength(1);
    expect(new Set(orders).size).toBe(orders.length);
  });
});
