/**
 * Evidence hub in a real browser and over the built files: axe on the hub, every guide, the
 * evidence table and every study page; a link check over every prerendered page (links and
 * anchors), with server-rendered targets fetched from the running server; size and no-JS checks.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { parseHTML } from "linkedom";
import { checkLinks, getRoutePath } from "../../src/core/evidence/link-check";
import { loadEvidence } from "../../src/content/markers/load-evidence";
import {
  AREA_IDS,
  BlindingSchema,
  ComparisonSchema,
  ConditionKeySchema,
  DESIGNS,
  DirectionSchema,
  LIMITATION_KINDS,
  WithinGroupsSchema,
} from "../../src/core/evidence/schema";
import {
  describeBrowser,
  expectNoA11yViolations,
  launchBrowser,
  ROOT,
  startServer,
  type RunningServer,
} from "./support";

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
const evidencePaths = [...pages.keys()]
  .filter((p) => p === "/guides" || p.startsWith("/guides/") || p === "/evidence" || p.startsWith("/evidence/"))
  .sort();
const guidePaths = evidencePaths.filter((p) => p.startsWith("/guides/"));
const studyPaths = evidencePaths.filter((p) => p.startsWith("/evidence/studies/"));
const evidence = loadEvidence();

/**
 * Ids and coded values that must never reach a reader: study and grey ids, area ids and every
 * coded enum value. Only the ones with a hyphen are checked, since "sleep" or "headache" are also
 * plain words a page may rightly use.
 */
const RAW_IDENTIFIERS = [
  ...evidence.studies.map((s) => s.id),
  ...evidence.grey.map((g) => g.id),
  ...AREA_IDS,
  ...DESIGNS,
  ...DirectionSchema.options,
  ...ComparisonSchema.options,
  ...WithinGroupsSchema.options,
  ...BlindingSchema.options,
  ...ConditionKeySchema.options,
  ...Object.keys(LIMITATION_KINDS),
].filter((id) => id.includes("-"));
const rawIdPattern = new RegExp(
  `(?<![\\w/.-])(?:${[...new Set(RAW_IDENTIFIERS)].map((id) => id.replace(/[-]/g, "\\-")).join("|")})(?![\\w-])`,
  "gi",
);

/**
 * The words of a result that compares the mat with the control. A change within groups or a count
 * of side effects must never be shown in these words ("better with the mat" when both groups improved).
 */
const BETWEEN_GROUP_WORDS =
  /\b(?:better|worse|different) with the mat\b|\bbetween (?:the )?groups\b|^no difference\b|^mixed\b/i;

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
    expect(studyPaths.length).toBe(evidence.studies.length + evidence.grey.length);
  });

  it.each(guidePaths)(
    "%s needs no JavaScript but the service worker's registration and stays under 30 KB compressed",
    (path) => {
      const html = pages.get(path) ?? "";
      // JSON-LD, and the one script that registers the service worker (decision 091), nothing else.
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.filter((s) => !s.includes('type="application/ld+json"'))).toEqual([
        '<script src="/register-sw.js" defer>',
      ]);
      // CSS is inlined by the build, so the page's HTML is all that is transferred.
      expect(gzipSync(html, { level: 9 }).length).toBeLessThan(30 * 1024);
      expect(html).toContain("data-pagefind-body");
      expect(html).not.toContain("[[");
    },
  );
});

