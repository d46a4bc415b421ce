/**
 * Issue 24 items 1 and 2, and the walkthrough's tap counts, on a 390 × 844 phone with the server's
 * clock moved (tests/e2e/fake-clock.mjs): with a plan and a running experiment Today gives one
 * instruction (the experiment's day; the plan says it is paused); at 20:00 the evening check-in
 * leads Today and takes at most 6 taps; the next morning at 08:00 the morning check-in leads and
 * takes at most 4.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { addDays, getLocalDate } from "../../src/core/datetime";
import {
  describeBrowser,
  expectNoA11yViolations,
  launchBrowser,
  ROOT,
  startServer,
  type RunningServer,
} from "./support";

const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  timezoneId: "UTC",
};
const allNo = Object.fromEntries(data.questions.filter((q) => !("askedIf" in q)).map((q) => [q.id, "no"]));
const PASSWORD = "a long enough passphrase";
const FAKE_CLOCK = ["--import", join(ROOT, "tests/e2e/fake-clock.mjs")];

describeBrowser("Today through an experiment's day and night", () => {
  // Tomorrow in UTC, so the first day's evening and the next morning are both ahead of the real clock.
  const day = addDays(getLocalDate(new Date(), "UTC"), 1);
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const url = (path: string) => `${server.url}${path}`;
  const at = (wall: string, dataDir?: string) =>
    startServer({
      nodeArgs: FAKE_CLOCK,
      env: { MATWISE_TEST_NOW: `${wall}:00.000Z` },
      ...(dataDir ? { dataDir } : {}),
    });

  beforeAll(async () => {
    server = await at(`${day}T20:00`);
    browser = await launchBrowser();
    context = await browser.newContext(PHONE);
    page = await context.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const post = async (path: string, form: Record<string, string>) => {
    const res = await page.request.post(url(path), { form, headers: { origin: server.url }, maxRedirects: 0 });
    return res.status();
  };

  /** Taps and counts; typing is not a tap, scrolling is not a tap. */
  let taps = 0;
  const tap = async (selector: string) => {
    await page.locator(selector).first().tap();
    taps += 1;
  };

  it("gives one instruction with a plan and a running experiment, and the evening check-in leads at 20:00 in at most 6 taps", async () => {
    await page.goto(url("/account/sign-up"));
    for (const [name, value] of Object.entries({
      name: "Ada",
      email: `a${randomBytes(4).toString("hex")}@example.com`,
      password: PASSWORD,
      confirm: PASSWORD,
    }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(/\/account$/), page.click("button[type=submit]")]);
    expect(await post("/account/safety-checks", allNo)).toBe(303);
    expect(
      await post("/plan", {
        intent: "keep",
        skin: "average",
        tolerance: "average",
        area: "back",
        level: "fine",
        start: day,
      }),
    ).toBe(303);
    const design = {
      outcome: "sleepQuality",
      mcid: "1",
      comparator: "rest-without-mat",
      minutes: "15",
      time: "19:00",
      position: "lying",
      area: "back",
      periodDays: "1",
      pairs: "21",
      washout: "no",
      expectation: "5",
      startsOn: day,
    };
    expect(await post("/experiments/new", design)).toBe(303);

    await page.goto(url("/today"));
    // One instruction: the experiment's day; the plan says it is paused, with no session of its own.
    const cards = page.locator(".today-cards > *");
    await expect(cards.first().locator("h2").innerText()).resolves.toMatch(/Sleep quality/);
    await expect(page.locator("#plan-day-title").innerText()).resolves.toBe("Your plan is paused");
    await expect(page.locator('.plan-day a:has-text("Start today\'s session")').count()).resolves.toBe(0);
    const text = (await page.locator("main").innerText()).replace(/\s+/g, " ");
    expect(text).not.toMatch(/Today's session/);
    await expectNoA11yViolations(page);

    // The evening check-in leads at 20:00.
    taps = 0;
    await Promise.all([page.waitForURL(/\/experiments\/[0-9a-f-]{36}/), tap('a:has-text("Evening check-in")')]);
    const form = page.locator("form.check-in:has(input[name=kind][value=evening])");
    await form.locator('label.option:has(input[value="as-assigned"])').tap();
    taps += 1;
    await Promise.all([
      page.waitForURL(/checked-in=evening/),
      form
        .locator('button:has-text("Save")')
        .tap()
        .then(() => (taps += 1)),
    ]);
    expect(taps).toBeLessThanOrEqual(6);
    console.log(`[today-week] the evening check-in took ${taps} taps from Today`);
  });

  it("leads with the morning check-in at 08:00 the next morning, in at most 4 taps", async () => {
    const dataDir = server.dataDir;
    await server.stop();
    server = await at(`${addDays(day, 1)}T08:00`, dataDir);
    await page.goto(url("/today"));
    const first = page.locator(".today-cards > *").first();
    await expect(first.locator(".lead-morning a").innerText()).resolves.toMatch(/Morning check-in/);
    await expectNoA11yViolations(page);
    taps = 0;
    await Promise.all([page.waitForURL(/\/experiments\/[0-9a-f-]{36}/), tap('a:has-text("Morning check-in")')]);
    const form = page.locator("form.check-in:has(input[name=kind][value=morning])");
    await form.locator('.scale label:has(input[value="7"])').tap();
    taps += 1;
    await Promise.all([
      page.waitForURL(/checked-in=morning/),
      form
        .locator('button:has-text("Save")')
        .tap()
        .then(() => (taps += 1)),
    ]);
    expect(taps).toBeLessThanOrEqual(4);
    console.log(`[today-week] the morning check-in took ${taps} taps from Today`);
  });
});
