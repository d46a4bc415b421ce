import { describe, expect, it } from "vitest";
import { csrfRefusal, type CsrfInput } from "./csrf";
import { ownOrigins } from "./origin";

const base: CsrfInput = {
  method: "POST",
  origin: "http://127.0.0.1:4321",
  secFetchSite: null,
  contentType: "application/x-www-form-urlencoded",
  allowedOrigins: ["http://127.0.0.1:4321"],
};

describe("csrfRefusal", () => {
  it.each([
    // changes to the base request, refused?
    [{}, false],
    [{ method: "GET", origin: "https://evil.example" }, false],
    [{ origin: "https://evil.example" }, true],
    [{ origin: "http://127.0.0.1:9999" }, true],
    // Same host and port, another scheme: another origin.
    [{ origin: "https://127.0.0.1:4321" }, true],
    [{ origin: "null" }, true],
    [{ origin: "javascript:alert(1)" }, true],
    [{ origin: null }, true],
    [{ origin: null, contentType: "application/json" }, false],
    [{ origin: "https://evil.example", contentType: "application/json" }, true],
    [{ secFetchSite: "cross-site" }, true],
    [
      { origin: "https://matwise.example", allowedOrigins: ["http://127.0.0.1:4321", "https://matwise.example"] },
      false,
    ],
    [{ origin: "http://matwise.example", allowedOrigins: ["http://127.0.0.1:4321", "https://matwise.example"] }, true],
    [{ origin: "HTTP://127.0.0.1:4321" }, false],
    [{ method: "DELETE", origin: null, contentType: null }, true],
  ] as const)("%j → refused %s", (change, refused) => {
    expect(csrfRefusal({ ...base, ...change }) !== null).toBe(refused);
  });
});

describe("ownOrigins", () => {
  const h = (entries: Record<string, string>) => new Headers(entries);
  it.each([
    // headers, config, origins
    [{ host: "127.0.0.1:4321" }, { trustProxy: false }, ["http://127.0.0.1:4321"]],
    [{ host: "matwise.example:80" }, { trustProxy: false }, ["http://matwise.example"]],
    [{ host: "matwise.example", "x-forwarded-proto": "https" }, { trustProxy: false }, ["http://matwise.example"]],
    [{ host: "matwise.example", "x-forwarded-proto": "https" }, { trustProxy: true }, ["https://matwise.example"]],
    [
      { host: "127.0.0.1:4321" },
      { trustProxy: false, siteUrl: "https://matwise.example/path" },
      ["http://127.0.0.1:4321", "https://matwise.example"],
    ],
    [{ host: "evil.example/x" }, { trustProxy: false }, []],
    [{ host: "" }, { trustProxy: false, siteUrl: "https://matwise.example" }, ["https://matwise.example"]],
  ] as const)("%j with %j → %j", (headers, config, expected) => {
    expect(ownOrigins(h(headers), config)).toEqual(expected);
  });
});
