/**
 * Installable and offline (issue 19, item 6; decision 091), in chromium on a 390 px phone: the
 * service worker takes the page, keeps Today and the timer, and the browser finds nothing
 * missing to install the app (Page.getInstallabilityErrors, since Lighthouse 12 no longer
 * reports installability). Offline, the timer runs, the rated session waits on the phone and
 * says so; back online it is sent and is in the log once, and sending it again adds nothing.
 * Guides read offline; signing out empties the kept pages.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContextOptions, type Page } from "playwright-core";
import { expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { CHROMIUM_FLAGS, chromiumPath, describeBrowser, expectNoA11yViolations, useServerAndBrowser } from "./support";

const PASSWORD = "a long enough passphrase";
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} satisfies BrowserContextOptions;
const allNo = Object.fromEntries(data.questions.filter((q) => !("askedIf" in q)).map((q) => [q.id, "no"]));

describeBrowser("installable, and the timer offline", () => {
  const ctx = useServerAndBrowser();
  const url = (path: string) => `${ctx.server.url}${path}`;

  async function signUp(page: Page): Promise<void> {
    await page.goto(url("/account/sign-up"));
    const email = `o${randomBytes(4).toString("hex")}@example.com`;
    for (const [name, value] of Object.entries({ name: "Olu", email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(url("/account")), page.click("button[type=submit]")]);
    const saved = await page.request.post(url("/account/safety-checks"), {
      form: allNo,
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    expect(saved.status()).toBe(303);
  }

  /** Waits until the service worker controls the page and holds a copy of each path. */
  async function waitForOfflineCopies(page: Page, paths: string[]): Promise<void> {
    // The worker is installed on the first page; a page opened before it was ready is taken on reload.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForFunction(
      async (list) => (await Promise.all(list.map((p) => caches.match(p)))).every(Boolean),
      paths,
      { polling: 100 },
    );
  }

  const logEntries = async (page: Page) => {
    await page.goto(url("/sessions"));
    return page.locator('li[id^="session-"]').count();
  };

  it("is installable: the manifest and the service worker leave the browser nothing to complain about", async () => {
    // A browser profile of its own: chromium never offers to install from an incognito context.
    const profile = mkdtempSync(join(tmpdir(), "matwise-install-"));
    const context = await chromium.launchPersistentContext(profile, {
      ...PHONE,
      executablePath: chromiumPath ?? undefined,
      args: CHROMIUM_FLAGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await signUp(page);
    await page.goto(url("/today"));
    await waitForOfflineCopies(page, ["/today", "/timer", "/guides/", "/offline"]);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toBe(url("/manifest.webmanifest"));

    // The worker's script is always checked for a new version; the manifest is served as one.
    const sw = await page.request.get(url("/sw.js"));
    expect(sw.headers()["cache-control"]).toBe("no-cache");
    expect(sw.headers()["content-security-policy"]).toContain("script-src 'self'");
    const webmanifest = await page.request.get(url("/manifest.webmanifest"));
    expect(webmanifest.headers()["content-type"]).toBe("application/manifest+json");
    const icon = await page.request.get(url("/icons/icon-maskable-512.png"));
    expect(icon.headers()["content-type"]).toBe("image/png");
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it("runs the timer offline, keeps the rated session on the phone, and sends it once when back online", async () => {
    const context = await ctx.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signUp(page);
    await page.goto(url("/today"));
    await waitForOfflineCopies(page, ["/today", "/timer"]);
    expect(await logEntries(page)).toBe(0);
    await page.goto(url("/today"));

    await context.setOffline(true);
    // Today and the timer come from the phone's copies.
    await page.reload();
    await expect(page.locator("h1").innerText()).resolves.toBe("Today");
    await page.goto(url("/timer?minutes=10&position=lying"));
    await page.waitForSelector('button:has-text("Start the timer")');
    await page.fill("#timer-minutes", "5");
    await page.click('button:has-text("Start the timer")');
    await page.waitForSelector('[role="timer"]');
    // Stopping ends it at once (no waiting on the clock); the ratings follow as after the chime.
    await page.click('button:has-text("Stop")');
    await page.waitForSelector("#timer-rate");
    await page.click("#timer-discomfort .scale-option:nth-child(4)"); // 3
    await page.click("#timer-painAfter .scale-option:nth-child(3)"); // 2
    await page.click('button:has-text("Save this session")');

    // It waits on the phone, and says so.
    await expect(page.locator("#timer-rate").innerText()).resolves.toBe("Saved on this phone");
    await expect(page.locator('.timer [role="status"]').innerText()).resolves.toContain(
      "Saved on this phone — will be sent when you are back online.",
    );
    await expectNoA11yViolations(page);
    const kept = await page.evaluate(
      () =>
        JSON.parse(localStorage.getItem("matwise.sessions") ?? "[]") as {
          id: string;
          waitingFor: string | null;
          rated: boolean;
        }[],
    );
    expect(kept).toHaveLength(1);
    const key = kept[0]?.id ?? "";
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/); // a random UUID
    expect(kept[0]?.waitingFor).toBeTruthy();

    // Still offline, Today lists it as waiting rather than as something to rate or import.
    await page.goto(url("/today"));
    await page.waitForSelector(".browser-sessions");
    const card = await page.locator(".browser-sessions").innerText();
    expect(card).toContain("Waiting to be sent");
    expect(card).toContain("Saved on this phone — will be sent when you are back online.");
    expect(card).not.toContain("Save it to my account");

    // Back online: Today sends it and says it was sent.
    await context.setOffline(false);
    await page.waitForSelector('.today-cards [role="status"]:has-text("was sent and is now in your log")');
    expect(await page.evaluate(() => localStorage.getItem("matwise.sessions"))).toBeNull();
    expect(await logEntries(page)).toBe(1);
    await expect(page.locator('li[id^="session-"]').first().innerText()).resolves.toContain("3");

    // Sent again with the same key (an answer lost on the way), it is not stored twice.
    const again = await page.request.post(url("/sessions/new"), {
      form: {
        kept: key,
        startedAt: new Date().toISOString(),
        minutes: "0",
        seconds: "5",
        position: "lying",
        area: "back",
        layer: "clothing",
        matId: "",
        discomfort: "7",
      },
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    expect(await logEntries(page)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sends a session rated offline from the timer page itself when the connection returns, and reads guides offline", async () => {
    const context = await ctx.browser.newContext(PHONE);
    const page = await context.newPage();
    await signUp(page);
    await page.goto(url("/today"));
    await waitForOfflineCopies(page, ["/today", "/timer", "/guides/acupressure-mat-safety"]);

    await context.setOffline(true);
    await page.goto(url("/guides/acupressure-mat-safety"));
    await expect(page.locator("h1").innerText()).resolves.toMatch(/safety/i);
    // A page with no copy gets the offline page, not the browser's error.
    await page.goto(url("/mats"));
    await expect(page.locator("h1").innerText()).resolves.toBe("You are offline");

    await page.goto(url("/timer"));
    await page.click('button:has-text("Start the timer")');
    await page.click('button:has-text("Stop")');
    await page.click("#timer-discomfort .scale-option:nth-child(2)"); // 1
    await page.click('button:has-text("Save this session")');
    await page.waitForSelector('#timer-rate:has-text("Saved on this phone")');
    await context.setOffline(false);
    await page.waitForSelector('#timer-rate:has-text("Sent to your log")');
    expect(await logEntries(page)).toBe(1);

    // Signing out empties the copies of personal pages.
    await page.goto(url("/account"));
    await Promise.all([page.waitForURL(/signed-out=1/), page.click('form[action="/account/sign-out"] button')]);
    expect(
      await page.evaluate(async () => Boolean(await caches.match("/today")) || Boolean(await caches.match("/timer"))),
    ).toBe(false);
    await context.close();
  });

  it("keeps an experiment's check-in made offline on the phone and records it once back online", async () => {
    const context = await ctx.browser.newContext(PHONE);
    const page = await context.newPage();
    await signUp(page);
    // An experiment about pain, started today (a new account's clock is UTC).
    await page.goto(url("/experiments/new"));
    const next = () => Promise.all([page.waitForURL(/step=/), page.click('button:has-text("Next")')]);
    await page.check('input[name="outcome"][value="pain"]');
    for (let i = 0; i < 5; i++) await next();
    await page.locator('.scale label:has(input[value="3"])').click();
    await next();
    await page.fill("#startsOn", new Date().toISOString().slice(0, 10));
    await Promise.all([
      page.waitForURL(/\/experiments\/[0-9a-f-]{36}\?started=1/),
      page.click('button:has-text("Start and freeze the plan")'),
    ]);
    const experiment = new URL(page.url()).pathname;
    await page.goto(url(experiment));
    await waitForOfflineCopies(page, [experiment]);

    await context.setOffline(true);
    await page.reload();
    const form = page.locator("form.check-in").first();
    await form.locator('input[value="as-assigned"]').check();
    await form.locator('.scale label:has(input[name="pain"][value="4"])').click();
    await form.locator('button:has-text("Save")').click();
    await expect(form.locator("[data-waiting]").innerText()).resolves.toBe(
      "Saved on this phone — will be sent when you are back online.",
    );
    await expectNoA11yViolations(page);
    // The page's copy, opened again offline, still says it waits.
    await page.reload();
    await page.waitForSelector("form.check-in [data-waiting]");

    await context.setOffline(false);
    await page.waitForSelector(
      '[data-offline-status]:has-text("A check-in saved on this phone was sent and recorded.")',
    );
    expect(await page.evaluate(() => localStorage.getItem("matwise.outbox"))).toBeNull();
    await page.goto(url(experiment));
    expect(await page.locator("form.check-in:has(input[name=kind][value=evening])").count()).toBe(0);
    await context.close();
  });
});
