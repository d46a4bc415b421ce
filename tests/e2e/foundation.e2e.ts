/**
 * The foundation, end to end: the built server starts, answers /healthz, refuses a second
 * process on its data folder, keeps every acknowledged row through a SIGKILL, and every
 * page reachable from the home page or listed in the sitemap passes axe and fits a 320 px
 * screen, in light and dark mode: one test per page and mode, so the time a test may take
 * does not grow with the number of pages.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { waitFor } from "../../scripts/lib/wait-for";
import { createFreshPostgres } from "../../src/server/db/fresh-postgres";
import {
  ROOT,
  chromiumPath,
  describeBrowser,
  expectNoA11yViolations,
  startServer,
  useServerAndBrowser,
} from "./support";

/** More pages than this means a page links to an endless family of addresses: a bug. */
const PAGE_LIMIT = 500;

/**
 * Every HTML page linked from the site, starting at the home page, a missing page and the
 * sitemap, found with plain requests against a server of its own before the tests are
 * declared (the tests need the list to exist). Each request has its own time limit; the crawl
 * as a whole has none, since it grows with the site.
 */
async function discoverPages(): Promise<string[]> {
  const server = await startServer();
  try {
    const get = (path: string) => fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(60_000) });
    const sitemap = await (await get("/sitemap.xml")).text();
    const queue = [
      "/",
      "/this-page-does-not-exist",
      ...[...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1] ?? "/").pathname),
    ];
    const seen = new Set<string>();
    const html: string[] = [];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      if (seen.has(path)) continue;
      seen.add(path);
      if (seen.size > PAGE_LIMIT)
        throw new Error(
          `the crawl found more than ${PAGE_LIMIT} addresses; last ones: ${[...seen].slice(-5).join(", ")}`,
        );
      const res = await get(path);
      const body = await res.text();
      if (!(res.headers.get("content-type") ?? "").includes("text/html")) continue; // feeds, sitemap, downloads
      html.push(path);
      for (const m of body.matchAll(/<a\s[^>]*?href="(\/[^"#]*)/g)) {
        const link = (m[1] ?? "").replace(/&amp;/g, "&");
        if (link && !link.startsWith("/api/") && !seen.has(link)) queue.push(link);
      }
    }
    return html;
  } finally {
    await server.stop();
  }
}

const pages = chromiumPath ? await discoverPages() : [];

