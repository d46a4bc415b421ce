/**
 * The daily loop on a 390 px phone: from / to a finished, rated first session without typing an
 * address, with JavaScript and without; a visitor's session kept in the browser and saved to the
 * account after sign-up; Today for a signed-in person in light and dark; local times in New York
 * and Auckland; the compact navigation and its tap targets. Set MATWISE_SHOTS=<folder> to keep
 * screenshots of each screen.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { describeBrowser, expectNoA11yViolations, postForm, useServerAndBrowser } from "./support";

const PASSWORD = "a long enough passphrase";
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} satisfies BrowserContextOptions;
const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
const allNo = Object.fromEntries(unconditional.map((id) => [id, "no"]));
const SHOTS = process.env.MATWISE_SHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Follows a link or a form button and waits for the page it leads to. */
async function go(page: Page, selector: string, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), page.locator(selector).first().click()]);
}

/** The local calendar day of now in `timeZone`, as Today writes it: "Wednesday 25 November". */
const localDayWords = (timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", timeZone }).format(new Date());
const localIsoDay = (timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).format(new Date());

describeBrowser("Today: the daily loop", () => {
  const ctx = useServerAndBrowser();
  const url = (path: string) => `${ctx.server.url}${path}`;

  /** Answers every question of the safety check with No and shows the result. */
  async function takeSafetyCheck(page: Page): Promise<void> {
    const done = page.locator("button:has-text('See my result')");
    // With JavaScript a phone shows one group at a time: answer what is shown, then Next.
    for (;;) {
      for (const id of unconditional) {
        const no = page.locator(`#q-${id}-no`);
        if (await no.isVisible()) await no.check();
      }
      if (await done.isVisible()) break;
      await page.locator("button:has-text('Next')").locator("visible=true").first().click();
    }
    await go(page, "button:has-text('See my result')", /\/safety-check$/);
  }

  it("takes a new visitor from / to a rated first session, keeps it in the browser, and saves it to the account after sign-up", async () => {
    const context = await ctx.browser.newContext({ ...PHONE, timezoneId: "America/New_York" });
    const page = await context.newPage();
    await page.goto(url("/"));
    await shot(page, "home-390");
    await go(page, "a:has-text('Begin with the safety check')", /\/safety-check$/);
    await takeSafetyCheck(page);
    await expect(page.locator("#next-title").innerText()).resolves.toBe("Next: your break-in plan");
    await go(page, "button:has-text('Keep this result and make my plan')", /\/plan\?check=kept/);

    // The kept result is a first-party cookie with the level, date and areas only.
    const kept = (await context.cookies()).find((c) => c.name === "matwise-check");
    expect(kept?.httpOnly).toBe(true);
    expect(kept?.sameSite).toBe("Lax");
    expect(Object.keys(JSON.parse(decodeURIComponent(kept?.value ?? "{}")) as object).sort()).toEqual([
      "areasOff",
      "date",
      "level",
    ]);

    // The plan reads it.
    await expect(page.locator("#plan-level").inputValue()).resolves.toBe("fine");
    await expect(page.locator("#plan-start").inputValue()).resolves.toBe(localIsoDay("America/New_York"));
    await go(page, "button:has-text('Make my plan')", /\/plan\?/);
    await expectNoA11yViolations(page);
    await shot(page, "plan-390");
    await go(page, "button:has-text('Keep this plan and go to Today')", /\/today\?plan=kept/);
    await expect(page.locator(".plan-day").innerText()).resolves.toContain("Day 1 of 21");
    await expectNoA11yViolations(page);
    await shot(page, "today-visitor-390");

    // / now sends this visitor to Today.
    await page.goto(url("/"));
    expect(new URL(page.url()).pathname).toBe("/today");

    // Today's session opens the timer set up for it.
    await go(
      page,
      'a:has-text("Start today\'s session")',
      /\/timer\?minutes=10&position=lying&area=back&layer=clothing/,
    );
    await page.waitForSelector("button:has-text('Start the timer')");
    await expect(page.locator(".position-choice:has(input:checked)").innerText()).resolves.toContain("Lying");
    await expectNoA11yViolations(page);
    await shot(page, "timer-390");
    await page.fill("#timer-minutes", "0");
    await page.fill("#timer-seconds", "2");
    await page.check("text=No sound at the end");
    await page.click("button:has-text('Start the timer')");
    await page.waitForSelector("#timer-rate", { timeout: 15_000 });
    await expectNoA11yViolations(page);
    await shot(page, "timer-rate-390");

    // Rating in taps: discomfort and the four "now" scales, then keep. Scrolling is not a tap.
    let taps = 0;
    const tap = async (selector: string) => {
      await page.locator(selector).tap();
      taps += 1;
    };
    await tap("#timer-discomfort .scale-option:nth-child(4)"); // 3
    for (const name of ["painAfter", "tensionAfter", "stressAfter", "relaxationAfter"])
      await tap(`#timer-${name} .scale-option:nth-child(3)`);
    await tap("button:has-text('Keep this session')");
    await page.waitForSelector("h2:has-text('Kept in this browser')");
    expect(taps).toBeLessThanOrEqual(8);
    console.log(`[today] rating a session at 390 px took ${taps} taps`);

    // Sign up from here: the session is offered, the person chooses to save it.
    await go(page, "a:has-text('Create an account')", /\/account\/sign-up/);
    const email = `t${randomBytes(4).toString("hex")}@example.com`;
    for (const [name, value] of Object.entries({ name: "Tess", email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${name}"]`, value);
    await expect(page.locator("input[name=timeZone]").inputValue()).resolves.toBe("America/New_York");
    await go(page, "button:has-text('Create account')", /\/today$/);
    await page.waitForSelector(".browser-sessions");
    await expect(page.locator(".browser-sessions").innerText()).resolves.toContain("discomfort 3");
    await expectNoA11yViolations(page);
    await shot(page, "today-offer-390");
    await go(page, "button:has-text('Save it to my account')", /\/today\?kept-saved=/);
    await expect(page.locator("main").innerText()).resolves.toContain("1 session is saved to your account");
    await expect(page.locator(".browser-sessions").count()).resolves.toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("matwise.sessions"))).toBeNull();

    await page.goto(url("/sessions"));
    await expect(page.locator(".session-list").innerText()).resolves.toMatch(
      /2 s, lying on the mat, back, through clothing\.[\s\S]*Discomfort\s*3[\s\S]*Pain\s*–\s*→\s*2/,
    );
    // The account took the browser's time zone.
    await page.goto(url("/account"));
    await expect(page.locator("#field-timeZone").inputValue()).resolves.toBe("America/New_York");
    await context.close();
  });

  it("does the same without JavaScript: cookie-kept result and plan, then the log form with tap scales", async () => {
    const context = await ctx.browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url("/"));
    await go(page, "a:has-text('Begin with the safety check')", /\/safety-check$/);
    await takeSafetyCheck(page);
    await go(page, "button:has-text('Keep this result and make my plan')", /\/plan\?check=kept/);
    await expect(page.locator("#plan-level").inputValue()).resolves.toBe("fine");
    await go(page, "button:has-text('Make my plan')", /\/plan\?/);
    await go(page, "button:has-text('Keep this plan and go to Today')", /\/today\?plan=kept/);
    await go(page, 'a:has-text("Start today\'s session")', /\/timer\?/);
    // The timer needs JavaScript; its form opens the log instead, and the log needs an account.
    await go(page, "button:has-text('Log a session instead')", /\/account\/sign-in\?next=/);
    await go(page, "a:has-text('Create an account')", /\/account\/sign-up\?next=/);
    const email = `n${randomBytes(4).toString("hex")}@example.com`;
    for (const [name, value] of Object.entries({ name: "Noa", email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${name}"]`, value);
    await go(page, "button:has-text('Create account')", /\/sessions\/new\?/);
    await expect(page.locator("#field-minutes").inputValue()).resolves.toBe("10");
    await shot(page, "log-nojs-390");
    // Tap scales are radios: they work without JavaScript.
    await page.locator("#field-discomfort .scale-option:nth-child(6)").click();
    await page.locator("#field-painAfter .scale-option:nth-child(3)").click();
    await go(page, "button:has-text('Save this session')", /\/sessions\?saved=/);
    const list = await page.locator(".session-list").innerText();
    expect(list).toMatch(/10 min, lying on the mat, back, through clothing/);
    expect(list).toMatch(/Discomfort\s*5/);
    // Signed in now, the plan kept in this browser still counts: / goes to Today.
    await page.goto(url("/"));
    expect(new URL(page.url()).pathname).toBe("/today");
    await expect(page.locator(".plan-day").innerText()).resolves.toContain("Done today");
    // The menu works without JavaScript.
    await page.click(".more-menu summary");
    await expect(page.locator(".more-panel a:has-text('Break-in plan')").isVisible()).resolves.toBe(true);
    await context.close();
  });

  it("shows Today to a signed-in person on a 390 px phone, light and dark, with today's plan day and a way into the timer", async () => {
    const email = `d${randomBytes(4).toString("hex")}@example.com`;
    const zone = "Pacific/Auckland";
    const signUp = await postForm(ctx.server.url, "/account/sign-up", {
      name: "Dee",
      email,
      password: PASSWORD,
      confirm: PASSWORD,
      timeZone: zone,
    });
    expect(signUp.status).toBe(303);
    const cookie = signUp.cookies;
    expect((await postForm(ctx.server.url, "/account/safety-checks", allNo, cookie)).location).toBe(
      "/plan?check=saved",
    );
    const start = localIsoDay(zone);
    const keep = await postForm(
      ctx.server.url,
      "/plan",
      { intent: "keep", skin: "average", tolerance: "average", area: "neck-shoulders", level: "fine", start },
      cookie,
    );
    expect(keep.location).toBe("/today?plan=saved");
    // Two sessions at the start of the person's day (always in the past, whatever the hour in Auckland).
    const session = {
      startedAt: `${start}T00:01`,
      minutes: "10",
      seconds: "0",
      position: "lying",
      area: "neck-shoulders",
      layer: "clothing",
      discomfort: "4",
    };
    expect((await postForm(ctx.server.url, "/sessions/new", session, cookie)).status).toBe(303);
    expect(
      (
        await postForm(
          ctx.server.url,
          "/sessions/new",
          { ...session, startedAt: `${start}T00:00`, discomfort: "6" },
          cookie,
        )
      ).status,
    ).toBe(303);

    const res = await fetch(url("/today"), { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");

    for (const colorScheme of ["light", "dark"] as const) {
      const context = await ctx.browser.newContext({ ...PHONE, colorScheme });
      const page = await context.newPage();
      await page.goto(url("/account/sign-in?next=/today"));
      await page.fill("[name=email]", email);
      await page.fill("[name=password]", PASSWORD);
      await go(page, "button:has-text('Sign in')", /\/today$/);
      const card = await page.locator(".plan-day").innerText();
      expect(card).toContain(`Day 1 of 21 · ${localDayWords(zone)}`);
      expect(card).toContain("10 minutes, lying with your neck on the mat over a pillow, over a thin shirt");
      expect(card).toContain("00:01: 10 min, discomfort 4");
      expect(await page.locator(".plan-day a.button").getAttribute("href")).toBe(
        "/timer?minutes=10&position=lying&area=neck-shoulders&layer=clothing",
      );
      await expect(page.locator(".progress").innerText()).resolves.toMatch(/Sessions this week\s*2/);
      expect(await page.locator('.progress svg[role="img"]').count()).toBe(1);
      await expect(page.locator(".recent li").count()).resolves.toBe(2);
      await expectNoA11yViolations(page);
      await shot(page, `today-signed-in-390-${colorScheme}`);
      await page.setViewportSize({ width: 320, height: 700 });
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      ).toBe(0);
      await shot(page, `today-signed-in-320-${colorScheme}`);
      if (colorScheme === "light") {
        // A tap scale is a radio group: named by its legend, each choice by its number (the ends in words), arrow keys move.
        await page.goto(url("/sessions/new"));
        const scale = page.getByRole("group", { name: "Discomfort on the mat" });
        await expect(scale.getByRole("radio", { name: "0, none at all", exact: true }).count()).resolves.toBe(1);
        await expect(
          scale.getByRole("radio", { name: "10, as bad as you can imagine", exact: true }).count(),
        ).resolves.toBe(1);
        await scale.getByRole("radio", { name: "0, none at all", exact: true }).focus();
        await page.keyboard.press("ArrowRight");
        await page.keyboard.press("ArrowRight");
        await expect(scale.locator("input:checked").inputValue()).resolves.toBe("2");
        await expectNoA11yViolations(page);
      }
      await context.close();
    }
  });

  it("shows and reads times on each person's clock: New York at 21:30 and Auckland", async () => {
    for (const [zone, typed, utc, shown] of [
      ["America/New_York", "2026-11-25T21:30", "2026-11-26T02:30:00.000Z", "25 Nov 2026, 21:30"],
      ["Pacific/Auckland", "2026-11-26T08:15", "2026-11-25T19:15:00.000Z", "26 Nov 2026, 08:15"],
    ] as const) {
      const email = `z${randomBytes(4).toString("hex")}@example.com`;
      const { cookies } = await postForm(ctx.server.url, "/account/sign-up", {
        name: "Zed",
        email,
        password: PASSWORD,
        confirm: PASSWORD,
        timeZone: zone,
      });
      const saved = await postForm(
        ctx.server.url,
        "/sessions/new",
        {
          startedAt: typed,
          minutes: "12",
          seconds: "0",
          position: "lying",
          area: "back",
          layer: "clothing",
          discomfort: "5",
        },
        cookies,
      );
      expect(saved.status).toBe(303);
      const exported = (await (await fetch(url("/account/export.json"), { headers: { cookie: cookies } })).json()) as {
        user: { timeZone: string };
        sessions: { id: string; startedAt: string; painBefore: number | null }[];
      };
      expect(exported.user.timeZone).toBe(zone);
      expect(exported.sessions[0]?.startedAt).toBe(utc); // stored in UTC
      expect(exported.sessions[0]?.painBefore).toBeNull(); // skipped
      const log = await (await fetch(url("/sessions"), { headers: { cookie: cookies } })).text();
      expect(log).toContain(shown); // shown on the person's clock
      const edit = await (
        await fetch(url(`/sessions/${exported.sessions[0]?.id}`), { headers: { cookie: cookies } })
      ).text();
      expect(edit).toContain(`value="${typed}"`); // and typed back the same
      expect(edit).toContain(zone.replace(/_/g, " "));

      // The person can change their zone on /account; the same instant then reads on the new clock.
      const bad = await postForm(
        ctx.server.url,
        "/account",
        { intent: "time-zone", timeZone: "Mars/Olympus_Mons" },
        cookies,
      );
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("Choose a time zone from the list");
      const changed = await postForm(
        ctx.server.url,
        "/account",
        { intent: "time-zone", timeZone: "Europe/Berlin" },
        cookies,
      );
      expect(changed.location).toBe("/account?changed=time-zone#time-zone");
      const berlin = new Intl.DateTimeFormat("en-GB", {
        dateStyle: "medium",
        timeStyle: "short",
        timeZone: "Europe/Berlin",
      }).format(new Date(utc));
      expect(await (await fetch(url("/sessions"), { headers: { cookie: cookies } })).text()).toContain(berlin);
    }
  });

  it("keeps the header within 64 px on a 390 × 844 phone, with tap targets of at least 24 px (main controls 44 px)", async () => {
    const context = await ctx.browser.newContext(PHONE);
    const page = await context.newPage();
    for (const path of [
      "/",
      "/today",
      "/plan?skin=average&tolerance=average&area=back&level=fine&start=2026-12-01",
      "/guides/what-the-research-shows",
      "/safety-check",
    ]) {
      await page.goto(url(path));
      const header = await page.locator(".site-header").boundingBox();
      expect(header?.height, path).toBeLessThanOrEqual(64);
      const places = await page.$$eval("nav[aria-label='Main'] a, .more-menu summary", (els) =>
        els
          .filter((e) => (e as HTMLElement).offsetParent !== null)
          .map((e) => ({ t: e.textContent?.trim(), ...(e.getBoundingClientRect().toJSON() as DOMRect) })),
      );
      expect(places.map((p) => p.t)).toEqual(["Today", "Guides", "Evidence", "Mats", "Account", "More"]);
      for (const p of places) expect(Math.min(p.width, p.height), `${path}: ${p.t}`).toBeGreaterThanOrEqual(44);
      // Every target that is not a link inside a sentence (WCAG 2.5.8's inline exception), and every citation number.
      const small = await page.$$eval(
        "a, button, summary, select, input:not([type=hidden]), label.scale-option, sup.cite a",
        (els) =>
          els
            .filter((e) => (e as HTMLElement).offsetParent !== null || e.closest("sup.cite"))
            .filter((e) => e.matches("sup.cite a") || getComputedStyle(e).display !== "inline")
            .map((e) => ({
              what: `${e.tagName.toLowerCase()} ${(e.textContent ?? "").trim().slice(0, 30)}`,
              box: e.getBoundingClientRect(),
            }))
            .filter(({ box }) => box.width > 0 && (box.width < 24 || box.height < 24))
            .map(({ what, box }) => `${what} ${Math.round(box.width)}×${Math.round(box.height)}`),
      );
      expect(small, path).toEqual([]);
      if (path.startsWith("/guides/")) expect(await page.locator("sup.cite a").count()).toBeGreaterThan(0);
    }
    await shot(page, "header-390");
    await context.close();
  });
});

describeBrowser("Today without a plan", () => {
  const ctx = useServerAndBrowser();

  it("offers the three steps, and the public home stays for everyone else", async () => {
    const context: BrowserContext = await ctx.browser.newContext(PHONE);
    const page = await context.newPage();
    const res = await page.goto(`${ctx.server.url}/today`);
    expect(res?.status()).toBe(200);
    const steps = await page.locator(".steps-card").innerText();
    expect(steps).toContain("Take the safety check");
    expect(steps).toContain("Make your break-in plan");
    expect(steps).toContain("Your first session");
    await expectNoA11yViolations(page);
    await page.goto(`${ctx.server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/");
    // The timer's gate says how to pass it, in one tap.
    await page.goto(`${ctx.server.url}/timer`);
    await expect(page.locator(".timer-gate a.button").first().innerText()).resolves.toBe(
      "Take the safety check (3 minutes)",
    );
    await expectNoA11yViolations(page);
    await context.close();
  });
});
