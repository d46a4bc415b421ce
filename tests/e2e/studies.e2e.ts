/**
 * Research studies end to end on a 390 px phone: a researcher sets up a study and invites;
 * participants join, consent item by item, answer eligibility (one is excluded) and get their
 * own experiment; three run compressed experiments (past days seeded through the repositories
 * while the server is stopped, never through a route); one withdraws with deletion in two
 * taps. The monitor shows the counts and the flow, and pooled.json equals `matwise pool` on
 * the downloaded effects.csv. Nobody else sees any study route.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { addDays } from "../../src/core/datetime";
import type { CheckIn } from "../../src/core/experiments/days";
import { freezeProtocol, type Protocol } from "../../src/core/experiments/protocol";
import { createSchedule } from "../../src/core/experiments/schedule";
import { createSeededRng } from "../../src/core/stats/rng";
import { openPglite } from "../../src/server/db/client";
import { createExperiment } from "../../src/server/repositories/experiments";
import {
  attachExperiment,
  createInvitation,
  getParticipation,
  listConsentVersions,
  recordConsent,
} from "../../src/server/repositories/studies";
import { user } from "../../src/server/db/schema";
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
const tag = randomBytes(3).toString("hex");

describeBrowser("research studies", () => {
  // The steps below are one story, each building on the one before: after a failure the rest are skipped.
  skipStepsAfterAFailure();
  const dataDir = join(mkdtempSync(join(tmpdir(), "matwise-study-")), "db");
  let server: RunningServer;
  let browser: Browser;
  let researcher: Page;
  let studyPath = "";
  let joinPath = "";
  const people: Record<string, { email: string; context: BrowserContext; page: Page }> = {};

  beforeAll(async () => {
    server = await startServer({ dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signUp(name: string, next: string): Promise<Page> {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const email = `${name.toLowerCase()}${tag}@example.com`;
    await page.goto(`${server.url}/account/sign-up?next=${encodeURIComponent(next)}`);
    for (const [field, value] of Object.entries({ name, email, password: PASSWORD, confirm: PASSWORD }))
      await page.fill(`[name="${field}"]`, value);
    await Promise.all([page.waitForURL((u) => u.pathname === next.split("?")[0]), page.click("button[type=submit]")]);
    people[name] = { email, context, page };
    return page;
  }

  it("a researcher sets up a study with a frozen protocol, consent and eligibility, and gets an invitation link", async () => {
    researcher = await signUp("Rita", "/studies/new");
    await expectNoA11yViolations(researcher);
    await researcher.fill("#title", "Mats and back pain");
    await researcher.fill("#question", "Does the mat ease back pain more than lying still without it?");
    await researcher.fill("#contact", "rita@example.org");
    await researcher.fill("#pairs", "8");
    await researcher.fill(
      "#consent",
      "I agree to share my daily study ratings under a code name.\n\nI know I can leave at any time.",
    );
    await researcher.fill("#screen1", "Are you pregnant?");
    await researcher.check('input[name="exclude1"][value="yes"]');
    await researcher.fill("#targetSize", "10");
    await researcher.fill("#endsOn", addDays(today, 60));
    await Promise.all([
      researcher.waitForURL(/\/studies\/[0-9a-f-]{36}\?created=1/),
      researcher.click('button:has-text("Create the study")'),
    ]);
    studyPath = new URL(researcher.url()).pathname;
    const joinUrl = new URL(await researcher.locator(".join-url").innerText());
    expect(joinUrl.origin).toBe(new URL(server.url).origin); // the address people were given works here
    joinPath = joinUrl.pathname;
    expect(joinPath).toMatch(/^\/join\/[A-Za-z0-9_-]{16}$/);
    await expectNoA11yViolations(researcher);
  });

  /** Signs up, saves a safety check, reads the study page and agrees to each consent item, then answers the screening. */
  async function joinAndScreen(name: string, pregnant: "yes" | "no"): Promise<Page> {
    const page = await signUp(name, joinPath);
    const saved = await page.request.post(`${server.url}/account/safety-checks`, {
      form: Object.fromEntries(unconditional.map((id) => [id, "no"])),
      headers: { origin: server.url },
      maxRedirects: 0,
    });
    expect(saved.status()).toBe(303);
    await page.goto(`${server.url}${joinPath}`);
    await Promise.all([page.waitForURL(/step=consent&item=1/), page.click('a:has-text("Read the consent")')]);
    if (name === "Ann") await expectNoA11yViolations(page);
    expect(await page.locator(".consent-item").innerText()).toContain("code name");
    await Promise.all([page.waitForURL(/item=2/), page.click('button:has-text("I agree")')]);
    await Promise.all([page.waitForURL(/step=eligibility/), page.click('button:has-text("I agree")')]);
    if (name === "Ann") await expectNoA11yViolations(page);
    await page.check(`input[name="q1"][value="${pregnant}"]`);
    await Promise.all([page.waitForURL(/step=(start|excluded)/), page.click('button:has-text("Continue")')]);
    return page;
  }

  it("participants join and consent item by item; one is excluded, one starts an own experiment here", async () => {
    for (const name of ["Ann", "Bob", "Cid"]) expect((await joinAndScreen(name, "no")).url()).toContain("step=start");
    const dee = await joinAndScreen("Dee", "no");
    await expectNoA11yViolations(dee);
    await dee.locator('.scale label:has(input[name="expectation"][value="6"])').click();
    await Promise.all([
      dee.waitForURL(/\/experiments\/[0-9a-f-]{36}\?joined=1/),
      dee.click('button:has-text("Start my experiment")'),
    ]);
    expect(await dee.locator(".study-link").innerText()).toContain("Mats and back pain");
    const eve = await joinAndScreen("Eve", "yes");
    expect(eve.url()).toContain("step=excluded");
    // What was agreed can be printed and downloaded.
    await dee.goto(`${server.url}${studyPath}/consent`);
    expect(await dee.locator(".consent-version").innerText()).toContain("I know I can leave at any time.");
    const text = await (await dee.request.get(`${server.url}${studyPath}/consent.txt`)).text();
    expect(text).toMatch(/Consent version 1, agreed .*fingerprint SHA-256 [0-9a-f]{64}/);
  });

  it("three compressed experiments (seeded), one withdrawal with deletion, and a monitor that counts them and pools as matwise pool does", async () => {
    // Seed the past through the repositories while the server is stopped (PGlite has one owner).
    await server.stop();
    const handle = await openPglite(dataDir);
    const studyId = studyPath.split("/").pop()!;
    const experiments: Record<string, string> = {};
    for (const [i, name] of ["Ann", "Bob", "Cid"].entries()) {
      const userId = (
        await handle.pglite!.query<{ id: string }>(`select id from "user" where email = $1`, [people[name]!.email])
      ).rows[0]!.id;
      const participation = (await getParticipation(handle.db, userId, studyId))!;
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
        pairs: 8,
        washout: false,
        startsOn: addDays(today, -20),
        timeZone: "UTC",
        expectation: 5,
      };
      const schedule = createSchedule(protocol, 100 + i);
      const rng = createSeededRng(7 + i);
      const recorded = new Map<string, CheckIn>();
      for (const d of schedule) {
        if (d.kind !== "period") continue;
        const pain = Math.max(0, Math.min(10, Math.round(6 - (d.condition === "A" ? 0.5 + i : 0) + rng.normal())));
        recorded.set(d.date, { date: d.date, recordedOn: d.date, adherence: "as-assigned", values: { pain } });
      }
      experiments[name] = await createExperiment(handle.db, userId, {
        frozen: freezeProtocol(protocol),
        frozenAt: new Date(`${protocol.startsOn}T08:00:00Z`),
        scheduleSeed: 100 + i,
        analysisSeed: 500 + i,
        source: "matwise",
        schedule,
        recorded,
      });
      await attachExperiment(handle.db, userId, participation.id, experiments[name]);
    }
    await handle.close();
    server = await startServer({ dataDir });

    // Cid leaves in two taps from the experiment page and has what was shared deleted.
    const cid = people["Cid"]!.page;
    await cid.goto(`${server.url}/experiments/${experiments["Cid"]}`);
    await Promise.all([cid.waitForURL(/\/withdraw$/), cid.click("a.leave-study")]);
    await expectNoA11yViolations(cid);
    await Promise.all([
      cid.waitForURL(/withdrew=delete/),
      cid.click('button:has-text("Leave and delete what I shared")'),
    ]);
    expect(await cid.locator(".study-link").count()).toBe(0);

    await researcher.goto(`${server.url}${studyPath}`);
    await expectNoA11yViolations(researcher);
    const count = async (k: string) => Number(await researcher.locator(`[data-count="${k}"]`).innerText());
    expect({
      invited: await count("invited"),
      consented: await count("consented"),
      excluded: await count("excluded"),
      active: await count("active"),
      inactive: await count("inactive"),
      withdrawn: await count("withdrawn"),
      completed: await count("completed"),
    }).toEqual({ invited: 5, consented: 5, excluded: 1, active: 1, inactive: 0, withdrawn: 1, completed: 2 });
    expect(await researcher.locator("#counts-title + dl + p").innerText()).toContain(
      "answered yes to “Are you pregnant?” (1)",
    );
    const flow = await researcher.locator(".flow-text").innerText();
    expect(flow).toContain("Started an own randomized experiment: 4");
    expect(flow).toContain("Withdrew: 1 (data kept to that day: 0; data deleted: 1)");
    expect(flow).toContain("In the pooled analysis: 2");
    expect(await researcher.locator(".flow svg title").textContent()).toBe("Participant flow");
    // Someone is still taking part (one active), so the pooled result says it is interim and what repeated looks do.
    expect(await researcher.locator("#pooled-interim").innerText()).toMatch(
      /^Interim\. 1 person is still taking part, so these results will change/,
    );
    expect(await researcher.locator(".grid tbody th").allInnerTexts()).toEqual(["P001", "P002", "P004", "P005"]);
    const page = await researcher.content();
    for (const secret of ["Ann", "Bob", "Cid", "Dee", "Eve"]) expect(page).not.toContain(people[secret]!.email);

    const csv = await (await researcher.request.get(`${server.url}${studyPath}/effects.csv`)).text();
    expect(csv.split("\r\n")[0]).toBe("id,effect,se");
    expect(
      csv
        .trim()
        .split("\r\n")
        .slice(1)
        .map((l) => l.split(",")[0]),
    ).toEqual(["P001", "P002"]);
    const file = join(mkdtempSync(join(tmpdir(), "matwise-study-csv-")), "effects.csv");
    writeFileSync(file, csv);
    for (const method of ["REML", "DL"]) {
      const pooled = (await (
        await researcher.request.get(`${server.url}${studyPath}/pooled.json${method === "DL" ? "?method=DL" : ""}`)
      ).json()) as { estimate: number; k: number; ci95: [number, number]; pi95: [number, number]; tau2: number };
      const cli = spawnSync(
        process.execPath,
        [join(ROOT, "bin/matwise.mjs"), "pool", file, "--method", method, "--json"],
        { cwd: ROOT, encoding: "utf8" },
      );
      expect(cli.status, cli.stderr).toBe(0);
      expect(pooled).toEqual(JSON.parse(cli.stdout));
      if (method === "REML") {
        expect(pooled.k).toBe(2);
        // Every pooled number the page shows is the command's, rounded as the page rounds.
        expect(await researcher.locator(".pooled-estimate").innerText()).toBe(
          `${pooled.estimate.toFixed(2)} (95 % CI ${pooled.ci95[0].toFixed(2)} to ${pooled.ci95[1].toFixed(2)})`,
        );
        expect(await researcher.locator(".pooled-pi").innerText()).toBe(
          `${pooled.pi95[0].toFixed(2)} to ${pooled.pi95[1].toFixed(2)}`,
        );
        expect(await researcher.locator(".pooled-tau2").innerText()).toBe(pooled.tau2.toFixed(3));
      }
    }
    expect(await researcher.locator(".forest svg desc").textContent()).toContain("prediction interval");
    expect(await researcher.locator(".forest-table tbody tr").count()).toBe(2);

    const zip = await researcher.request.get(`${server.url}${studyPath}/export.zip`);
    expect(zip.headers()["cache-control"]).toBe("private, no-store");
    const files = unzipSync(new Uint8Array(await zip.body()));
    expect(Object.keys(files).sort()).toEqual([
      "README.txt",
      "consent-versions.json",
      "days.csv",
      "effects.csv",
      "protocol.json",
    ]);
    expect(new TextDecoder().decode(files["effects.csv"])).toBe(csv);
  });

  it("every study page passes axe and fits a 320 px screen, light and dark", async () => {
    const dee = people["Dee"]!.page;
    const checks: [Page, string][] = [
      [researcher, "/studies"],
      [researcher, "/studies/new"],
      [researcher, studyPath],
      [dee, joinPath],
      [dee, `${studyPath}/consent`],
      [dee, `${studyPath}/withdraw`],
    ];
    for (const scheme of ["light", "dark"] as const) {
      for (const [page, path] of checks) {
        await page.setViewportSize({ width: 320, height: 640 });
        await page.emulateMedia({ colorScheme: scheme });
        expect((await page.goto(`${server.url}${path}`))?.status(), path).toBe(200);
        await expectNoA11yViolations(page);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${path} in ${scheme}`).toBe(0);
      }
    }
  });

  it("nobody but the study's researchers sees its routes, and only a participant sees their own consent", async () => {
    const ann = people["Ann"]!.page;
    const mal = await signUp("Mal", "/account");
    for (const outsider of [ann, mal]) {
      for (const path of ["", "/effects.csv", "/pooled.json", "/export.zip"]) {
        const res = await outsider.request.get(`${server.url}${studyPath}${path}`);
        expect(res.status(), path).toBe(404);
        expect(res.headers()["cache-control"]).toBe("private, no-store");
      }
      const invite = await outsider.request.post(`${server.url}${studyPath}`, {
        form: { intent: "invite", kind: "person" },
        headers: { origin: server.url },
        maxRedirects: 0,
      });
      expect(invite.status()).toBe(404);
      const add = await outsider.request.post(`${server.url}${studyPath}`, {
        form: { intent: "add-researcher", email: people["Mal"]!.email },
        headers: { origin: server.url },
        maxRedirects: 0,
      });
      expect(add.status()).toBe(404);
    }
    for (const path of ["/consent", "/consent.txt", "/withdraw"])
      expect((await mal.request.get(`${server.url}${studyPath}${path}`)).status(), path).toBe(404);
    expect(
      (
        await mal.request.post(`${server.url}${studyPath}/withdraw`, {
          form: { choice: "delete" },
          headers: { origin: server.url },
          maxRedirects: 0,
        })
      ).status(),
    ).toBe(404);
    expect((await mal.request.get(`${server.url}/join/AAAAAAAAAAAAAAAA`)).status()).toBe(404);
    expect((await ann.request.get(`${server.url}${studyPath}/consent`)).status()).toBe(200);
    // A mistyped address is refused beside its field, kept as typed, and adds nobody; the consent text has no padding.
    await researcher.goto(`${server.url}${studyPath}`);
    await expect(researcher.locator("#field-consent").inputValue()).resolves.toMatch(/^\S[\s\S]*\S$/);
    await researcher.evaluate(() => [...document.forms].forEach((f) => (f.noValidate = true)));
    await researcher.fill("#field-email", "mal-at-example");
    const [refused] = await Promise.all([
      researcher.waitForResponse((r) => r.request().method() === "POST"),
      researcher.click('form:has(#field-email) button[type="submit"]'),
    ]);
    expect(refused.status()).toBe(400);
    await researcher.waitForLoadState("load");
    await expect(researcher.locator("#field-email-error").innerText()).resolves.toBe(
      "Give the email address of their matwise account.",
    );
    await expect(researcher.locator("#field-email").inputValue()).resolves.toBe("mal-at-example");
    await expect(researcher.locator("#field-email").getAttribute("aria-describedby")).resolves.toBe(
      "field-email-error",
    );
    // The summary at the top links to the field it names (it once pointed at an id no element had).
    const summaryLink = await researcher.locator('.form-message a[href^="#"]').first().getAttribute("href");
    expect(summaryLink).toBe("#field-email");
    await expect(researcher.locator(summaryLink ?? "#none").count()).resolves.toBe(1);
    await expect(researcher.locator("main").innerText()).resolves.toContain("1 researcher sees this page.");
    // The researcher adds Mal as a co-researcher, who then sees the monitor.
    const added = await researcher.request.post(`${server.url}${studyPath}`, {
      form: { intent: "add-researcher", email: people["Mal"]!.email },
      headers: { origin: server.url },
      maxRedirects: 0,
    });
    expect(added.status()).toBe(303);
    expect((await mal.request.get(`${server.url}${studyPath}`)).status()).toBe(200);
    // Signed out: sent to sign in, nothing shown.
    const visitor = await (
      await browser.newContext()
    ).request.get(`${server.url}${studyPath}/effects.csv`, { maxRedirects: 0 });
    expect([401, 303, 302]).toContain(visitor.status());
  });

  it("pages the adherence grid and the table of each person 50 at a time, with plain links, on a 320 px screen", async () => {
    // 55 more people consent (seeded while the server is stopped), so the participants fill two pages.
    await server.stop();
    const handle = await openPglite(dataDir);
    const studyId = studyPath.split("/").pop()!;
    const researcherId = (
      await handle.pglite!.query<{ id: string }>(`select id from "user" where email = $1`, [people["Rita"]!.email])
    ).rows[0]!.id;
    const code = randomBytes(12).toString("base64url");
    const codeHash = createHash("sha256").update(code).digest("hex");
    await createInvitation(handle.db, researcherId, studyId, { codeHash, kind: "study", label: "many" });
    const consent = (await listConsentVersions(handle.db, researcherId, studyId)).at(-1)!;
    const ids = Array.from({ length: 55 }, (_, i) => `many-${tag}-${i}`);
    await handle.db.insert(user).values(ids.map((id) => ({ id, name: id, email: `${id}@example.com` })));
    for (const id of ids)
      await recordConsent(handle.db, id, {
        invitationCodeHash: codeHash,
        version: consent.version,
        hash: consent.hash,
        now: new Date(),
      });
    await handle.close();
    server = await startServer({ dataDir });

    const context = await browser.newContext({ ...PHONE, viewport: { width: 320, height: 640 } });
    await context.addCookies(
      (await people["Rita"]!.context.cookies()).map((c) => ({ ...c, domain: new URL(server.url).hostname })),
    );
    const page = await context.newPage();
    await page.goto(`${server.url}${studyPath}`);
    const total =
      Number(await page.locator('[data-count="consented"]').innerText()) +
      Number(await page.locator('[data-count="excluded"]').innerText());
    expect(await page.locator(".grid tbody tr").count()).toBe(50);
    expect(await page.locator(".page-range").innerText()).toMatch(/^Participants 1 to 50 of \d+, 50 to a page;/);
    expect(await page.locator('nav[aria-label="Pages of the adherence table"] a[rel="prev"]').count()).toBe(0);
    await expectNoA11yViolations(page);
    await Promise.all([
      page.waitForURL(/\?page=2$/),
      page.locator('nav[aria-label="Pages of the adherence table"] a[rel="next"]').click(),
    ]);
    const second = await page.locator(".grid tbody th").allInnerTexts();
    expect(second.length).toBeGreaterThan(0);
    expect(50 + second.length).toBeGreaterThanOrEqual(55);
    // The counts are everyone's on every page; only the grid and the table are paged.
    expect(
      Number(await page.locator('[data-count="consented"]').innerText()) +
        Number(await page.locator('[data-count="excluded"]').innerText()),
    ).toBe(total);
    expect(await page.locator(".forest-table tbody tr").count()).toBe(0); // the two analysed people are on page 1
    await expectNoA11yViolations(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(
      0,
    );
    await Promise.all([
      page.waitForURL((u) => u.pathname === studyPath && u.search === ""),
      page.locator('nav[aria-label="Pages of the adherence table"] a[rel="prev"]').click(),
    ]);
    expect(await page.locator(".grid tbody th").first().innerText()).toBe("P001");
    await context.close();
  });
});
