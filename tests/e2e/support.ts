/**
 * Shared support for browser tests: start the built server on a free port with its own
 * data directory, launch Debian's chromium through playwright-core, and run axe.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";

export {
  chromiumPath,
  CHROMIUM_FLAGS,
  freePort,
  ROOT,
  startServer,
  type RunningServer,
  type StartOptions,
} from "../../scripts/lib/matwise-process";
import { createFreshPostgres, type FreshPostgres } from "../../src/server/db/fresh-postgres";
import {
  chromiumPath,
  CHROMIUM_CANDIDATES,
  CHROMIUM_FLAGS,
  startServer,
  type RunningServer,
  type StartOptions,
} from "../../scripts/lib/matwise-process";

/** `describe` that is skipped, with a printed reason, when no chromium is installed. */
export function describeBrowser(name: string, fn: () => void): void {
  if (!chromiumPath) {
    console.warn(
      `[e2e] browser tests skipped: no chromium found (looked in ${CHROMIUM_CANDIDATES.filter(Boolean).join(", ")}). Install it with: apt-get install -y chromium`,
    );
  }
  describe.skipIf(!chromiumPath)(name, fn);
}

/**
 * For a `describe` whose tests are steps of one story (each builds on what the one before made):
 * once a step fails, the later steps are skipped, saying which step broke the story, instead of
 * failing one after another for a reason that is not theirs. Call it once inside the `describe`.
 */
export function skipStepsAfterAFailure(): void {
  let broken: string | null = null;
  beforeEach((ctx) => {
    if (broken !== null) ctx.skip(`an earlier step of this story failed: "${broken}"`);
    ctx.onTestFailed(() => {
      broken ??= ctx.task.name;
    });
  });
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error("no chromium installed");
  return chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_FLAGS,
  });
}

/** Runs axe on the page and fails with a readable list when anything is violated. */
export async function expectNoA11yViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const lines = result.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? "?"}): ${v.help}\n  ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 5)
        .join("\n  ")}`,
  );
  expect(lines, `axe violations on ${page.url()}`).toEqual([]);
}

/** Posts a form the way a page of the same site would (Origin set); keeps status, location, cookies and body. */
export async function postForm(
  base: string,
  path: string,
  fields: Record<string, string> | [string, string][],
  cookie = "",
) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie },
    body: new URLSearchParams(fields).toString(),
  });
  const cookies = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { status: res.status, location: res.headers.get("location"), cookies, text: await res.text() };
}

/** Creates an account through the sign-up form and returns its session cookie. */
export async function signUpAs(base: string, email: string, password = "a long enough passphrase"): Promise<string> {
  const res = await postForm(base, "/account/sign-up", {
    name: email.split("@")[0] ?? "x",
    email,
    password,
    confirm: password,
  });
  if (res.status !== 303 || !res.cookies)
    throw new Error(`sign-up of ${email} failed with ${res.status}: ${res.text.slice(0, 200)}`);
  return res.cookies;
}

/**
 * Starts the built server and a browser for the enclosing `describe`, and stops both after it.
 * Read `ctx.server` and `ctx.browser` inside tests and hooks.
 */
/**
 * Two servers on one fresh PostgreSQL database beside TEST_DATABASE_URL's, for the enclosing
 * `describe` (call it inside `describe.skipIf(!process.env.TEST_DATABASE_URL)`). Read `ctx.a`,
 * `ctx.b` and `ctx.url` (the database) inside tests.
 */
export function useTwoServersOnPostgres(): { a: RunningServer; b: RunningServer; url: string } {
  const ctx = {} as { a: RunningServer; b: RunningServer; url: string };
  let fresh: FreshPostgres | null = null;
  beforeAll(async () => {
    fresh = await createFreshPostgres(process.env.TEST_DATABASE_URL ?? "", "matwise_e2e");
    ctx.url = fresh.url;
    ctx.a = await startServer({ env: { DATABASE_URL: fresh.url } });
    ctx.b = await startServer({ env: { DATABASE_URL: fresh.url } });
  });
  afterAll(async () => {
    await ctx.a?.stop();
    await ctx.b?.stop();
    await fresh?.drop();
  });
  return ctx;
}

export function useServerAndBrowser(opts: StartOptions = {}): { server: RunningServer; browser: Browser } {
  const ctx = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    ctx.server = await startServer(opts);
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
  });
  return ctx;
}
