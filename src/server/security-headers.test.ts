import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, inlineScriptHashes } from "./security-headers";

const sha = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;

describe("content security policy", () => {
  it.each([
    // html, hashes expected
    ["<p>no scripts</p>", []],
    ['<script>console.log(1)</script>', [sha("console.log(1)")]],
    ['<script type="module">import "x"</script>', [sha('import "x"')]],
    ['<script src="/a.js"></script>', []],
    ['<script type="application/ld+json">{"a":1}</script>', []],
    ["<script>a</script><script>a</script>", [sha("a")]],
  ])("hashes the executable inline scripts of %j", (html, expected) => {
    expect(inlineScriptHashes(html)).toEqual([...expected].sort());
  });

  it("never allows inline scripts wholesale and forbids framing", () => {
    const csp = contentSecurityPolicy("<script>x()</script>");
    const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src")) ?? "";
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).toContain(sha("x()"));
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
