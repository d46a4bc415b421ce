/**
 * Using the mat, end to end on a phone-sized screen: safety check → break-in plan → a timer of
 * a few seconds → ratings → the entry in the log and its charts. Also: bad ratings are refused
 * with a message per field; someone else's session is a 404 and stays unchanged; a visitor meets
 * the gate and is invited to sign in; axe finds nothing on every page.
 */
import { randomBytes } from "node:crypto";
import type { BrowserContext, Page } from "playwright-core";
import { expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { describeBrowser, expectNoA11yViolations, useServerAndBrowser } from "./support";

const PASSWORD = "a long enough passphrase";
const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);

describeBrowser("using the mat: plan, timer and session log", () => {
  const ctx = useServerAndBrowser();

  async function signUp(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${ctx.server.url}/account/sign-up`);
    const email = `s${randomBytes(4).toString("hex")}@example.com`;
    for (const [name, value] of Object.entries({ name: "Sam", email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(`${ctx.server.url}/account`), page.click("button[type=submit]")]);
    return page;
  }

  /** Posts a form from inside the signed-in context, as the browser would (same origin). */
  async function post(page: Page, path: string, fields: Record<string, string>) {
    const res = await page.request.post(`${ctx.server.url}${path}`, {
      form: fields,
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    return { status: res.status(), location: res.headers()["location"] ?? null, text: await res.text() };
  }

  async function saveSafetyCheck(page: Page) {
    const res = await post(page, "/account/safety-checks", Object.fromEntries(unconditional.map((id) => [id, "no"])));
    expect(res.status).toBe(303);
  }

  it("goes from the safety check to a plan, a timed session, ratings and the log", async () => {
    const context = await ctx.browser.newContext(PHONE);
    const page = await signUp(context);

    // Without a safety check the timer is closed, with a way to the check.
    await page.goto(`${ctx.server.url}/timer`);
    await expect(page.locator(".timer-gate").innerText()).resolves.toContain("take the safety check");
    expect(await page.locator('.timer-gate a[href="/safety-check"]').count()).toBe(1);
    await expectNoA11yViolations(page);

    await saveSafetyCheck(page);

    // The plan: a GET form, filled in from the saved check.
    await page.goto(`${ctx.server.url}/plan`);
    await expectNoA11yViolations(page);
    await expect(page.locator("#plan-level").inputValue()).resolves.toBe("fine");
    await page.selectOption("#plan-skin", "high");
    await Promise.all([page.waitForURL(/\/plan\?/), page.click('button:has-text("Make my plan")')]);
    const table = await page.locator(".plan-table tbody").innerText();
    expect(table).toMatch(/5 min/);
    expect(table).toContain("Rest day");
    await expectNoA11yViolations(page);
    const ics = await page.request.get(
      `${ctx.server.url}${await page.locator('a[href^="/plan/calendar.ics"]').getAttribute("href")}`,
    );
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    expect(await ics.text()).toContain("BEGIN:VEVENT");

    // Day 1 opens the timer with the plan's settings; shorten it to three seconds.
    await Promise.all([page.waitForURL(/\/timer\?/), page.click('a:has-text("Start day 1 with the timer")')]);
    await page.waitForSelector('button:has-text("Start the timer")');
    await expect(page.locator("#timer-minutes").inputValue()).resolves.toBe("5");
    await expectNoA11yViolations(page);
    await page.fill("#timer-minutes", "0");
    await page.fill("#timer-seconds", "3");
    await page.selectOption("#timer-matId", "spoonk");
    await page.click("summary:has-text('How you feel now')");
    await page.click("#timer-now-painBefore .scale-option:nth-child(6)"); // 5
    await page.click("#timer-now-stressBefore .scale-option:nth-child(7)"); // 6
    await page.click('button:has-text("Start the timer")');
    await page.waitForSelector('[role="timer"]');
    await expectNoA11yViolations(page);
    await page.click('button:has-text("Pause")');
    await page.waitForSelector('button:has-text("Resume")');
    await page.click('button:has-text("Resume")');
    await page.waitForSelector("#timer-rate");
    await expect(page.locator("#timer-rate").innerText()).resolves.toContain("Time is up");
    await expect(page.locator("input[type=hidden][name=painBefore]").inputValue()).resolves.toBe("5"); // carried from before the session
    await expectNoA11yViolations(page);

    await page.click("summary:has-text('How you felt before')");
    const ratings = {
      discomfort: 6,
      painAfter: 3,
      tensionBefore: 7,
      tensionAfter: 4,
      stressAfter: 3,
      relaxationBefore: 2,
      relaxationAfter: 7,
    };
    for (const [name, value] of Object.entries(ratings))
      await page.click(`#timer-${name} .scale-option:nth-child(${value + 1})`);
    await Promise.all([page.waitForURL(/\/sessions\?saved=/), page.click('button:has-text("Save this session")')]);
    const main = await page.locator("main").innerText();
    expect(main).toContain("Your session is saved.");
    expect(main).toMatch(/3 s, lying on the mat, back, through clothing, on Spoonk/);
    expect(main).toContain("One session so far, with discomfort on the mat rated 6 out of 10.");
    expect(main).toContain("pain fell by 2");
    expect(await page.locator('svg[role="img"][aria-label]').count()).toBe(2);
    await expectNoA11yViolations(page);

    // Bad ratings: refused with a message per field, status 400, nothing stored.
    await page.goto(`${ctx.server.url}/sessions/new?minutes=10&position=lying&area=back&layer=clothing`);
    await expectNoA11yViolations(page);
    const good = {
      startedAt: "2026-01-10T08:00",
      minutes: "10",
      seconds: "0",
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: "",
      note: "",
      discomfort: "5",
      painBefore: "4",
      painAfter: "3",
      tensionBefore: "5",
      tensionAfter: "4",
      stressBefore: "5",
      stressAfter: "4",
      relaxationBefore: "4",
      relaxationAfter: "6",
    };
    const bad = await post(page, "/sessions/new", { ...good, discomfort: "11", painAfter: "12" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Discomfort on the mat must be a whole number from 0 to 10.");
    expect(bad.text).toContain("Pain after must be a whole number from 0 to 10, or left out.");
    // …and the same in the browser, where the form comes back with the messages beside the fields: here, no discomfort tapped.
    for (const [name, value] of Object.entries(good)) {
      if (name === "discomfort") continue;
      const el = page.locator(`#field-${name}`);
      const tag = await el.evaluate((e) => e.tagName);
      if (tag === "SELECT") await el.selectOption(value);
      else if (tag === "FIELDSET") await page.click(`#field-${name} .scale-option:nth-child(${Number(value) + 1})`);
      else await el.fill(value);
    }
    const [res] = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save this session")')]);
    expect(res?.status()).toBe(400);
    await expect(page.locator("#field-discomfort-error").innerText()).resolves.toContain(
      "Give discomfort on the mat a number from 0 to 10.",
    );
    await expect(page.locator("#field-relaxationAfter input:checked").inputValue()).resolves.toBe("6"); // what was tapped stays tapped
    await expectNoA11yViolations(page);
    await page.goto(`${ctx.server.url}/sessions`);
    expect(await page.locator(".session-list > li").count()).toBe(1);

    // Edit and the delete confirmation pass axe too.
    const id = (await page.locator(".session-list > li").first().getAttribute("id"))!.replace("session-", "");
    await page.goto(`${ctx.server.url}/sessions/${id}`);
    await expectNoA11yViolations(page);
    await page.click("#field-discomfort .scale-option:nth-child(5)"); // 4
    await Promise.all([page.waitForURL(/\/sessions\?updated=/), page.click('button:has-text("Save changes")')]);
    await expect(page.locator(`#session-${id}`).innerText()).resolves.toContain("Discomfort\n4");
    await page.goto(`${ctx.server.url}/sessions/${id}?delete=1`);
    await expectNoA11yViolations(page);

    // Someone else: the same id is a 404, and deleting it changes nothing.
    const other = await ctx.browser.newContext(PHONE);
    const stranger = await signUp(other);
    const seen = await stranger.goto(`${ctx.server.url}/sessions/${id}`);
    expect(seen?.status()).toBe(404);
    await expectNoA11yViolations(stranger);
    expect((await post(stranger, `/sessions/${id}`, { intent: "delete" })).status).toBe(404);
    expect((await post(stranger, `/sessions/${id}`, { ...good, intent: "update", discomfort: "0" })).status).toBe(404);
    await page.goto(`${ctx.server.url}/sessions`);
    await expect(page.locator(`#session-${id}`).innerText()).resolves.toContain("Discomfort\n4");
    await other.close();

    // The owner can delete it.
    await page.goto(`${ctx.server.url}/sessions/${id}?delete=1`);
    await Promise.all([page.waitForURL(/\/sessions\?deleted=1/), page.click('button:has-text("Delete it")')]);
    expect(await page.locator(".session-list > li").count()).toBe(0);
    await context.close();
  });

  it("lets a visitor run the timer with a result kept in the browser, and invites them to sign in", async () => {
    const context = await ctx.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${ctx.server.url}/sessions`);
    await expect(page.locator("main").innerText()).resolves.toContain("sign in");
    await expectNoA11yViolations(page);

    await page.goto(`${ctx.server.url}/timer`);
    await expect(page.locator(".timer-gate").innerText()).resolves.toContain("take the safety check");

    // An old result does not count; a "see a professional" result opens once agreement is confirmed, in one tap.
    const keep = (value: object) =>
      context.addCookies([
        { name: "matwise-check", value: encodeURIComponent(JSON.stringify(value)), url: ctx.server.url },
      ]);
    await keep({ level: "fine", date: "2020-01-01T00:00:00.000Z", areasOff: [] });
    await page.reload();
    await expect(page.locator(".timer-gate").innerText()).resolves.toContain("more than six months old");
    await keep({ level: "see-professional", date: new Date().toISOString(), areasOff: [] });
    await page.reload();
    await expectNoA11yViolations(page);
    await Promise.all([
      page.waitForURL(/\/timer$/),
      page.click('button:has-text("A professional agreed that I may use a mat")'),
    ]);
    await page.waitForSelector('button:has-text("Start the timer")');
    const kept = (await context.cookies()).find((c) => c.name === "matwise-check");
    expect(Object.keys(JSON.parse(decodeURIComponent(kept?.value ?? "{}")) as object).sort()).toEqual([
      "areasOff",
      "date",
      "level",
      "professionalAgreedAt",
    ]);

    await page.fill("#timer-minutes", "0");
    await page.fill("#timer-seconds", "2");
    await page.check("text=No sound at the end");
    await page.click('button:has-text("Start the timer")');
    await page.waitForSelector("#timer-rate");
    await expectNoA11yViolations(page);
    // Without discomfort nothing is kept, and the page says what is missing.
    await page.click('button:has-text("Keep this session")');
    await expect(page.locator(".timer [role=alert]").innerText()).resolves.toContain("Tap how much discomfort");
    await page.click("#timer-discomfort .scale-option:nth-child(3)");
    await page.click('button:has-text("Keep this session")');
    await expect(page.locator(".timer").innerText()).resolves.toContain("create a free account or sign in");
    const stored = await page.evaluate(
      () =>
        JSON.parse(localStorage.getItem("matwise.sessions") ?? "[]") as {
          rated: boolean;
          ratings: { discomfort: number };
        }[],
    );
    expect(stored.map((s) => [s.rated, s.ratings.discomfort])).toEqual([[true, 2]]);
    await expectNoA11yViolations(page);
    await context.close();
  });

  it("serves the plan without JavaScript, and explains when there is no plan", async () => {
    const context = await ctx.browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    const res = await page.goto(
      `${ctx.server.url}/plan?skin=average&tolerance=average&area=back&level=see-professional&start=2026-12-01`,
    );
    expect(res?.status()).toBe(200);
    await expect(page.locator("#plan-result").innerText()).resolves.toContain("see a healthcare professional first");
    const bad = await page.goto(`${ctx.server.url}/plan?skin=average&tolerance=average&area=back&level=maybe`);
    expect(bad?.status()).toBe(400);
    await expect(page.locator("#plan-level-error").innerText()).resolves.toContain("safety-check result");
    // Without JavaScript the timer's gate still says how to pass it; the kept result is a form post.
    await page.goto(`${ctx.server.url}/timer`);
    await expect(page.locator(".timer-gate a.button").first().innerText()).resolves.toBe(
      "Take the safety check (3 minutes)",
    );
    const kept = await page.request.post(`${ctx.server.url}/safety-check/remember`, {
      form: { ...Object.fromEntries(unconditional.map((id) => [id, "no"])), intent: "keep" },
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    expect(kept.status()).toBe(303);
    expect(kept.headers()["location"]).toBe("/plan?check=kept");
    // …then the timer's form opens the log form instead (here: sign in first).
    await page.goto(`${ctx.server.url}/timer`);
    await expect(page.locator("form.timer button[type=submit]").innerText()).resolves.toContain(
      "Log a session instead",
    );
    await context.close();
  });

  it("pages a long log, newest first, with links that work without JavaScript, and charts a point a week", async () => {
    const context = await ctx.browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const page = await signUp(context);
    await saveSafetyCheck(page);
    // 65 sessions, one a day at 08:00 UTC from 1 January 2026: more than the chart draws one by one.
    const ids: string[] = [];
    for (let i = 0; i < 65; i++) {
      const day = new Date(Date.UTC(2026, 0, 1 + i, 8)).toISOString().slice(0, 16);
      const res = await post(page, "/sessions/new", {
        startedAt: day,
        minutes: "10",
        seconds: "0",
        position: "lying",
        area: "back",
        layer: "clothing",
        matId: "",
        note: `day ${i + 1}`,
        discomfort: String(i % 11),
      });
      expect(res.status).toBe(303);
      ids.push(/saved=([0-9a-f-]+)/.exec(res.location ?? "")?.[1] ?? "");
    }
    const notes = () => page.locator(".session-list .note").allInnerTexts();
    await page.goto(`${ctx.server.url}/sessions`);
    expect(await notes()).toEqual(Array.from({ length: 20 }, (_, i) => `day ${65 - i}`));
    await expect(page.locator("#log-range").innerText()).resolves.toBe("Sessions 1 to 20 of 65, page 1 of 4.");
    expect(await page.locator('.pager a[rel="prev"]').count()).toBe(0);
    // The chart draws a point a week: 1 January 2026 is a Thursday and 6 March a Friday, so 10 weeks.
    const svg = page.locator('svg[role="img"][aria-label="Chart: average discomfort on the mat each week"]');
    expect(await svg.locator("circle").count()).toBe(10);
    await expect(page.locator("figcaption").first().innerText()).resolves.toContain(
      "Each point is the average of a week.",
    );

    await Promise.all([page.waitForURL(`${ctx.server.url}/sessions?page=2`), page.click('.pager a[rel="next"]')]);
    expect((await notes())[0]).toBe("day 45");
    // axe needs JavaScript: the same page, signed in the same way, in a context that runs it.
    const withScripts = await ctx.browser.newContext({ ...PHONE, storageState: await context.storageState() });
    const checked = await withScripts.newPage();
    await checked.goto(`${ctx.server.url}/sessions?page=2`);
    await expectNoA11yViolations(checked);
    await withScripts.close();
    await page.goto(`${ctx.server.url}/sessions?page=4`);
    expect(await notes()).toEqual(["day 5", "day 4", "day 3", "day 2", "day 1"]);
    expect(await page.locator('.pager a[rel="next"]').count()).toBe(0);
    await Promise.all([page.waitForURL(`${ctx.server.url}/sessions?page=3`), page.click('.pager a[rel="prev"]')]);

    // A page past the end shows the last; a page that is not a number shows the first.
    await page.goto(`${ctx.server.url}/sessions?page=999`);
    expect((await notes())[0]).toBe("day 5");
    await page.goto(`${ctx.server.url}/sessions?page=two`);
    expect((await notes())[0]).toBe("day 65");

    // Editing an old session comes back to the page that shows it, highlighted.
    const edited = await post(page, `/sessions/${ids[2]}`, {
      startedAt: "2026-01-03T08:00",
      minutes: "12",
      seconds: "0",
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: "",
      note: "day 3, edited",
      discomfort: "2",
    });
    expect(edited.status).toBe(303);
    await page.goto(`${ctx.server.url}${edited.location}`);
    await expect(page.locator(".session-list li.highlight .note").innerText()).resolves.toBe("day 3, edited");
    await expect(page.locator("#log-range").innerText()).resolves.toContain("page 4 of 4");
    await context.close();
  });
});
