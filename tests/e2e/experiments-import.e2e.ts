/**
 * Bringing in an experiment kept elsewhere, on a 390 px phone (the good file with JavaScript
 * off; axe needs it on for its checks): a bad file
 * is refused with the one line `matwise analyze` prints for it (without the file name) and
 * nothing is stored; a good file lands on the experiment, labelled "not pre-registered in
 * matwise", and its results.json holds exactly what `matwise analyze` prints for the uploaded
 * file with the stored seed. Someone else gets 404 for it everywhere.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { verdictSentence } from "../../src/core/experiments/labels";
import { addDays } from "../../src/core/datetime";
import { createSeededRng } from "../../src/core/stats/rng";
import {
  describeBrowser,
  expectNoA11yViolations,
  launchBrowser,
  ROOT,
  startServer,
  type RunningServer,
} from "./support";

const PASSWORD = "a long enough passphrase";
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const today = new Date().toISOString().slice(0, 10); // a new account's clock is UTC
const dir = mkdtempSync(join(tmpdir(), "matwise-import-"));

/** 12 blocks of two 3-day periods ending last week, rows shuffled, a day left out and one not measured. */
function diary(): string {
  const rng = createSeededRng(11);
  const first = addDays(today, -80);
  const rows: string[] = [];
  for (let b = 0; b < 12; b++) {
    const aFirst = rng.uniform() < 0.5;
    for (let j = 0; j < 6; j++) {
      if (b === 4 && j === 2) continue;
      const condition = j < 3 === aFirst ? "A" : "B";
      const value =
        b === 7 && j === 5
          ? ""
          : String(Math.max(0, Math.min(10, Math.round((5 - (condition === "A" ? 1.2 : 0) + rng.normal()) * 4) / 4)));
      rows.push(`${addDays(first, 6 * b + j)},${b + 1},${condition},${value},${j < 3 ? 1 : 2}`);
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const k = Math.floor(rng.uniform() * (i + 1));
    [rows[i], rows[k]] = [rows[k]!, rows[i]!];
  }
  return `date,block,condition,value,period\n${rows.join("\n")}\n`;
}

function analyze(file: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "bin/matwise.mjs"), "analyze", file, ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

describeBrowser("bringing in an experiment from a CSV file", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let experimentUrl = "";

  beforeAll(async () => {
    server = await startServer({ dataDir: join(dir, "db") });
    browser = await launchBrowser();
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    await page.goto(`${server.url}/account/sign-up?next=/experiments`);
    for (const [name, value] of Object.entries({
      name: "Ida",
      email: `i${randomBytes(4).toString("hex")}@example.com`,
      password: PASSWORD,
      confirm: PASSWORD,
    }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(`${server.url}/experiments`), page.click("button[type=submit]")]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function submit(
    on: Page,
    file: { name: string; text: string },
    fields: { outcome: string; better: string; mcid: string },
  ) {
    await on.setInputFiles("#file", { name: file.name, mimeType: "text/csv", buffer: Buffer.from(file.text) });
    await on.check(`input[name="outcome"][value="${fields.outcome}"]`);
    await on.check(`input[name="better"][value="${fields.better}"]`);
    await on.fill("#mcid", fields.mcid);
    const [response] = await Promise.all([on.waitForNavigation(), on.click('button:has-text("Bring it in")')]);
    return response;
  }

  const fitsThePhone = () => page.evaluate(() => document.documentElement.scrollWidth);

  it("refuses a bad file with the command's one line and stores nothing", async () => {
    await Promise.all([
      page.waitForURL(/\/experiments\/import$/),
      page.click('a:has-text("Bring in one kept elsewhere")'),
    ]);
    await expectNoA11yViolations(page);
    expect(await fitsThePhone()).toBeLessThanOrEqual(390);
    expect(await page.locator("main").innerText()).toContain("at most 2 MB");

    const bad = "date,block,condition,value\n2026-01-01,1,A,3\n2026-01-02,1,mat,4\n";
    const path = join(dir, "bad.csv");
    writeFileSync(path, bad);
    const cli = analyze(path);
    expect(cli.status).toBe(2);
    const response = await submit(
      page,
      { name: "bad.csv", text: bad },
      { outcome: "pain", better: "lower", mcid: "1" },
    );
    expect(response?.status()).toBe(400);
    const shown = await page.locator("#field-file .field-error").innerText();
    expect(`${path}: ${shown}\n`).toBe(cli.stderr);
    expect(shown).toBe('row 3: condition "mat" is unknown (use A for the mat, B for the comparator)');
    expect(await page.locator("#mcid").inputValue()).toBe("1");
    await expectNoA11yViolations(page);

    // Too large: refused with the limit in words, before anything is read.
    const big = await submit(
      page,
      { name: "big.csv", text: `date,block,condition,value\n${"2026-01-01,1,A,3\n".repeat(140_000)}` },
      { outcome: "pain", better: "lower", mcid: "1" },
    );
    expect(big?.status()).toBe(400);
    expect(await page.locator("#field-file .field-error").innerText()).toMatch(/larger than 2 MB/);

    await page.goto(`${server.url}/experiments`);
    expect(await page.locator("main").innerText()).toContain("You have no experiments yet.");
  });

  it("lands on the experiment, labelled, with the results matwise analyze gives for the uploaded file", async () => {
    const text = diary();
    const path = join(dir, "my diary.csv");
    writeFileSync(path, text);
    // Without JavaScript, signed in as the same person.
    const noScript = await browser.newContext({
      ...PHONE,
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    const plain = await noScript.newPage();
    await plain.goto(`${server.url}/experiments/import`);
    const landed = await submit(plain, { name: "my diary.csv", text }, { outcome: "pain", better: "lower", mcid: "1" });
    expect(landed?.status()).toBe(200);
    expect(plain.url()).toMatch(/\/experiments\/[0-9a-f-]{36}$/);
    experimentUrl = plain.url();
    await noScript.close();
    await page.goto(experimentUrl);
    await expectNoA11yViolations(page);
    expect(await fitsThePhone()).toBeLessThanOrEqual(390);
    expect(await page.locator("h1").innerText()).toBe("Pain: brought in from my diary.csv");
    expect(await page.locator(".callout.imported").innerText()).toContain("Not pre-registered in matwise.");
    expect(await page.locator(".today, form.check-in, details.end").count()).toBe(0);
    expect(await page.locator("#file-title + p").innerText()).toContain("71 days");

    const results = (await (await page.request.get(`${experimentUrl}/results.json`)).json()) as {
      analysis: { verdict: string; benefit: number; design: unknown };
      analysisSeed: number;
      preRegisteredInMatwise: boolean;
      command: string;
    };
    expect(results.preRegisteredInMatwise).toBe(false);
    const cli = analyze(path, "--better", "lower", "--mcid", "1", "--seed", String(results.analysisSeed), "--json");
    expect(cli.status, cli.stderr).toBe(0);
    expect(results.analysis).toEqual(JSON.parse(cli.stdout));
    expect(results.analysis.design).toEqual({ blocks: 12, periods: 24, period_days: { min: 2, max: 3 } });

    // data.csv gives the same analysis again.
    const dataPath = join(dir, "data.csv");
    writeFileSync(dataPath, await (await page.request.get(`${experimentUrl}/data.csv`)).text());
    const again = analyze(
      dataPath,
      "--better",
      "lower",
      "--mcid",
      "1",
      "--seed",
      String(results.analysisSeed),
      "--json",
    );
    expect(JSON.parse(again.stdout)).toEqual(results.analysis);

    const verdict = results.analysis.verdict as Parameters<typeof verdictSentence>[0];
    expect(verdict).not.toBe("not-enough-data"); // 12 complete pairs of periods
    expect(await page.locator(".verdict").innerText()).toBe(
      verdictSentence(verdict, { outcome: "pain", comparator: "imported", mcid: 1, unit: "points", pairsNeeded: 0 }),
    );
    await page.goto(`${server.url}/experiments`);
    expect(await page.locator(".experiment-list").innerText()).toContain("not pre-registered in matwise");
    await page.goto(`${experimentUrl}/report`);
    expect(await page.locator("main").innerText()).toContain("Not pre-registered in matwise.");
    await expectNoA11yViolations(page);
  });

  it("is not there for anyone else", async () => {
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
    for (const path of ["", "/data.csv", "/all.csv", "/results.json", "/report"])
      expect((await stranger.request.get(`${experimentUrl}${path}`)).status(), path).toBe(404);
    await other.close();
  });
});
