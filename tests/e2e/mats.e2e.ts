/**
 * /mats in a real browser: the comparison and the calculator without JavaScript (GET form,
 * server-rendered result) and with it (instant updates), bad weights that show a message and a
 * 400 instead of a 500, a 320 px phone, and axe on each state.
 */
import { expect, it } from "vitest";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describeBrowser, expectNoA11yViolations, useServerAndBrowser } from "./support";

describeBrowser("mat comparison and pressure calculator", () => {
  const ctx = useServerAndBrowser();

  async function open(
    path: string,
    options: BrowserContextOptions = {},
  ): Promise<{ page: Page; status: number | undefined }> {
    const context = await ctx.browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
    const page = await context.newPage();
    const res = await page.goto(`${ctx.server.url}${path}`);
    return { page, status: res?.status() };
  }

  /** axe cannot run in a page without JavaScript, so it checks the same URL in a normal page. */
  async function expectNoA11yViolationsAt(url: string): Promise<void> {
    const context = await ctx.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector("astro-island:not([ssr])");
    await expectNoA11yViolations(page);
    await context.close();
  }

  async function submit(page: Page): Promise<number | undefined> {
    // Wait for the document response: with JavaScript, typing already changed the address in place.
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().resourceType() === "document" && new URL(r.url()).pathname === "/mats"),
      page.click('button[type="submit"]:has-text("Compare and calculate")'),
    ]);
    await page.waitForLoadState("load");
    return res.status();
  }

  /** The estimates table as { mat name: [tips, load per tip, index] }. */
  async function estimates(page: Page): Promise<Record<string, string[]>> {
    return page.$$eval(".mat-calc-results tbody tr", (rows) =>
      Object.fromEntries(
        rows.map((r) => [
          r.querySelector("th")?.textContent?.trim() ?? "",
          [...r.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? ""),
        ]),
      ),
    );
  }

  it("compares mats and calculates without JavaScript, and passes axe", async () => {
    const { page, status } = await open("/mats", { javaScriptEnabled: false });
    expect(status).toBe(200);
    // First visit: the reference mat beside the gentle archetype, lying on the back.
    await expect(page.isChecked("#mat-shakti-original")).resolves.toBe(true);
    await expect(page.isChecked("#mat-generic-gentle-mat")).resolves.toBe(true);
    await expectNoA11yViolationsAt(page.url());

    await page.uncheck("#mat-generic-gentle-mat");
    await page.check("#mat-generic-kuznetsov-applicator");
    await page.check("#mat-spoonk");
    await page.fill("#mass", "70");
    await page.check('input[name="position"][value="standing"]');
    expect(await submit(page)).toBe(200);

    const url = new URL(page.url());
    expect(url.searchParams.getAll("mat")).toEqual(["generic-kuznetsov-applicator", "shakti-original", "spoonk"]);
    expect(url.searchParams.get("mass")).toBe("70");
    expect(url.searchParams.get("position")).toBe("standing");

    await expect(page.textContent("#estimate-heading")).resolves.toContain("standing on both feet");
    const rows = await estimates(page);
    // Reference mat standing, 70 kg: about 500 tips at 1.4 N each, index 10.
    expect(rows["Shakti original"]).toEqual(["about 500", "1.4 N (about 140 g)", "10"]);
    expect(rows["Kuznetsov-type applicator (archetype)"]?.[2]).toBe("19");
    // No size for Spoonk: the model says it cannot compute rather than guess.
    expect(rows["Spoonk"]?.[0]).toContain("Cannot estimate");

    // Side by side, with the basis of each figure.
    const specs = (await page.textContent(".spec-table")) ?? "";
    expect(specs).toContain("as stated by the maker");
    expect(specs).toContain("reported in a study");
    expect(specs).toContain("20 × 9 inches");
    expect(await page.$$eval(".spec-table thead th", (ths) => ths.map((th) => th.textContent?.trim()))).toEqual([
      // in the order of the form
      "Kuznetsov-type applicator (archetype)",
      "Shakti original",
      "Spoonk",
    ]);
    await expect(page.textContent("#how-heading")).resolves.toBe("How this is calculated");
    await expectNoA11yViolationsAt(page.url());
  });

  it.each([
    ["0", "more than 0 kg"],
    ["-60", "more than 0 kg"],
    ["seventy", "must be a number"],
    ["450", "is it in pounds?"],
    ["12", "covers 20 to 300 kg"],
  ])("a bad weight (%s) without JavaScript shows a message and a 400, not a 500", async (mass, message) => {
    const { page } = await open("/mats", { javaScriptEnabled: false });
    await page.fill("#mass", mass);
    expect(await submit(page)).toBe(400);
    await expect(page.textContent("#mass-error")).resolves.toContain(message);
    await expect(page.getAttribute("#mass", "aria-invalid")).resolves.toBe("true");
    await expect(page.inputValue("#mass")).resolves.toBe(mass);
    await expect(page.textContent('[role="alert"]')).resolves.toContain("Please check the form");
    // The mass-free part (the intensity index) is still shown.
    expect((await estimates(page))["Shakti original"]?.[2]).toBe("1");
    await expectNoA11yViolationsAt(page.url());
  });

  it("asks for two to four mats", async () => {
    const one = await open("/mats?mat=spoonk&mass=70", { javaScriptEnabled: false });
    expect(one.status).toBe(400);
    await expect(one.page.textContent("#mat-error")).resolves.toContain("Choose at least 2 mats");
    await expectNoA11yViolationsAt(one.page.url());
    const five = await open("/mats?mat=spoonk&mat=yantra&mat=shakti-light&mat=bed-of-nails&mat=pranamat-eco", {
      javaScriptEnabled: false,
    });
    expect(five.status).toBe(400);
    await expect(five.page.textContent("#mat-error")).resolves.toContain("only the first 4 are shown");
    expect(await five.page.$$eval(".spec-table thead th", (ths) => ths.length)).toBe(4);
    const unknown = await open("/mats?mat=spoonk&mat=yantra&mat=%3Cscript%3E", { javaScriptEnabled: false });
    expect(unknown.status).toBe(400);
    await expect(unknown.page.textContent("#mat-error")).resolves.toContain('no mat called "<script>"');
  });

  it("updates instantly as you type with JavaScript, using the same model", async () => {
    const { page } = await open(
      "/mats?mat=shakti-original&mat=generic-gentle-mat&mat=generic-typical-mat&position=lying",
    );
    await page.waitForSelector("astro-island:not([ssr])");
    expect((await estimates(page))["Shakti original"]?.[1]).toBe("needs your body mass");

    await page.fill("#mass", "70");
    await expect
      .poll(async () => (await estimates(page))["Shakti original"])
      .toEqual(["about 2,900", "0.14 N (about 14 g)", "1"]);
    // More spikes on the same area: gentler.
    expect((await estimates(page))["Gentle high-density mat (archetype)"]?.[2]).toBe("0.67");
    // A heavier person loads each tip more; the index stays the same.
    await page.fill("#mass", "140");
    await expect
      .poll(async () => (await estimates(page))["Shakti original"])
      .toEqual(["about 2,900", "0.27 N (about 28 g)", "1"]);
    // Standing is far more intense than lying.
    await page.check('input[name="position"][value="standing"]');
    await expect.poll(async () => (await estimates(page))["Shakti original"]?.[2]).toBe("10");
    await expect(page.textContent("#estimate-heading")).resolves.toContain("standing on both feet");
    // The address follows, so a reload or a shared link shows the same result.
    expect(new URL(page.url()).searchParams.get("mass")).toBe("140");
    expect(new URL(page.url()).searchParams.get("position")).toBe("standing");
    await expectNoA11yViolations(page);

    await page.fill("#mass", "0");
    await expect.poll(() => page.textContent("#mass-error")).toContain("more than 0 kg");
    expect((await estimates(page))["Shakti original"]?.[1]).toBe("needs your body mass");
    await expectNoA11yViolations(page);

    // Submitting still goes through the server, which agrees.
    await page.fill("#mass", "70");
    expect(await submit(page)).toBe(200);
    expect((await estimates(page))["Shakti original"]?.[1]).toBe("1.4 N (about 140 g)");
  });

  it("is readable on a 320 px phone: the page does not scroll sideways, the tables do", async () => {
    const { page } = await open(
      "/mats?mat=shakti-original&mat=generic-gentle-mat&mat=generic-typical-mat&mat=generic-kuznetsov-applicator&mass=70",
      {
        viewport: { width: 320, height: 640 },
        isMobile: true,
        hasTouch: true,
      },
    );
    await page.waitForSelector("astro-island:not([ssr])");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const specScroll = await page.$eval(".spec-scroll", (el) => el.scrollWidth > el.clientWidth);
    expect(specScroll).toBe(true);
    await expectNoA11yViolations(page);
  });

  it("passes axe in dark mode", async () => {
    const { page } = await open("/mats?mat=shakti-original&mat=spoonk&mass=70", { colorScheme: "dark" });
    await page.waitForSelector("astro-island:not([ssr])");
    await expectNoA11yViolations(page);
  });
});