describe("each study page renders every outcome with words that match what was compared", () => {
  it.each(evidence.studies.map((s) => [s.id, s] as const))("%s", (id, study) => {
    const html = pages.get(`/evidence/studies/${id}`) ?? "";
    const { document } = parseHTML(html);
    const rows = [...document.querySelectorAll("table.outcomes tbody tr")];
    // Every outcome in the data has its own row, in order, headed by what was measured.
    expect(rows.map((r) => r.querySelector("th")?.textContent?.trim())).toEqual(
      study.data.outcomes.map((o) => o.measure),
    );
    study.data.outcomes.forEach((o, i) => {
      const label = rows[i]?.querySelector("td strong")?.textContent?.trim() ?? "";
      expect(label.length, `${id}/${o.id} shows a result label`).toBeGreaterThan(3);
      if (o.comparison === "between-groups")
        expect(label, `${id}/${o.id} compares the mat with the control`).toMatch(BETWEEN_GROUP_WORDS);
      else
        expect(
          label,
          `${id}/${o.id} is ${o.comparison}: it must not read as a comparison with the control`,
        ).not.toMatch(BETWEEN_GROUP_WORDS);
    });
  });

  it.each(evidence.areas.map((a) => [a.id, a] as const))(
    "the evidence page shows every outcome the %s area counts",
    (id, area) => {
      const { document } = parseHTML(pages.get("/evidence") ?? "");
      const section = document.querySelector(`section#${id}`);
      expect(section, `section #${id}`).not.toBeNull();
      const text = section?.textContent ?? "";
      for (const ref of area.data.outcomes) {
        const study = evidence.studies.find((s) => s.id === ref.study);
        const outcome = study?.data.outcomes.find((o) => o.id === ref.outcome);
        expect(text, `${ref.study}/${ref.outcome}`).toContain(`${outcome?.measure ?? "?"}:`);
        expect(text).toContain(study?.data.shortName ?? "?");
      }
    },
  );
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
      if (res.status >= 400)
        bad.push(
          `${path} -> ${res.status} (linked from ${report.unresolved
            .filter((u) => u.path === path)
            .map((u) => u.from)
            .join(", ")})`,
        );
    }
    expect(bad).toEqual([]);
  });

  it("the server serves the feed and the sitemap", async () => {
    const feed = await fetch(`${server.url}/guides/feed.xml`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
    for (const p of evidencePaths)
      expect(sitemap).toContain(`${p === "/guides" || p === "/evidence" ? `${p}/` : p}</loc>`);
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

  it.skipIf(!otherFiles.has("/pagefind/pagefind.js"))(
    "with the pagefind index built, the hub's search finds guides",
    async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/guides/`);
      await page.locator("#guide-search").waitFor({ state: "visible" });
      await page.getByLabel("Words to look for").fill("waiting list");
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => errors.push(`${m.type()}: ${m.text()}`));
      await page.getByRole("button", { name: "Search" }).click();
      await page
        .locator("#guide-search-results li")
        .first()
        .waitFor()
        .catch(async () => {
          throw new Error(
            `no results; status "${await page.locator("#guide-search-status").textContent()}"; ${errors.join(" | ")}`,
          );
        });
      expect(await page.locator("#guide-search-results a[href^='/guides/']").count()).toBeGreaterThan(0);
      await expectNoA11yViolations(page);
      await context.close();
    },
  );

  it("a certainty badge leads to its area on the evidence page", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/guides/what-the-research-shows`);
    await page.locator("a.certainty-badge[href='/evidence/#sleep']").first().click();
    await page.waitForURL(/\/evidence\/#sleep$/);
    expect(await page.locator("section#sleep .certainty-badge").first().textContent()).toMatch(
      /very low|low|moderate|high|no controlled evidence/,
    );
    await context.close();
  });

  /** Horizontal overflow, elements past the right or left edge, and raw ids in the visible text. */
  async function inspectNarrow(page: Page) {
    return page.evaluate((source) => {
      const vw = document.documentElement.clientWidth;
      const hidden = (el: Element) => {
        for (let e: Element | null = el; e; e = e.parentElement) {
          const st = getComputedStyle(e);
          if (st.display === "none" || st.visibility === "hidden" || (st.position === "absolute" && st.clip !== "auto"))
            return true;
        }
        return false;
      };
      const tooWide = [...document.querySelectorAll("body *")]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          // Cut on either side, or wider than the screen. Wholly off-screen elements (the skip link
          // waiting for focus) are out of sight on purpose.
          const cut = (r.right > vw + 1 && r.left < vw) || (r.left < -1 && r.right > 0);
          return r.width > 0 && (cut || r.width > vw + 1) && !hidden(el);
        })
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().width)} px)`,
        );
      const scrollers = [...document.querySelectorAll("main *")]
        .filter(
          (el) => el.scrollWidth > el.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(el).overflowX),
        )
        .map((el) => el.tagName.toLowerCase());
      const text = (document.querySelector("main") as HTMLElement).innerText;
      const raw = [...new Set(text.match(new RegExp(source, "gi")) ?? [])];
      return {
        vw,
        scrollWidth: document.documentElement.scrollWidth,
        tooWide,
        scrollers,
        raw,
        cards: document.querySelectorAll("table.areas tbody tr").length,
      };
    }, rawIdPattern.source);
  }

  it.each([390, 320])(
    "/evidence/ at %i px: no sideways scrolling, nothing wider than the screen, no raw ids, axe clean",
    async (width) => {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/evidence/`);
      const r = await inspectNarrow(page);
      expect(r.scrollWidth, "page scrolls sideways").toBeLessThanOrEqual(r.vw);
      expect(r.tooWide, "elements wider than the viewport").toEqual([]);
      expect(r.scrollers, "tables or boxes that scroll sideways").toEqual([]);
      expect(r.raw, "raw identifiers in visible text").toEqual([]);
      // Cards: the summary table's header row is out of sight and each area is a block as wide as the column.
      expect(r.cards).toBe(evidence.areas.length);
      expect((await page.locator("table.areas thead").boundingBox())?.height ?? 0).toBeLessThanOrEqual(1);
      const first = await page.locator("table.areas tbody tr").first().boundingBox();
      expect(first?.width ?? 0).toBeGreaterThan(width - 60);
      await expectNoA11yViolations(page);
      await context.close();
    },
  );

  it("/evidence/ shows the table from a wider screen, and passes axe in dark mode", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: "dark" });
    const page = await context.newPage();
    await page.goto(`${server.url}/evidence/`);
    expect((await page.locator("table.areas thead").boundingBox())?.height ?? 0).toBeGreaterThan(20);
    const r = await inspectNarrow(page);
    expect(r.scrollWidth).toBeLessThanOrEqual(r.vw);
    expect(r.raw).toEqual([]);
    await expectNoA11yViolations(page);
    await context.close();
  });

  it("study pages fit 320 px and show no raw ids", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const path of studyPaths) {
      await page.goto(`${server.url}${path}`);
      const r = await inspectNarrow(page);
      if (r.scrollWidth > r.vw || r.tooWide.length > 0 || r.scrollers.length > 0 || r.raw.length > 0)
        problems.push(
          `${path}: ${JSON.stringify({ sw: r.scrollWidth, wide: r.tooWide, scrollers: r.scrollers, raw: r.raw })}`,
        );
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
