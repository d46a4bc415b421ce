/**
 * Accounts end to end: sign up, sign in on a second browser, export, change password,
 * sign out everywhere, delete; limits; cross-site form posts; two servers on one PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_SCHEMA_VERSION } from "../../src/server/repositories/personal-data";
import {
  describeBrowser,
  expectNoA11yViolations,
  postForm,
  startServer,
  type RunningServer,
  useServerAndBrowser,
  useTwoServersOnPostgres,
} from "./support";

const PASSWORD = "a long enough passphrase";

async function fill(page: Page, fields: Record<string, string>) {
  for (const [name, value] of Object.entries(fields)) await page.fill(`[name="${name}"]`, value);
}

describeBrowser("accounts in a browser", () => {
  const ctx = useServerAndBrowser();

  it("signs up, signs in elsewhere, exports, changes password, signs out everywhere and deletes", async () => {
    const email = `p${randomBytes(4).toString("hex")}@example.com`;
    const first = await ctx.browser.newContext();
    const page = await first.newPage();

    // Bad input first: the form comes back with a message per field and nothing is created.
    await page.goto(`${ctx.server.url}/account/sign-up`);
    await expectNoA11yViolations(page);
    await fill(page, { name: "", email: "not-an-email", password: "short", confirm: "other" });
    const bad = await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    expect(bad[0]?.status()).toBe(400);
    await expect(page.locator("#field-email-error").innerText()).resolves.toContain("email address");
    await expect(page.locator("#field-password-error").innerText()).resolves.toContain("at least 10");
    await expectNoA11yViolations(page);

    await fill(page, { name: "Pat", email, password: PASSWORD, confirm: PASSWORD });
    await Promise.all([page.waitForURL(`${ctx.server.url}/account`), page.click("button[type=submit]")]);
    await expect(page.locator("main").innerText()).resolves.toContain(email);
    await expectNoA11yViolations(page);
    // The signed-in pages for saved checks and own mats pass axe, including a form with errors.
    for (const path of ["/account/safety-checks", "/mats/mine"]) {
      await page.goto(`${ctx.server.url}${path}`);
      await expectNoA11yViolations(page);
    }
    await fill(page, { name: "M", spikeCount: "lots" });
    await Promise.all([page.waitForNavigation(), page.click("text=Add this mat")]);
    await expect(page.locator("#field-spikeCount-error").innerText()).resolves.toContain("whole number");
    await expectNoA11yViolations(page);

    // The same email cannot sign up twice.
    const again = await postForm(ctx.server.url, "/account/sign-up", {
      name: "X",
      email,
      password: PASSWORD,
      confirm: PASSWORD,
    });
    expect(again.status).toBe(400);
    expect(again.text).toContain("already exists");

    // A second browser signs in; the account lists two devices.
    const second = await ctx.browser.newContext();
    const page2 = await second.newPage();
    await page2.goto(`${ctx.server.url}/account/sign-in`);
    await expectNoA11yViolations(page2);
    await fill(page2, { email, password: "wrong password!" });
    await Promise.all([page2.waitForNavigation(), page2.click("button[type=submit]")]);
    await expect(page2.locator("[role=alert]").innerText()).resolves.toContain("not right");
    await fill(page2, { email, password: PASSWORD });
    await Promise.all([page2.waitForURL(`${ctx.server.url}/account`), page2.click("button[type=submit]")]);
    expect(await page2.locator(".devices li").count()).toBe(2);
    // Devices in words: "Chrome on Linux (this device), in use now", never the raw user agent.
    const devices = await page2.locator(".devices").innerText();
    expect(devices).toMatch(/Chrome on Linux \(this device\), in use now/);
    expect(devices).toMatch(/Chrome on Linux, last used (just now|\d+ minutes? ago)/);
    expect(devices).not.toContain("Mozilla");

    // Export: JSON and zip, complete and versioned.
    const json = await page.request.get(`${ctx.server.url}/account/export.json`);
    expect(json.status()).toBe(200);
    const data = (await json.json()) as { schemaVersion: number; user: { email: string }; devices: unknown[] };
    expect(data.schemaVersion).toBe(EXPORT_SCHEMA_VERSION);
    expect(data.user.email).toBe(email);
    expect(data.devices).toHaveLength(2);
    const zip = await page.request.get(`${ctx.server.url}/account/export.zip`);
    expect(Object.keys(unzipSync(new Uint8Array(await zip.body())))).toContain("user.csv");
    expect((await fetch(`${ctx.server.url}/account/export.json`)).status).toBe(401);

    // Change the password, keeping other devices signed in.
    await page.goto(`${ctx.server.url}/account/password`);
    await expectNoA11yViolations(page);
    await fill(page, {
      currentPassword: PASSWORD,
      newPassword: "another long passphrase",
      confirm: "another long passphrase",
    });
    await page.uncheck("[name=signOutOthers]");
    await Promise.all([page.waitForURL(/\/account\?changed=password/), page.click("button[type=submit]")]);

    // Sign out everywhere: the second browser is signed out too.
    await Promise.all([page.waitForURL(/sign-in\?signed-out=everywhere/), page.click("text=Sign out on every device")]);
    await page2.goto(`${ctx.server.url}/account`);
    expect(page2.url()).toContain("/account/sign-in");

    // Delete: the wrong password changes nothing; the right one erases the account.
    await page.goto(`${ctx.server.url}/account/sign-in`);
    await fill(page, { email, password: "another long passphrase" });
    await Promise.all([page.waitForURL(`${ctx.server.url}/account`), page.click("button[type=submit]")]);
    await page.goto(`${ctx.server.url}/account/delete`);
    await expectNoA11yViolations(page);
    await fill(page, { password: "not my password", confirm: "delete" });
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    await expect(page.locator("#field-password-error").innerText()).resolves.toContain("not your password");
    await fill(page, { password: "another long passphrase", confirm: "delete" });
    await Promise.all([page.waitForURL(`${ctx.server.url}/account/deleted`), page.click("button[type=submit]")]);
    const gone = await postForm(ctx.server.url, "/account/sign-in", { email, password: "another long passphrase" });
    expect(gone.status).toBe(400);

    await first.close();
    await second.close();
  });
});

describe("account protections", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses a cross-site form post and changes nothing", async () => {
    const res = await fetch(`${server.url}/account/sign-up`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({
        name: "E",
        email: "evil@example.com",
        password: PASSWORD,
        confirm: PASSWORD,
      }).toString(),
    });
    expect(res.status).toBe(403);
    const signIn = await postForm(server.url, "/account/sign-in", { email: "evil@example.com", password: PASSWORD });
    expect(signIn.status).toBe(400);
  });

  it("limits sign-in attempts per account, whatever the password", async () => {
    const email = `limit${randomBytes(3).toString("hex")}@example.com`;
    const made = await postForm(server.url, "/account/sign-up", {
      name: "L",
      email,
      password: PASSWORD,
      confirm: PASSWORD,
    });
    expect(made.status).toBe(303);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++)
      statuses.push(
        (await postForm(server.url, "/account/sign-in", { email, password: `wrong ${i} password` })).status,
      );
    expect(statuses.slice(0, 8).every((s) => s === 400)).toBe(true);
    expect(statuses[8]).toBe(429);
    const locked = await postForm(server.url, "/account/sign-in", { email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain("Too many attempts");
  });

  it("sends personal pages to sign-in when nobody is signed in", async () => {
    for (const path of ["/account", "/account/password", "/account/delete"]) {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location")).toContain("/account/sign-in?next=");
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("two servers on one PostgreSQL", () => {
  const servers = useTwoServersOnPostgres();

  it("accepts on one server a session created through the other", async () => {
    const email = `two${randomBytes(3).toString("hex")}@example.com`;
    const { a, b } = servers;
    const made = await postForm(a.url, "/account/sign-up", {
      name: "Two",
      email,
      password: PASSWORD,
      confirm: PASSWORD,
    });
    expect(made.status, a.output()).toBe(303);
    expect(made.cookies).toContain("session_token");
    const page = await fetch(`${b.url}/account`, { headers: { cookie: made.cookies }, redirect: "manual" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);
  });
});
