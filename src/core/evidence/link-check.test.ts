import { describe, expect, it } from "vitest";
import { checkLinks, getInternalLinks, getRoutePath } from "./link-check";

describe("getRoutePath", () => {
  it.each([
    ["index.html", "/"],
    ["guides/index.html", "/guides"],
    ["guides/x/index.html", "/guides/x"],
    ["404.html", "/404"],
  ])("%s -> %s", (file, path) => expect(getRoutePath(file)).toBe(path));
});

describe("getInternalLinks", () => {
  it("keeps internal links and assets, drops external ones and protocols", () => {
    const html = `<a href="/a">a</a><a href="https://x.org">x</a><a href="mailto:a@b">m</a><a href="#top">t</a><link rel="canonical" href="http://localhost:4321/a"><img src="/i.svg" alt=""><a href="//cdn.x/y">c</a>`;
    expect(getInternalLinks(html)).toEqual(["/a", "#top", "/i.svg"]);
  });
});

describe("checkLinks", () => {
  const pages = new Map([
    ["/guides", `<a href="/guides/x">x</a> <a href="/evidence/#sleep">s</a> <a href="#here">h</a><h2 id="here">H</h2>`],
    [
      "/guides/x",
      `<a href="/guides/">hub</a> <a href="/evidence/#nope">bad</a> <a href="/missing">m</a> <a href="/favicon.svg">f</a> <a href="y">rel</a>`,
    ],
    ["/evidence", `<tr id="sleep"></tr>`],
  ]);
  const report = checkLinks(pages, new Set(["/favicon.svg"]));
  it.each([
    // A missing anchor on a prerendered page is a problem.
    ["/evidence/#nope", true],
    // Trailing slashes do not matter.
    ["/guides/", false],
    ["/evidence/#sleep", false],
  ])("%s problem: %s", (href, isProblem) => {
    expect(report.problems.some((p) => p.href === href)).toBe(isProblem);
  });
  it("hands back paths no prerendered page answers, resolving relative links", () => {
    expect(report.unresolved.map((u) => u.path).sort()).toEqual(["/guides/y", "/missing"]);
  });
  it("counts every link", () => expect(report.checked).toBe(8));
});
