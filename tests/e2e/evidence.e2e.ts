/**
 * Evidence hub in a real browser and over the built files: axe on the hub, every guide, the
 * evidence table and every study page; a link check over every prerendered page (links and
 * anchors), with server-rendered targets fetched from the running server; size and no-JS checks.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { checkLinks, getRoutePath } from "../../src/core/evidence/link-check";
import { describeBrowser, expectNoA11yViolations, launchBrowser, ROOT, startServer, type RunningServer } from "./support";

const CLIENT = join(ROOT, "dist/client");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const allFiles = walk(CLIENT).map((p) => relative(CLIENT, p));
const htmlFiles = allFiles.filter((f) => f.endsWith(".html"));
const pages = new Map(htmlFiles.map((f) => [getRoutePath(f), readFileSync(join(CLIENT, f), "utf8")]));
const otherFiles = new Set(allFiles.filter((f) => !f.endsWith(".html")).map((f) => `/${f.replace(/\\/g, "/")}`));
const evidencePaths = [...pages.keys()].filter((p) => p === "/guides" || p.startsWith("/guides/") || p === "/evidence" || p.startsWith("/evidence/")).sort();
const guidePaths = evidencePaths.filter((p) => p.startsWith("/guides/"));
const studyPaths = evidencePaths.filter((p) => p.startsWith("/evidence/studies/"));

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("evidence pages are built", () => {
  it("has the hub, seven guides, the table and every study and grey page", () => {
    expect(pages.has("/guides")).toBe(true);
    expect(guidePaths).toHaveLength(7);
    expect(pages.has("/evidence")).toBe(true);
    expect(studyPaths.length).toBe(15);
  });

  it.each(guidePaths)("%s needs no JavaScript and stays under 30 KB compressed", (path) => {
    const html = pages.get(path) ?? "";
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.every((s) => s.includes('type="application/ld+json"'))).toBe(true);
    // CSS is inlined by the build, so the page's HTML is all that is transferred.
    expect(gzipSync(html, { level: 9 }).length).toBeLessThan(30 * 1024);
    expect(html).toContain("data-pagefind-body");
    expect(html).not.toContain("[[");
  });
});

describe("link check over every prerendered page", () => {
  const report = checkLinks(pages, otherFiles);

  it("every internal link and anchor between prerendered pages resolves", () => {
    expect(report.checked).toBeGreaterThan(100);
    expect(report.problems.map((p) => `${p.from}: ${p.href}: ${p.message}`)).toEqual([]);
  });

  it("every link to a server-rendered route answers from the server", async () => {
    const paths = [...new Set(report.unresolved.map((u) => u.path))];
    const bad: string[] = [];
    for (const path of paths) {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      if (res.status >= 400) bad.push(`${path} -> ${res.status} (linked from ${report.unresolved.filter((u) => u.path === path).map((u) => u.from).join(", ")})`);
    }
    expect(bad).toEqual([]);
  });

  it("the server serves the feed and the sitemap", async () => {
    const feed = await fetch(`${server.url}/guides/feed.xml`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain("<feed xmlns=\"http://www.w3.org/2005/Atom\">");
    const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
    for (const p of evidencePaths) expect(sitemap).toContain(`${p === "/guides" || p === "/evidence" ? `${p}/` : p}</loc>`);
  });
});

describeBrowser("evidence pages in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(evidencePaths)("%s has no axe violations", async (path) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${server.url}${path === "/guides" || path === "/evidence" ? `${path}/` : path}`);
    expect(res?.status()).toBe(200);
    await expectNoA11yViolations(page);
    await context.close();
  });

  it("the hub reads fine without JavaScript, and the search box stays hidden", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/guides/`);
    expect(await page.locator("main a[href^='/guides/']").count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator("#guide-search").isHidden()).toBe(true);
    await context.close();
  });

  it.skipIf(!otherFiles.has("/pagefind/pagefind.js"))("with the pagefind index built, the hub's search finds guides", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/guides/`);
    await page.locator("#guide-search").waitFor({ state: "visible" });
    await page.getByLabel("Words to look for").fill("waiting list");
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => errors.push(`${m.type()}: ${m.text()}`));
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator("#guide-search-results li").first().waitFor().catch(async () => {
      throw new Error(`no results; status "${await page.locator("#guide-search-status").textContent()}"; ${errors.join(" | ")}`);
    });
    expect(await page.locator("#guide-search-results a[href^='/guides/']").count()).toBeGreaterThan(0);
    await expectNoA11yViolations(page);
    await context.close();
  });

  it("a certainty badge leads to its row in the evidence table", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/guides/what-the-research-shows`);
    await page.locator("a.certainty-badge[href='/evidence/#sleep']").first().click();
    await page.waitForURL(/\/evidence\/#sleep$/);
    expect(await page.locator("tr#sleep .certainty-badge").textContent()).toMatch(/very low|low|moderate|high|no controlled evidence/);
    await context.close();
  });
});