describe("server start-up and storage", () => {
  it("answers /healthz with the embedded database", async () => {
    const server = await startServer();
    try {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", database: "pglite" });
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      // A prerendered page comes from memory, compressed, with the security headers.
      const home = await fetch(`${server.url}/guides/`, { headers: { "accept-encoding": "br, gzip" } });
      expect(home.headers.get("content-encoding")).toBe("br");
      const csp = home.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp.split("; ").find((d) => d.startsWith("script-src"))).not.toContain("unsafe-inline");
      expect(home.headers.get("referrer-policy")).toBeTruthy();
      const again = await fetch(`${server.url}/guides/`, {
        headers: { "if-none-match": home.headers.get("etag") ?? "" },
      });
      expect(again.status).toBe(304);
    } finally {
      await server.stop();
    }
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("answers /healthz with PostgreSQL when DATABASE_URL is set", async () => {
    // A database of its own: the base one may hold tables of another checkout's migrations.
    const fresh = await createFreshPostgres(process.env.TEST_DATABASE_URL ?? "", "matwise_e2e");
    try {
      const server = await startServer({ env: { DATABASE_URL: fresh.url } });
      try {
        expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok", database: "postgresql" });
      } finally {
        await server.stop();
      }
    } finally {
      await fresh.drop();
    }
  });

  it("refuses a second server on the same data folder with a clear message", async () => {
    const first = await startServer();
    try {
      const second = await startServer({ dataDir: first.dataDir, waitReady: false });
      const code = await second.exited;
      expect(code).toBe(1);
      expect(second.output()).toContain(
        `The database folder ${first.dataDir} is in use by another matwise process (pid ${first.proc.pid})`,
      );
      // The refused start took no snapshot of the other server's folder on its way out.
      expect(second.output()).not.toContain("automatic snapshot");
      const backups = join(dirname(first.dataDir), "backups");
      expect(existsSync(backups) ? readdirSync(backups).filter((f) => f.startsWith("auto-")) : []).toEqual([]);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it("refuses to rebuild dist/ while a server runs from it (npm start beside a running server)", async () => {
    const server = await startServer();
    try {
      const check = spawnSync(join("node_modules", ".bin", "tsx"), ["scripts/check-build-free.ts"], {
        cwd: ROOT,
        encoding: "utf8",
      });
      expect(check.status).toBe(1);
      expect(check.stderr).toContain(`${server.proc.pid}`);
      expect(check.stderr).toContain("Stop the server first");
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("stops with a message naming the variable when the environment is bad", async () => {
    const server = await startServer({ env: { PORT: "not-a-port" }, waitReady: false });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain("PORT: must be a whole number");
  });

  it("keeps every acknowledged row when killed with SIGKILL during writes", async () => {
    // Each write comes from its own address (through a trusted proxy), so the per-address feedback limit does not stop the writers.
    const server = await startServer({ env: { MATWISE_TRUST_PROXY: "1" } });
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${server.url}/api/feedback`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": `198.51.${n}.${i % 250}` },
            body: JSON.stringify({ path: "/", kind: "other", message: `writer ${n} row ${i}` }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await waitFor("150 acknowledged writes", () => acknowledged.length >= 150, 60_000, 20);
    await server.stop("SIGKILL");
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    // Restart on the same folder: the stale lock is taken over and the server comes up.
    const again = await startServer({ dataDir: server.dataDir });
    const ok = await fetch(`${again.url}/healthz`);
    expect(ok.status).toBe(200);
    await again.stop();
    expect(await again.exited).toBe(0);

    const db = await PGlite.create(server.dataDir);
    try {
      const { rows } = await db.query<{ id: string }>("select id from page_feedback");
      const stored = new Set(rows.map((r) => r.id));
      const missing = acknowledged.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("takes the daily snapshot in a child process at a start, none on a first start, and again a day later", async () => {
    const first = await startServer();
    const backups = join(dirname(first.dataDir), "backups");
    const automatic = () => (existsSync(backups) ? readdirSync(backups).filter((f) => f.startsWith("auto-")) : []);
    await fetch(`${first.url}/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "/", kind: "other", message: "kept in the snapshot" }),
    });
    expect(await first.stop()).toBe(0);
    expect(first.output()).not.toContain("automatic snapshot");
    expect(automatic()).toEqual([]);

    const second = await startServer({ dataDir: first.dataDir });
    expect(await second.stop()).toBe(0);
    expect(second.output()).toContain("automatic snapshot written to");
    expect(second.output()).not.toContain("taking it here");
    const [file] = automatic();
    expect(automatic()).toHaveLength(1);
    const path = join(backups, file ?? "");
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // A restore of it holds the row written before.
    const restored = join(dirname(first.dataDir), "restored");
    const restore = spawnSync(process.execPath, [join(ROOT, "bin/matwise.mjs"), "restore", path], {
      cwd: ROOT,
      env: { ...process.env, MATWISE_DATA_DIR: restored },
      encoding: "utf8",
    });
    expect(restore.status, restore.stderr).toBe(0);
    const db = await PGlite.create(restored);
    try {
      const { rows } = await db.query<{ message: string }>("select message from page_feedback");
      expect(rows.map((r) => r.message)).toEqual(["kept in the snapshot"]);
    } finally {
      await db.close();
    }

    // A day later the next start takes another.
    const dayAgo = (Date.now() - 25 * 60 * 60 * 1000) / 1000;
    utimesSync(path, dayAgo, dayAgo);
    const third = await startServer({ dataDir: first.dataDir });
    expect(await third.stop()).toBe(0);
    expect(automatic()).toHaveLength(2);
  });
});

describeBrowser("pages in a browser", () => {
  const ctx = useServerAndBrowser();

  it("found the pages of the site", () => {
    expect(pages).toContain("/");
    expect(pages).toContain("/this-page-does-not-exist");
    expect(pages.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(["light", "dark"] as const)("in %s mode", (scheme) => {
    it.each(pages)("%s passes axe and fits 320 px", async (path) => {
      const context = await ctx.browser.newContext({ viewport: { width: 320, height: 640 }, colorScheme: scheme });
      try {
        const page = await context.newPage();
        const failures: string[] = [];
        page.on("console", (msg) => {
          const expected404 = path === "/this-page-does-not-exist" && msg.text().includes("404");
          if (msg.type() === "error" && !expected404) failures.push(`console error: ${msg.text()}`);
        });
        page.on("pageerror", (err) => failures.push(`script error: ${err.message}`));
        await page.goto(`${ctx.server.url}${path}`);
        await expectNoA11yViolations(page);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 0) failures.push(`${overflow}px wider than a 320px screen`);
        expect(failures).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });

  it("the navigation is reachable by keyboard and the skip link moves focus to the content", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(ctx.server.url);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => location.hash)).toBe("#main");
    expect(await page.locator("nav[aria-label='Main'] a").count()).toBe(6);
    expect(await page.locator("footer").innerText()).toContain("does not diagnose or treat");
    await context.close();
  });
});
