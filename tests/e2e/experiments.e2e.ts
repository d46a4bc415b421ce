/**
 * Personal experiments end to end on a 390 px phone: design one screen at a time, freeze it,
 * follow today's assignment to the timer, check in, and read the results. A compressed
 * 28-day experiment (its past days seeded through the repositories while the server is
 * stopped, never through a route) must show exactly what `matwise analyze` prints for the
 * exported data.csv with the stored seed. Someone else's experiment is a 404 everywhere.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import ICAL from "ical.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { freezeProtocol, type Protocol } from "../../src/core/experiments/protocol";
import { addDays } from "../../src/core/datetime";
import { createSchedule } from "../../src/core/experiments/schedule";
import { anytimeWords } from "../../src/core/experiments/anytime-words";
import type { AnytimeResult } from "../../src/core/stats/anytime";
import type { CheckIn } from "../../src/core/experiments/days";
import { createSeededRng } from "../../src/core/stats/rng";
import { openPglite } from "../../src/server/db/client";
import { createExperiment, endExperiment, listUnderwayExperiments } from "../../src/server/repositories/experiments";
import {
  describeBrowser,
  skipStepsAfterAFailure,
  expectNoA11yViolations,
  launchBrowser,
  ROOT,
  startServer,
  type RunningServer,
} from "./support";

const PASSWORD = "a long enough passphrase";
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
const today = new Date().toISOString().slice(0, 10); // a new account's clock is UTC

describeBrowser("personal experiments", () => {
  // The steps below are one story, each building on the one before: after a failure the rest are skipped.
  skipStepsAfterAFailure();
  const dataDir = join(mkdtempSync(join(tmpdir(), "matwise-exp-")), "db");
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const email = `e${randomBytes(4).toString("hex")}@example.com`;

  beforeAll(async () => {
    server = await startServer({ dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function post(path: string, fields: Record<string, string>) {
    const res = await page.request.post(`${server.url}${path}`, {
      form: fields,
      headers: { origin: server.url },
      maxRedirects: 0,
    });
    return { status: res.status(), location: res.headers()["location"] ?? null, text: await res.text() };
  }

  it("designs an experiment one decision per screen, freezes it, and follows today's assignment", async () => {
    const context = await browser.newContext(PHONE);
    page = await context.newPage();
    await page.goto(`${server.url}/account/sign-up?next=/experiments`);
    for (const [name, value] of Object.entries({ name: "Eve", email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(`${server.url}/experiments`), page.click("button[type=submit]")]);
    expect(
      (await post("/account/safety-checks", Object.fromEntries(unconditional.map((id) => [id, "no"])))).status,
    ).toBe(303);

    await Promise.all([page.waitForURL(/\/experiments\/new/), page.click('a:has-text("Design a new experiment")')]);
    const next = () => Promise.all([page.waitForURL(/step=/), page.click('button:has-text("Next")')]);
    await expectNoA11yViolations(page);
    await page.check('input[name="outcome"][value="pain"]');
    await next();
    await expect(page.locator("#mcid").inputValue()).resolves.toBe("1");
    await next();
    await expect(page.locator('input[name="comparator"][value="rest-without-mat"]').isChecked()).resolves.toBe(true);
    await next();
    await next(); // session: defaults
    await next(); // periods: defaults (1-day periods, 21 pairs)
    // A refused answer comes back on its own screen with a message.
    await next();
    await expect(page.locator(".field-error").innerText()).resolves.toMatch(/0 to 10/);
    await page.locator('.scale label:has(input[value="3"])').click();
    await next();
    await expectNoA11yViolations(page);
    await expect(page.locator(".review").innerText()).resolves.toContain(
      "21 rounds of 1 day with the mat and 1 day without: 42 days",
    );
    await page.fill("#startsOn", today);
    await Promise.all([
      page.waitForURL(/\/experiments\/[0-9a-f-]{36}\?started=1/),
      page.click('button:has-text("Start and freeze the plan")'),
    ]);
    await expectNoA11yViolations(page);

    // Only today's assignment is shown, with the timer set up for it.
    const assignment = await page.locator(".today .assignment").innerText();
    expect(assignment).toMatch(/^(Use the mat for 15 minutes|Lie still for 15 minutes)/);
    expect(await page.locator(".today").innerText()).toContain("day 1 of 42");
    // Today shows the same assignment, and nothing about other days.
    const experimentUrl = page.url();
    await page.goto(`${server.url}/today`);
    await expect(page.locator(".experiment-day .what").innerText()).resolves.toBe(assignment);
    await expectNoA11yViolations(page);
    await Promise.all([page.waitForURL(/\/timer\?/), page.click('.experiment-day a:has-text("Open the timer")')]);
    expect(new URL(page.url()).searchParams.get("minutes")).toBe("15");
    await page.goto(experimentUrl);

    // The evening check-in in a few taps; pain is the primary outcome, so it is required.
    const form = page.locator("form.check-in").first();
    await form.locator('input[value="as-assigned"]').check();
    await form.locator('.scale label:has(input[name="pain"][value="4"])').click();
    await Promise.all([page.waitForURL(/checked-in=evening/), form.locator('button:has-text("Save")').click()]);
    expect(await page.locator("form.check-in").count()).toBe(0);
    const refused = await post(`${page.url().split("?")[0]!}/check-in`.replace(server.url, ""), {
      kind: "evening",
      date: today,
      adherence: "as-assigned",
    });
    expect(refused.status).toBe(400);

    // One experiment at a time: the designer names the running one and links to where it can be ended; a start is refused with its name.
    await page.goto(`${server.url}/experiments/new`);
    const underway = page.locator("#underway");
    expect(await underway.innerText()).toContain("already have an experiment under way");
    expect(await underway.locator("a").getAttribute("href")).toBe(`${new URL(experimentUrl).pathname}#end`);
    const second = await post("/experiments/new", {
      outcome: "stress",
      mcid: "1",
      comparator: "no-session",
      minutes: "10",
      time: "20:00",
      position: "lying",
      area: "back",
      periodDays: "1",
      pairs: "10",
      washout: "no",
      expectation: "3",
      startsOn: addDays(today, 1),
    });
    expect(second.status).toBe(409);
    expect(second.text).toContain("is still under way");
    await context.close();
  });

  it("a compressed 28-day experiment ends on the verdict matwise analyze gives for its exported data", async () => {
    // Seed the past through the repositories while the server is stopped (PGlite has one owner).
    await server.stop();
    const handle = await openPglite(dataDir);
    const userId = (await handle.pglite!.query<{ id: string }>(`select id from "user" where email = $1`, [email]))
      .rows[0]!.id;
    const protocol: Protocol = {
      version: 1,
      primaryOutcome: "pain",
      mcid: 1,
      comparator: "rest-without-mat",
      sessionMinutes: 15,
      sessionTime: "19:00",
      position: "lying",
      area: "back",
      periodDays: 1,
      pairs: 14,
      washout: false,
      startsOn: addDays(today, -26),
      timeZone: "UTC",
      expectation: 5,
    };
    const schedule = createSchedule(protocol, 2024);
    const rng = createSeededRng(7);
    const recorded = new Map<string, CheckIn>();
    for (const d of schedule) {
      if (d.kind !== "period" || d.date >= addDays(today, -1)) continue; // yesterday and today stay open
      const pain = Math.max(0, Math.min(10, Math.round(5 - (d.condition === "A" ? 1.5 : 0) + rng.normal())));
      recorded.set(d.date, { date: d.date, recordedOn: d.date, adherence: "as-assigned", values: { pain, stress: 4 } });
    }
    // One experiment at a time: the one designed above ends first.
    for (const running of await listUnderwayExperiments(handle.db, userId, new Date()))
      await endExperiment(handle.db, userId, running.id, "replaced by the test's compressed experiment", new Date());
    const id = await createExperiment(handle.db, userId, {
      frozen: freezeProtocol(protocol),
      frozenAt: new Date(`${protocol.startsOn}T08:00:00Z`),
      scheduleSeed: 2024,
      analysisSeed: 31337,
      source: "matwise",
      schedule,
      recorded,
    });
    await handle.close();
    server = await startServer({ dataDir });

    const context = await browser.newContext(PHONE);
    page = await context.newPage();
    await page.goto(`${server.url}/account/sign-in`);
    await page.fill('[name="email"]', email);
    await page.fill('[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(/\/account/), page.click("button[type=submit]")]);
    await page.goto(`${server.url}/experiments/${id}`);

    // Morning: last night's sleep; then yesterday's evening (late) and today's.
    const morning = page.locator("form.check-in:has(#morning-title)");
    await morning.locator("#sleepLatency").fill("20");
    await morning.locator("#wakings").fill("1");
    await morning.locator('.scale label:has(input[value="7"])').click();
    await Promise.all([page.waitForURL(/checked-in=morning/), morning.locator('button:has-text("Save")').click()]);
    for (let i = 0; i < 2; i++) {
      const evening = page.locator("form.check-in").first();
      await evening.locator('input[value="as-assigned"]').check();
      await evening.locator('.scale label:has(input[name="pain"][value="4"])').click();
      await Promise.all([page.waitForURL(/checked-in=evening/), evening.locator('button:has-text("Save")').click()]);
    }
    await expectNoA11yViolations(page);

    const csv = await (await page.request.get(`${server.url}/experiments/${id}/data.csv`)).text();
    const results = (await (await page.request.get(`${server.url}/experiments/${id}/results.json`)).json()) as {
      analysis: { verdict: string; benefit: number; randomization: { p: number }; anytime: AnytimeResult };
      analysisSeed: number;
    };
    expect(csv.split("\r\n")[0]).toBe("date,block,condition,value");
    expect(results.analysisSeed).toBe(31337);
    const file = join(mkdtempSync(join(tmpdir(), "matwise-exp-csv-")), "data.csv");
    writeFileSync(file, csv);
    const cli = spawnSync(
      process.execPath,
      [join(ROOT, "bin/matwise.mjs"), "analyze", file, "--better", "lower", "--mcid", "1", "--seed", "31337", "--json"],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(results.analysis).toEqual(JSON.parse(cli.stdout));

    // Still running (day 28 is tomorrow): the anytime answer leads, its range the command's cs95 in words; the planned analysis waits for the end.
    const words = anytimeWords(results.analysis.anytime, {
      outcome: "pain",
      comparator: "rest-without-mat",
      unit: "points",
    });
    expect(await page.locator(".verdict").innerText()).toBe(words.headline);
    const answer = await page.locator("#anytime-answer").innerText();
    expect(answer).toContain(words.range);
    expect(answer).toContain("You can look every day");
    expect(answer).toContain("shown once every planned day is done");
    expect(await page.locator("#results-title ~ * :text('Randomization test')").count()).toBe(0);
    // Plain words on the person's page (issue 24, item 12): no p-values, model names or interval jargon outside "How this was worked out".
    const plain = await page.locator("section[aria-labelledby='results-title']").evaluate((section) => {
      const copy = section.cloneNode(true) as HTMLElement;
      copy.querySelectorAll("details.worked-out").forEach((d) => d.remove());
      return copy.innerText;
    });
    expect(plain).not.toMatch(/p = |AR\(1\)|95 %|randomization|autocorrelat|Bayesian/i);

    // The calendar: one timed event with an alarm per period day, never the condition.
    const ics = await (await page.request.get(`${server.url}/experiments/${id}/schedule.ics`)).text();
    const vevents = ICAL.Component.fromString(ics).getAllSubcomponents("vevent");
    expect(vevents).toHaveLength(28);
    // Its links go to the address the request came to (issue 25: they were http://localhost/today, no port).
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain(`${server.url}/`);
    expect(unfolded).not.toContain("http://localhost/");
    for (const v of vevents) {
      expect(v.getFirstPropertyValue("dtstart")?.toString()).toMatch(/T19:00:00Z?$/);
      expect(v.getAllSubcomponents("valarm")).toHaveLength(1);
      expect(
        `${String(v.getFirstPropertyValue("summary"))} ${String(v.getFirstPropertyValue("description"))}`,
      ).not.toMatch(/without|with the mat|condition|\bA\b|\bB\b/);
    }

    // The report for a clinician: every table fits an A4 page, it prints, and axe finds nothing.
    const report = await page.goto(`${server.url}/experiments/${id}/report`);
    expect(report?.status()).toBe(200);
    await expectNoA11yViolations(page);
    expect(await page.locator("h1").innerText()).toContain("Pain: the mat against lying still without it");
    expect(await page.locator(".periods tbody tr").count()).toBe(27); // day 28 is tomorrow
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 718, height: 1000 }); // A4 (210 mm) less 10 mm margins, at 96 dpi
    const overflowing = await page.$$eval(
      "table",
      (tables) => tables.filter((t) => t.scrollWidth > (t.parentElement?.clientWidth ?? 0) + 1).length,
    );
    expect(overflowing).toBe(0);
    const pdf = await page.pdf({ format: "A4", margin: { top: "10mm", bottom: "10mm", left: "10mm", right: "10mm" } });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(await page.locator(".interim").innerText()).toContain("Interim");

    // Ended a day early: the anytime answer at that moment, and why the planned analysis no longer applies.
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize(PHONE.viewport);
    await page.goto(`${server.url}/experiments/${id}`);
    await page.locator("details#end summary").click();
    await Promise.all([page.waitForURL(/ended=1/), page.locator('details#end button[type="submit"]').click()]);
    const ended = await page.locator("#anytime-answer").innerText();
    expect(ended).toContain("You ended the experiment before its planned last day");
    expect(ended).toContain(words.range);
    await context.close();

    // Someone else sees nothing of it, and changes nothing.
    const other = await browser.newContext();
    const stranger = await other.newPage();
    await stranger.goto(`${server.url}/account/sign-up`);
    for (const [name, value] of Object.entries({
      name: "Mal",
      email: `m${randomBytes(4).toString("hex")}@example.com`,
      password: PASSWORD,
      confirm: PASSWORD,
    }))
      await stranger.fill(`[name="${name}"]`, value);
    await Promise.all([stranger.waitForURL(`${server.url}/account`), stranger.click("button[type=submit]")]);
    for (const path of ["", "/data.csv", "/all.csv", "/results.json"])
      expect((await stranger.request.get(`${server.url}/experiments/${id}${path}`)).status(), path).toBe(404);
    const attempt = await stranger.request.post(`${server.url}/experiments/${id}/check-in`, {
      form: { kind: "evening", date: today, adherence: "skipped", pain: "9" },
      headers: { origin: server.url },
      maxRedirects: 0,
    });
    expect(attempt.status()).toBe(404);
    const end = await stranger.request.post(`${server.url}/experiments/${id}`, {
      form: { intent: "end", reason: "x" },
      headers: { origin: server.url },
      maxRedirects: 0,
    });
    expect(end.status()).toBe(404);
    await other.close();
    const after = (await (await (await browser.newContext()).request.get(`${server.url}/healthz`)).json()) as {
      status: string;
    };
    expect(after.status).toBe("ok");
  });
});
