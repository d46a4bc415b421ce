/**
 * Issue 24, the first week tried as a new user would, on a 390 × 844 phone: an urgent safety
 * result leads with the urgent action, Back after a saved form never claims to be offline, forms
 * keep the answers with a message at each field, the account pages have no dead ends, "Make my
 * plan" shows the plan, and tap targets are at least 44 px.
 */
import { randomBytes } from "node:crypto";
import type { BrowserContextOptions, Page } from "playwright-core";
import { expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { describeBrowser, expectNoA11yViolations, postForm, useServerAndBrowser } from "./support";

const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} satisfies BrowserContextOptions;
const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
const allNo = Object.fromEntries(unconditional.map((id) => [id, "no"]));
const PASSWORD = "a long enough passphrase";

describeBrowser("the first week on a phone", () => {
  const ctx = useServerAndBrowser();
  const url = (path: string) => `${ctx.server.url}${path}`;

  async function phone(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await ctx.browser.newContext({ ...PHONE, ...options });
    return context.newPage();
  }

  /** Creates an account in the browser; returns its email. */
  async function signUp(page: Page): Promise<string> {
    await page.goto(url("/account/sign-up"));
    const email = `w${randomBytes(4).toString("hex")}@example.com`;
    for (const [name, value] of Object.entries({ name: "Wren", email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(url("/account")), page.click("button[type=submit]")]);
    const saved = await page.request.post(url("/account/safety-checks"), {
      form: allNo,
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    expect(saved.status()).toBe(303);
    return email;
  }

  /** Waits until the service worker controls the page. */
  async function waitForWorker(page: Page): Promise<void> {
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }

  /** Sends the page's main form and waits for the page that answers it. */
  async function send(page: Page, button: string): Promise<number> {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === "POST"),
      page.click(button),
    ]);
    await page.waitForLoadState("load");
    return res.status();
  }

  it("leads an urgent safety result with the urgent action, above the fold, with no way on to the mat", async () => {
    const page = await phone({ javaScriptEnabled: false });
    await page.goto(url("/safety-check"));
    for (const id of unconditional) await page.check(`#q-${id}-${id === "back-pain" ? "yes" : "no"}`);
    for (const id of ["cancer-history", "weight-loss", "back-pain-fever", "bladder-bowel", "leg-weakness", "trauma"])
      await page.check(`#q-${id}-no`);
    await page.check("#q-saddle-numbness-yes");
    await Promise.all([page.waitForURL(/\/safety-check$/), page.click('button:has-text("See my result")')]);
    await page.evaluate(() => window.scrollTo(0, 0));
    const urgent = page.locator("#urgent-title");
    await expect(urgent.innerText()).resolves.toBe("Get medical help today");
    const action = page.locator("text=Do not wait to see if it passes").first();
    const box = await action.boundingBox();
    expect(box, "the urgent action is on the page").not.toBeNull();
    expect(box!.y + box!.height, "the urgent action is above the fold at 390 × 844").toBeLessThanOrEqual(844);
    // It comes before the overall level and everything else.
    const order = await page.evaluate(() => {
      const all = [...document.querySelectorAll("h2")].map((h) => h.id);
      return all.indexOf("urgent-title") < all.indexOf("overall-title");
    });
    expect(order).toBe(true);
    // No way on to the mat: no "keep and go on", no "a professional agreed", no plan button.
    const main = (await page.textContent("main")) ?? "";
    expect(main).not.toMatch(/go on|make my plan|has already agreed/i);
    await expect(page.locator('input[name="professionalAgreed"]').count()).resolves.toBe(0);
    // And the server does not take a posted agreement for it either.
    const answers = {
      ...allNo,
      "back-pain": "yes",
      "cancer-history": "no",
      "weight-loss": "no",
      "back-pain-fever": "no",
      "saddle-numbness": "yes",
      "bladder-bowel": "no",
      "leg-weakness": "no",
      trauma: "no",
    };
    const kept = await postForm(ctx.server.url, "/safety-check/remember", {
      ...answers,
      intent: "keep",
      next: "/plan?check=kept",
      professionalAgreed: "yes",
    });
    expect(kept.status).toBe(303);
    expect(decodeURIComponent(kept.cookies)).not.toContain("professionalAgreedAt");
    await page.context().close();
  });

  it("after a refused and then saved session, Back never says 'You are offline' nor asks to send it again (item 4)", async () => {
    const page = await phone();
    await signUp(page);
    await page.goto(url("/sessions/new?minutes=10&position=lying&area=back&layer=clothing"));
    await waitForWorker(page);
    // The browser would stop a missing rating itself; the server's answer is what is tested here.
    await page.evaluate(() => [...document.forms].forEach((f) => (f.noValidate = true)));
    await page.fill("#field-startedAt", "2026-12-01T08:00");
    await page.fill("#field-note", "first try");
    expect(await send(page, 'button[type=submit]:has-text("Save")')).toBe(400);
    await expect(page.locator("#field-discomfort .field-error").innerText()).resolves.toMatch(/discomfort/i);
    await expect(page.locator("#field-note").inputValue()).resolves.toBe("first try");
    await page.locator('#field-discomfort input[value="3"]').check();
    await Promise.all([page.waitForURL(/\/sessions\?saved=/), page.click('button[type=submit]:has-text("Save")')]);
    await page.goBack();
    await page.waitForLoadState("load");
    const main = (await page.textContent("main")) ?? "";
    expect(main).not.toContain("You are offline");
    expect(main).not.toMatch(/send it again/i);
    await page.goto(url("/sessions"));
    await expect(page.locator('li[id^="session-"]').count()).resolves.toBe(1);
    await page.context().close();
  });

  it("drops the offline copies of a session that was signed out on another device (issue 25 item 5)", async () => {
    const page = await phone();
    const email = await signUp(page);
    const note = `private note ${randomBytes(3).toString("hex")}`;
    const session = {
      startedAt: "2026-12-01T08:00",
      minutes: "10",
      seconds: "0",
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: "",
      note,
      discomfort: "3",
    };
    expect(
      (
        await page.request.post(url("/sessions/new"), {
          form: session,
          headers: { origin: ctx.server.url },
          maxRedirects: 0,
        })
      ).status(),
    ).toBe(303);
    await page.goto(url("/sessions"));
    await waitForWorker(page);
    await page.goto(url("/sessions"));
    await page.waitForFunction(
      async () => (await (await caches.match("/sessions"))?.text())?.includes("private note") ?? false,
      undefined,
      { polling: 100 },
    );
    // Another device signs in and signs out everywhere.
    const other = await postForm(ctx.server.url, "/account/sign-in", { email, password: PASSWORD });
    expect(other.status).toBe(303);
    expect((await postForm(ctx.server.url, "/account/sign-out?everywhere=1", {}, other.cookies)).status).toBe(303);
    // The shared phone opens a page online: the server says its session is gone.
    await page.goto(url("/today"));
    await page.waitForFunction(
      async () => !((await (await caches.match("/sessions"))?.text())?.includes("private note") ?? false),
      undefined,
      { polling: 100 },
    );
    await page.context().setOffline(true);
    await page.goto(url("/sessions")).catch(() => null);
    expect((await page.textContent("body")) ?? "").not.toContain(note);
    await page.context().close();
  });

  /** Starts a pain experiment today (the account's clock is UTC) and returns its address. */
  async function startExperiment(page: Page): Promise<string> {
    const today = new Date().toISOString().slice(0, 10);
    const design = {
      outcome: "pain",
      mcid: "1",
      comparator: "rest-without-mat",
      minutes: "15",
      time: "20:00",
      position: "lying",
      area: "back",
      periodDays: "1",
      pairs: "21",
      washout: "no",
      expectation: "5",
      startsOn: today,
    };
    const res = await page.request.post(url("/experiments/new"), {
      form: design,
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(303);
    return new URL(res.headers()["location"] ?? "", ctx.server.url).pathname;
  }

  it("shows a refused check-in again with every answer and a message at each field (item 9)", async () => {
    const page = await phone({ timezoneId: "UTC" });
    await signUp(page);
    const path = await startExperiment(page);
    const today = new Date().toISOString().slice(0, 10);
    // The walkthrough's morning: "about twenty" minutes and -1 wakings.
    const morning = await page.request.post(url(`${path}/check-in`), {
      form: { kind: "morning", date: today, sleepLatency: "about twenty", wakings: "-1", sleepQuality: "6" },
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    expect(morning.status()).toBe(400);
    await page.setContent(await morning.text());
    await expect(page.locator("#field-sleepLatency").inputValue()).resolves.toBe("about twenty");
    await expect(page.locator("#field-wakings").inputValue()).resolves.toBe("-1");
    await expect(page.locator('#field-sleepQuality input[value="6"]').isChecked()).resolves.toBe(true);
    await expect(page.locator("#field-sleepLatency-error").innerText()).resolves.toMatch(
      /Minutes to fall asleep must be a whole number/,
    );
    await expect(page.locator("#field-wakings-error").innerText()).resolves.toMatch(
      /Times woken must be a whole number/,
    );
    // Every field the message lists is on the page.
    for (const href of await page.locator("#form-message a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))))
      await expect(page.locator(href!).count(), href!).resolves.toBe(1);

    // The evening one, in the browser: the main rating left out, the note kept.
    await page.goto(url(path));
    await page.evaluate(() => [...document.forms].forEach((f) => (f.noValidate = true)));
    const form = page.locator("form.check-in").first();
    await form.locator('input[name="adherence"]').first().check();
    await form.locator('input[name="harms"]').fill("a red mark");
    await Promise.all([page.waitForURL(/\/check-in$/), form.locator('button[type="submit"]').click()]);
    await expect(page.locator("#field-pain-error").innerText()).resolves.toMatch(/pain/i);
    await expect(page.locator("#field-harms").inputValue()).resolves.toBe("a red mark");
    await expectNoA11yViolations(page);
    await page.locator('#field-pain input[value="4"]').check({ force: true });
    await Promise.all([page.waitForURL(/checked-in=evening/), page.click('form.check-in button[type="submit"]')]);
    await page.context().close();
  });

  it("leaves no dead end on the account pages (item 11)", async () => {
    // No mail and no operator contact on this server: the page says so plainly, and names nobody.
    const forgot = await (await fetch(url("/account/forgot-password"))).text();
    expect(forgot).toContain("This server cannot reset a forgotten password");
    expect(forgot).not.toContain("contact the people who run");

    // An empty password is asked for, not called spaces.
    const empty = await postForm(ctx.server.url, "/account/sign-up", {
      name: "Em",
      email: `e${randomBytes(4).toString("hex")}@example.com`,
      password: "",
      confirm: "",
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/Choose a password of at least \d+ characters/);
    expect(empty.text).not.toContain("only spaces");

    // A kept session that starts in the future is refused for that reason, in words.
    const page = await phone();
    await signUp(page);
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 16);
    const fine = new Date(Date.now() - 3_600_000).toISOString().slice(0, 16);
    const row = (id: string, startedAt: string) => ({
      id,
      startedAt,
      minutes: "10",
      seconds: "0",
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: "",
      note: "",
      discomfort: "3",
    });
    const kept = await page.request.post(url("/sessions/import"), {
      form: { sessions: JSON.stringify([row("k-ok", fine), row("k-later", later)]) },
      headers: { origin: ctx.server.url },
      maxRedirects: 0,
    });
    expect(kept.status()).toBe(303);
    await page.goto(new URL(kept.headers()["location"] ?? "", ctx.server.url).href);
    const status = await page.locator('p[role="status"]').first().innerText();
    expect(status).toContain("later than now");
    expect(status).not.toContain("not complete enough");

    // Deleting the account: the word as a phone types it ("Delete") is taken, and the field does not capitalise.
    await page.goto(url("/account/delete"));
    await expect(page.locator("#field-confirm").getAttribute("autocapitalize")).resolves.toBe("off");
    await page.fill("#field-password", PASSWORD);
    await page.fill("#field-confirm", "Delete");
    await Promise.all([page.waitForURL(/\/account\/deleted/), page.click('button[type="submit"]')]);
    await page.context().close();
  });

  it("shows the plan, its heading in view, after 'Make my plan' (item 10)", async () => {
    const page = await phone();
    await signUp(page);
    await page.goto(url("/plan"));
    await Promise.all([page.waitForURL(/\/plan\?/), page.click('button:has-text("Make my plan")')]);
    const heading = page.locator("#plan-title");
    await expect(heading.innerText()).resolves.toMatch(/day by day/);
    await expectNoA11yViolations(page);
    await page.waitForFunction(() => {
      const box = document.querySelector("#plan-title")?.getBoundingClientRect();
      return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight;
    });
    await page.context().close();
  });

  it("makes every citation link in a guide a 44 × 44 px tap target (item 13)", async () => {
    const page = await phone();
    await page.goto(url("/guides/acupressure-mat-safety"));
    const misses = await page.evaluate(() => {
      const out: string[] = [];
      const links = [...document.querySelectorAll<HTMLAnchorElement>("sup.cite a")];
      for (const a of links) {
        a.scrollIntoView({ block: "center" });
        const r = a.getBoundingClientRect();
        const cx = r.left + r.width / 2;
        const cy = r.top + r.height / 2;
        // The corners of a 44 × 44 square around the link's middle (1 px inside) all reach it.
        for (const [dx, dy] of [
          [-21, -21],
          [21, -21],
          [-21, 21],
          [21, 21],
          [0, 0],
        ] as const) {
          const hit = document.elementFromPoint(cx + dx, cy + dy);
          if (!hit || (hit !== a && !a.contains(hit)))
            out.push(`${a.textContent} at ${dx},${dy}: ${hit?.tagName ?? "nothing"}`);
        }
      }
      return { count: links.length, out };
    });
    expect(misses.count).toBeGreaterThan(3);
    expect(misses.out).toEqual([]);
    await page.context().close();
  });

  it("offers the plan kept in the browser for saving at sign-up, and says what becomes of the kept safety result (item 6)", async () => {
    const page = await phone({ javaScriptEnabled: false, timezoneId: "America/New_York" });
    // A visitor keeps a safety result and a plan in this browser.
    await page.goto(url("/safety-check"));
    for (const id of unconditional) await page.check(`#q-${id}-no`);
    await Promise.all([page.waitForURL(/\/safety-check$/), page.click('button:has-text("See my result")')]);
    await Promise.all([
      page.waitForURL(/\/plan\?check=kept/),
      page.click('button:has-text("Keep this result and make my plan")'),
    ]);
    await Promise.all([page.waitForURL(/\/plan\?/), page.click('button:has-text("Make my plan")')]);
    await Promise.all([page.waitForURL(/\/today\?plan=kept/), page.click('button:has-text("Keep this plan")')]);
    // Then signs up (the time zone field is empty without JavaScript; the account starts on UTC).
    await page.goto(url("/account/sign-up?next=/today"));
    const email = `k${randomBytes(4).toString("hex")}@example.com`;
    for (const [name, value] of Object.entries({ name: "Kit", email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(/\/today$/), page.click("button[type=submit]")]);
    const offer = page.locator(".kept-offer");
    await expect(offer.locator("h2").innerText()).resolves.toBe("Kept in this browser before you signed in");
    await expect(offer.innerText()).resolves.toMatch(/take the check again/);
    await Promise.all([
      page.waitForURL(/\/today\?plan=saved/),
      offer.locator('button:has-text("Save this plan to my account")').click(),
    ]);
    await expect(page.locator(".kept-offer form").count()).resolves.toBe(0);
    const exported = (await (await page.request.get(url("/account/export.json"))).json()) as { plans: unknown[] };
    expect(exported.plans).toHaveLength(1);
    await page.context().close();
  });

  it("offers only reminders that apply and can arrive, and a feed address to copy or open (item 7)", async () => {
    const page = await phone({ timezoneId: "UTC" });
    await signUp(page);
    await startExperiment(page); // about pain
    const post = (form: [string, string][]) =>
      page.request.post(url("/account/reminders"), {
        data: new URLSearchParams(form).toString(),
        headers: { origin: ctx.server.url, "content-type": "application/x-www-form-urlencoded" },
        maxRedirects: 0,
      });
    // This server has no mail: email is not offered, and not accepted.
    await page.goto(url("/account/reminders"));
    await expect(page.locator('input[value="email"]').count()).resolves.toBe(0);
    const email = await post([
      ["intent", "save"],
      ["session-time", "19:00"],
      ["session-channel", "email"],
      ["evening-time", "21:00"],
      ["morning-time", "08:00"],
    ]);
    expect(email.status()).toBe(400);
    expect(await email.text()).toContain("cannot send email");
    // Check-ins in the calendar: the pain experiment's evening ones, no "how did you sleep?".
    expect(
      (
        await post([
          ["intent", "save"],
          ["session-time", "19:00"],
          ["evening-time", "21:00"],
          ["evening-channel", "calendar"],
          ["morning-time", "08:00"],
          ["morning-channel", "calendar"],
        ])
      ).status(),
    ).toBe(303);
    await page.goto(url("/account/reminders"));
    await Promise.all([page.waitForLoadState("load"), page.click('button:has-text("Make my calendar address")')]);
    const feedUrl = await page.locator("#feed-url").innerText();
    await expect(page.locator(`a[href="${feedUrl.replace(/^http:/, "webcal:")}"]`).count()).resolves.toBe(1);
    // The copy button is an island: it appears once hydrated, so wait for it rather than count at once.
    await page.locator('button:has-text("Copy the address")').waitFor();
    await expect(page.locator('button:has-text("Copy the address")').count()).resolves.toBe(1);
    await expectNoA11yViolations(page);
    const feed = await (await fetch(feedUrl)).text();
    expect(feed).toContain("evening check-in");
    expect(feed).not.toContain("how did you sleep");
    // Replacing the address is a secondary step that is confirmed; a bare request is refused.
    await page.goto(url("/account/reminders"));
    await expect(page.locator('button:has-text("make a new address")').isVisible()).resolves.toBe(false);
    await expect(page.locator('button:has-text("make a new address")').getAttribute("class")).resolves.toBe(
      "secondary",
    );
    expect((await post([["intent", "feed-new"]])).status()).toBe(400);
    expect(await (await fetch(feedUrl)).text()).toContain("evening check-in");
    await page.context().close();
  });

  it("speaks plain words on personal pages, keeping exact terms for a 'how this was worked out' disclosure (item 12)", async () => {
    const page = await phone({ timezoneId: "UTC" });
    await signUp(page);
    const path = await startExperiment(page);
    const jargon =
      /fingerprint|SHA-256|\bhash\b|FHIR|comparator|washout|pairs of periods|archetype|\bdoi\b|Mersenne|AR\(1\)|p = 0/i;
    const pages = [
      path,
      "/account",
      ...[0, 1, 2, 3, 4, 5, 6].map((step) => `/experiments/new?step=${step}&outcome=pain&expectation=5`),
    ];
    const found: string[] = [];
    for (const p of pages) {
      await page.goto(url(p));
      const text = await page.evaluate(() => {
        const main = document.querySelector("main")!.cloneNode(true) as HTMLElement;
        main.querySelectorAll("details.worked-out").forEach((d) => d.remove());
        return main.innerText;
      });
      const m = jargon.exec(text);
      if (m) found.push(`${p}: …${text.slice(Math.max(0, m.index - 40), m.index + 30)}…`);
    }
    expect(found).toEqual([]);
    // The exact terms are still there for whoever opens the disclosure.
    await page.goto(url(path));
    await expect(page.locator("details.worked-out").innerText()).resolves.toMatch(/How this was worked out/);
    await page.context().close();
  });
});
