/**
 * Shared support for browser tests: start the built server on a free port with its own
 * data directory, launch Debian's chromium through playwright-core, and run axe.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { afterAll, beforeAll, describe, expect } from "vitest";

export const ROOT = resolve(import.meta.dirname, "../..");

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];
/** The chromium executable, or null when none is installed. */
export const chromiumPath: string | null = CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;

/** `describe` that is skipped, with a printed reason, when no chromium is installed. */
export function describeBrowser(name: string, fn: () => void): void {
  if (!chromiumPath) {
    console.warn(`[e2e] browser tests skipped: no chromium found (looked in ${CANDIDATES.filter(Boolean).join(", ")}). Install it with: apt-get install -y chromium`);
  }
  describe.skipIf(!chromiumPath)(name, fn);
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error("no chromium installed");
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string>;
  /** Wait for /healthz (default true). When false, resolves right after spawning. */
  waitReady?: boolean;
  /** A port chosen beforehand (see freePort), when the address must be known before start. */
  port?: number;
}

/** Starts `matwise serve` from the build in dist/ (run `npm run build` first). */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(join(ROOT, "dist/server/entry.mjs"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), "matwise-e2e-")), "db");
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: "127.0.0.1", MATWISE_DATA_DIR: dataDir, NODE_ENV: "production", ...opts.env };
  if (!opts.env?.DATABASE_URL) delete env.DATABASE_URL;
  const proc = spawn(process.execPath, [join(ROOT, "bin/matwise.mjs"), "serve"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((ok) => proc.once("exit", (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    url,
    port,
    dataDir,
    proc,
    output: () => out,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  if (opts.waitReady === false) return server;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early with ${proc.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await server.stop("SIGKILL");
      throw new Error(`server did not become ready in 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Runs axe on the page and fails with a readable list when anything is violated. */
export async function expectNoA11yViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const lines = result.violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n  ")}`);
  expect(lines, `axe violations on ${page.url()}`).toEqual([]);
}

/** Posts a form the way a page of the same site would (Origin set); keeps status, location, cookies and body. */
export async function postForm(base: string, path: string, fields: Record<string, string> | [string, string][], cookie = "") {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie },
    body: new URLSearchParams(fields).toString(),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { status: res.status, location: res.headers.get("location"), cookies, text: await res.text() };
}

/** Creates an account through the sign-up form and returns its session cookie. */
export async function signUpAs(base: string, email: string, password = "a long enough passphrase"): Promise<string> {
  const res = await postForm(base, "/account/sign-up", { name: email.split("@")[0] ?? "x", email, password, confirm: password });
  if (res.status !== 303 || !res.cookies) throw new Error(`sign-up of ${email} failed with ${res.status}: ${res.text.slice(0, 200)}`);
  return res.cookies;
}

/**
 * Starts the built server and a browser for the enclosing `describe`, and stops both after it.
 * Read `ctx.server` and `ctx.browser` inside tests and hooks.
 */
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
