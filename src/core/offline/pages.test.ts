import { describe, expect, it } from "vitest";
import { changesAccount, isKeptPage, precacheUrl } from "./pages";

describe("isKeptPage", () => {
  it.each([
    ["/today", true],
    ["/timer", true],
    ["/", true],
    ["/sessions", true],
    ["/sessions/new", true],
    ["/experiments/0b9e6c1d-2f3a-4b5c-8d7e-6f5a4b3c2d1e", true],
    ["/account", false], // personal pages not needed offline are never kept
    ["/account/safety-checks", false],
    ["/sessions/0b9e6c1d-2f3a-4b5c-8d7e-6f5a4b3c2d1e", false],
    ["/experiments/0b9e6c1d-2f3a-4b5c-8d7e-6f5a4b3c2d1e/report", false],
    ["/today/x", false],
  ])("%s: %s", (path, kept) => expect(isKeptPage(path)).toBe(kept));
});

describe("changesAccount", () => {
  it.each([
    ["POST", "/account/sign-out", true],
    ["POST", "/account/sign-in", true],
    ["post", "/account/sign-up/", true],
    ["POST", "/account/delete", true],
    ["GET", "/account/sign-out", false],
    ["POST", "/sessions/new", false],
  ])("%s %s: %s", (method, path, changes) => expect(changesAccount(method, path)).toBe(changes));
});

describe("precacheUrl", () => {
  it.each([
    ["guides/index.html", "/guides/"],
    ["evidence/index.html", "/evidence/"],
    ["guides/acupressure-mat-safety/index.html", "/guides/acupressure-mat-safety"],
    ["evidence/studies/kisker-2023/index.html", "/evidence/studies/kisker-2023"],
    ["offline/index.html", "/offline"],
    ["_astro/timer.abc.js", "/_astro/timer.abc.js"],
    ["manifest.webmanifest", "/manifest.webmanifest"],
  ])("%s → %s", (file, url) => expect(precacheUrl(file)).toBe(url));
});
