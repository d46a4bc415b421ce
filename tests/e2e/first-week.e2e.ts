/**
 * Issue 24, the first week tried as a new user would, on a 390 × 844 phone: an urgent safety
 * result leads with the urgent action, Back after a saved form never claims to be offline, forms
 * keep the answers with a message at each field, the account pages have no dead ends, "Make my
 * plan" shows the plan, and tap targets are at least 44 px.
 */
import type { BrowserContextOptions, Page } from "playwright-core";
import { expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { describeBrowser, postForm, useServerAndBrowser } from "./support";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } satisfies BrowserContextOptions;
const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
const allNo = Object.fromEntries(unconditional.map((id) => [id, "no"]));

describeBrowser("the first week on a phone", () => {
  const ctx = useServerAndBrowser();
  const url = (path: string) => `${ctx.server.url}${path}`;

  async function phone(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await ctx.browser.newContext({ ...PHONE, ...options });
    return context.newPage();
  }

  it("leads an urgent safety result with the urgent action, above the fold, with no way on to the mat", async () => {
    const page = await phone({ javaScriptEnabled: false });
    await page.goto(url("/safety-check"));
    for (const id of unconditional) await page.check(`#q-${id}-${id === "back-pain" ? "yes" : "no"}`);
    for (const id of ["cancer-history", "weight-loss", "back-pain-fever", "bladder-bowel", "leg-weakness", "trauma"]) await page.check(`#q-${id}-no`);
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
    const answers = { ...allNo, "back-pain": "yes", "cancer-history": "no", "weight-loss": "no", "back-pain-fever": "no", "saddle-numbness": "yes", "bladder-bowel": "no", "leg-weakness": "no", trauma: "no" };
    const kept = await postForm(ctx.server.url, "/safety-check/remember", { ...answers, intent: "keep", next: "/plan?check=kept", professionalAgreed: "yes" });
    expect(kept.status).toBe(303);
    expect(decodeURIComponent(kept.cookies)).not.toContain("professionalAgreedAt");
    await page.context().close();
  });
});
