/**
 * The safety check in a real browser: the whole flow with JavaScript and without it,
 * a bad submission that shows the form again, one-group-at-a-time on a phone, and axe
 * (which runs inside the page, so only in contexts with JavaScript).
 */
import { expect, it } from "vitest";
import type { BrowserContextOptions, Page } from "playwright-core";
import data from "../../src/content/safety/safety-check.json";
import { DEFAULT_CLOCK, formatDate } from "../../src/core/datetime";
import { describeBrowser, expectNoA11yViolations, useServerAndBrowser } from "./support";

const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);

describeBrowser("safety check", () => {
  const ctx = useServerAndBrowser();

  async function open(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await ctx.browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
    const page = await context.newPage();
    const res = await page.goto(`${ctx.server.url}/safety-check`);
    expect(res?.status()).toBe(200);
    return page;
  }

  /** Answers No everywhere (red flags are skipped once back pain is No), then applies the overrides. */
  async function answer(
    page: Page,
    overrides: Record<string, string> = {},
    where: Record<string, string[]> = {},
  ): Promise<void> {
    for (const id of unconditional) await page.check(`#q-${id}-${overrides[id] ?? "no"}`);
    for (const [id, value] of Object.entries(overrides))
      if (!unconditional.includes(id)) await page.check(`#q-${id}-${value}`);
    for (const [id, areas] of Object.entries(where)) for (const area of areas) await page.check(`#${id}-where-${area}`);
  }

  /** Clicks something that submits a form and waits for the page it leads to; returns its status. */
  async function follow(page: Page, selector: string): Promise<number> {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().isNavigationRequest()),
      page.click(selector),
    ]);
    await page.waitForLoadState("load");
    return res.status();
  }

  const submit = (page: Page) => follow(page, 'button[type="submit"]:has-text("See my result")');

  it("works end to end with JavaScript, and passes axe on the form and the result", async () => {
    const page = await open();
    await expectNoA11yViolations(page);
    // The "where?" boxes appear only once Yes or Not sure is chosen.
    await expect(page.isVisible("#wounds-where-back")).resolves.toBe(false);
    await answer(page, { wounds: "yes", "pain-tolerance": "unsure" }, { wounds: ["back", "legs"] });
    expect(await submit(page)).toBe(200);
    await expect(page.textContent("#overall-title")).resolves.toContain("Keep an area off the mat");
    const main = (await page.textContent("main")) ?? "";
    expect(main).toContain("your back and your legs");
    expect(main).toContain("Take extra care");
    expect(main).toContain("Your answers were not stored");
    expect(main).toContain(
      `with our safety rules of ${new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${data.version.split(".")[0]}T12:00:00Z`))}`,
    ); // the date, not the version string
    expect(main).not.toContain(data.version);
    expect(main).toContain("Next: your break-in plan");
    // The commonly given precautions are cited as such, with the section that says where they come from.
    await expect(page.getAttribute('#finding-wounds a[href^="/guides/"]', "href")).resolves.toBe(
      "/guides/acupressure-mat-safety#where-the-precautions-come-from",
    );
    await expect(page.textContent("#finding-wounds")).resolves.toContain("Commonly given precautions");
    await expectNoA11yViolations(page);

    // Printable summary, with the Print button that needs JavaScript.
    expect(await follow(page, "text=Printable summary for your clinician")).toBe(200);
    await expect(page.textContent("h1")).resolves.toContain("summary for a healthcare professional");
    await page.waitForSelector("button:has-text('Print this summary')");
    await expectNoA11yViolations(page);
    await page.context().close();
  });

  it("dates a visitor's result in the browser's own time zone, not the server's", async () => {
    // Kiritimati is 14 hours ahead of UTC and Pago Pago 11 behind: their dates are never the same.
    for (const timezoneId of ["Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      const page = await open({ timezoneId });
      await answer(page);
      const dayThere = () => formatDate(new Date(), "date", { locale: DEFAULT_CLOCK.locale, timeZone: timezoneId });
      const before = dayThere();
      expect(await submit(page)).toBe(200);
      const after = dayThere(); // the same day unless midnight passed there during the request
      const dated = (await page.textContent("main"))?.match(/Checked on (.+?) with our safety rules/)?.[1];
      expect([before, after]).toContain(dated);
      await page.context().close();
    }
  });

  it("works end to end with JavaScript disabled", async () => {
    const page = await open({ javaScriptEnabled: false });
    await answer(page, {
      "blood-thinners": "unsure",
      "back-pain": "yes",
      "cancer-history": "no",
      "weight-loss": "no",
      "back-pain-fever": "no",
      "saddle-numbness": "no",
      "bladder-bowel": "no",
      "leg-weakness": "no",
      trauma: "yes",
    });
    expect(await submit(page)).toBe(200);
    await expect(page.textContent("#overall-title")).resolves.toContain("See a professional first");
    const main = (await page.textContent("main")) ?? "";
    expect(main).toContain("Have your back pain checked");
    expect(main).toContain("we took the careful route");

    // "Change my answers" brings the form back, filled in.
    expect(await follow(page, "text=Change my answers")).toBe(200);
    await expect(page.isChecked("#q-blood-thinners-unsure")).resolves.toBe(true);
    await expect(page.isChecked("#q-trauma-yes")).resolves.toBe(true);

    // The print view works too; without JavaScript it explains how to print instead of a button.
    await submit(page);
    expect(await follow(page, "text=Printable summary for your clinician")).toBe(200);
    await expect(page.textContent("main")).resolves.toContain("Ctrl+P");
    await expect(page.locator("button:has-text('Print this summary')").count()).resolves.toBe(0);
    await page.context().close();
  });

  it.each([true, false])(
    "shows the form again with messages after a bad submission (JavaScript %s)",
    async (javaScriptEnabled) => {
      const page = await open({ javaScriptEnabled });
      await page.check("#q-pregnancy-no");
      await page.check("#q-sunburn-yes"); // but no place chosen
      expect(await submit(page)).toBe(400);
      await expect(page.locator("#overall-title").count()).resolves.toBe(0);
      await expect(page.textContent(".error-summary")).resolves.toContain("Some answers are missing");
      await expect(page.textContent("#sunburn-where-error")).resolves.toContain("where on your body");
      await expect(page.textContent("#q-epilepsy-error")).resolves.toContain("Please choose Yes, No or Not sure");
      // What was answered is kept.
      await expect(page.isChecked("#q-pregnancy-no")).resolves.toBe(true);
      // axe runs inside the page, so it needs JavaScript; the same page is checked in the JavaScript run.
      if (javaScriptEnabled) await expectNoA11yViolations(page);
      await page.context().close();
    },
  );

  it("shows one group at a time on a small screen with JavaScript", async () => {
    const page = await open({ viewport: { width: 360, height: 740 } });
    await expect(page.isVisible("#group-pregnancy-blood-feeling")).resolves.toBe(true);
    await expect(page.isVisible("#group-skin")).resolves.toBe(false);
    await expect(page.isVisible("button:has-text('See my result')")).resolves.toBe(false);
    await page.click("button:has-text('Next: Your skin')");
    await expect(page.isVisible("#group-skin")).resolves.toBe(true);
    await expect(page.isVisible("#group-pregnancy-blood-feeling")).resolves.toBe(false);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("group-skin-title");
    await expectNoA11yViolations(page);
    await page.context().close();
  });

  it("shows every group on a small screen without JavaScript", async () => {
    const page = await open({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    await expect(page.isVisible("#group-comfort")).resolves.toBe(true);
    await expect(page.isVisible("button:has-text('See my result')")).resolves.toBe(true);
    await page.context().close();
  });

  it("asks about leg circulation only when the feet go on the mat, and names its source as our own caution", async () => {
    const page = await open();
    await expect(page.isVisible("#q-poor-leg-circulation-yes")).resolves.toBe(true);
    await page.check("#q-feet-on-mat-no");
    await expect(page.isVisible("#q-poor-leg-circulation-yes")).resolves.toBe(false);
    await answer(page, { "feet-on-mat": "yes" });
    await page.check("#q-poor-leg-circulation-unsure");
    expect(await submit(page)).toBe(200);
    await expect(page.textContent("#overall-title")).resolves.toContain("See a professional first");
    await expect(page.textContent("#finding-poor-leg-circulation")).resolves.toContain("matwise's own caution");
    await page.context().close();
  });

  it.each(["corticosteroids", "movement-disorder", "spinal-deformity", "severe-mental-illness"])(
    "the trial exclusion %s is asked and cites the registered trial",
    async (id) => {
      const page = await open({ javaScriptEnabled: false });
      await answer(page, { [id]: "yes" });
      expect(await submit(page)).toBe(200);
      await expect(page.textContent("#overall-title")).resolves.toContain("See a professional first");
      await expect(page.getAttribute(`#finding-${id} a[href^="/evidence/"]`, "href")).resolves.toBe(
        "/evidence/studies/saha-2016",
      );
      await expect(page.textContent(`#finding-${id}`)).resolves.toMatch(
        /no safety data|nobody has looked|no trial data/,
      );
      await page.context().close();
    },
  );

  it("passes axe in dark mode on the result", async () => {
    const page = await open({ colorScheme: "dark" });
    await answer(page, { moles: "yes", heart: "yes" }, { moles: ["other"] });
    await submit(page);
    await expectNoA11yViolations(page);
    await page.context().close();
  });
});
