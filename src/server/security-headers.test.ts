import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, loadScriptHashes, SCRIPT_HASHES_FILE, scriptHash } from "./security-headers";

const sha = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;

describe("content security policy", () => {
  it("hashes a script the way browsers do (SHA-256 of its UTF-8 text, base64)", () => {
    expect(scriptHash("console.log(1)")).toBe(sha("console.log(1)"));
    expect(scriptHash("x = 'é'")).toBe(sha("x = 'é'"));
  });

  it("allows exactly the given hashes, never inline scripts wholesale, and forbids framing", () => {
    const csp = contentSecurityPolicy([sha("x()")]);
    const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src")) ?? "";
    expect(scriptSrc).toBe(`script-src 'self' 'wasm-unsafe-eval' ${sha("x()")}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy()).not.toContain("sha256-");
  });

  it("reads the build's hashes and ignores anything that is not one", () => {
    const dir = mkdtempSync(join(tmpdir(), "matwise-csp-"));
    expect(loadScriptHashes(dir)).toBeNull();
    writeFileSync(
      join(dir, SCRIPT_HASHES_FILE),
      JSON.stringify({ scriptHashes: [sha("a"), "'unsafe-inline'", 42, sha("b")] }),
    );
    expect(loadScriptHashes(dir)).toEqual([sha("a"), sha("b")]);
  });
});
