import { describe, expect, it } from "vitest";
import { isSameSitePath, sameSitePath } from "./paths";

describe("same-site paths", () => {
  it.each([
    // raw, accepted?
    ["/", true],
    ["/sessions", true],
    ["/sessions/new?minutes=10&area=upper-back", true],
    ["/guides/acupressure-mat-safety", true],
    ["/x?q=a%20b", true],
    ["/a//b", true],
    // Another host, however it is spelled.
    ["//evil.example/x", false],
    ["/\\evil.example", false],
    ["/%2F/evil.example", false],
    ["/%5Cevil.example", false],
    ["https://evil.example/", false],
    ["evil.example", false],
    // Control characters, raw or escaped: a browser strips tabs and newlines, a header refuses them.
    ["/\t/evil.invalid/x", false],
    ["/%09/evil.invalid/x", false],
    ["/\u007f", false],
    ["/%7F", false],
    ["/\n", false],
    ["/%0A", false],
    ["/%00", false],
    ["/\u0085", false],
    // Outside ASCII (cannot stand in a header as is), raw or escaped.
    ["/\u2713", false],
    ["/%E2%9C%93", false],
    ["/é", false],
    // Escapes that do not decode, characters that need quoting, and absurd lengths.
    ["/%E0%A4%A", false],
    ['/"onmouseover', false],
    ["/<script>", false],
    ["/a b", false],
    ["/#frag", false],
    [`/${"a".repeat(2001)}`, false],
    ["", false],
  ])("%j → %s", (raw, ok) => {
    expect(isSameSitePath(raw)).toBe(ok);
    expect(sameSitePath(raw, "/fallback")).toBe(ok ? raw : "/fallback");
  });

  it("falls back when there is no path at all", () => {
    expect(sameSitePath(null, "/account")).toBe("/account");
    expect(sameSitePath(undefined, "/")).toBe("/");
  });

  it("never lets through a value that a Location header refuses", () => {
    for (let cp = 0; cp < 0x3000; cp++) {
      const raw = `/${String.fromCodePoint(cp)}`;
      if (isSameSitePath(raw)) expect(() => new Headers({ location: raw })).not.toThrow();
    }
  });
});
