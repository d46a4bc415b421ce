import { describe, expect, it } from "vitest";
import { csrfRefusal, type CsrfInput } from "./csrf";

const base: CsrfInput = { method: "POST", host: "127.0.0.1:4321", origin: "http://127.0.0.1:4321", secFetchSite: null, contentType: "application/x-www-form-urlencoded" };

describe("csrfRefusal", () => {
  it.each([
    // changes to the base request, refused?
    [{}, false],
    [{ method: "GET", origin: "https://evil.example" }, false],
    [{ origin: "https://evil.example" }, true],
    [{ origin: "http://127.0.0.1:9999" }, true],
    [{ origin: "null" }, true],
    [{ origin: null }, true],
    [{ origin: null, contentType: "application/json" }, false],
    [{ origin: "https://evil.example", contentType: "application/json" }, true],
    [{ secFetchSite: "cross-site" }, true],
    [{ origin: "https://matwise.example", trustedHosts: ["matwise.example"] }, false],
    [{ method: "DELETE", origin: null, contentType: null }, true],
  ] as const)("%j → refused %s", (change, refused) => {
    expect(csrfRefusal({ ...base, ...change } as CsrfInput) !== null).toBe(refused);
  });
});
