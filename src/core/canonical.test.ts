import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash } from "./canonical";

describe("canonicalJson", () => {
  it.each([
    // [value, canonical text]
    [{ b: 1, a: [2, { d: 3, c: null }] }, '{"a":[2,{"c":null,"d":3}],"b":1}'],
    [{ a: undefined, b: "x" }, '{"b":"x"}'], // undefined properties drop out, as in JSON.stringify
    [[undefined, 1], "[null,1]"],
    ["é\n", '"é\\n"'],
    [null, "null"],
  ])("%j → %s", (value, text) => {
    expect(canonicalJson(value)).toBe(text);
    // Canonical JSON is still JSON that means the same thing.
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value) ?? "null"));
  });
});

describe("contentHash", () => {
  it("is SHA-256 of the canonical text (known vector: the empty object)", () => {
    // printf '{}' | sha256sum
    expect(contentHash({})).toBe("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  });
  it("does not depend on key order, and changes with any value", () => {
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1, b: 2 })).not.toBe(contentHash({ a: 1, b: 3 }));
  });
});
