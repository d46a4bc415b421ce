/**
 * Starting `matwise serve` from the build for the benchmarks, on a free loopback port with a
 * throw-away data directory. (tests/e2e/support.ts does the same but imports vitest, which
 * refuses to load outside the test runner.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = process.cwd();

/** Debian's chromium and the flags every browser benchmark uses. */
export const CHROMIUM_PATH = [process.env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p): p is string => !!p && existsSync(p)) ?? null;
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function getFreePort(): Promise<number> {
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

export interface BenchServer {
  url: string;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Waits until `url` answers 2xx, or fails after `timeoutMs` (or when the process ends). */
export async function waitForUrl(url: string, proc: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early with ${proc.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    proc.once("exit", () => {
      clearTimeout(timer);
      ok();
    });
    proc.kill("SIGTERM");
  });
}

/** Starts `node bin/matwise.mjs serve` on the build in dist/ and waits for /healthz. */
export async function startMatwise(): Promise<BenchServer> {
  const port = await getFreePort();
  const base = mkdtempSync(join(tmpdir(), "matwise-bench-"));
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: "127.0.0.1", MATWISE_DATA_DIR: join(base, "db"), NODE_ENV: "production" };
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, [join(ROOT, "bin/matwise.mjs"), "serve"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(proc);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitForUrl(`${url}/healthz`, proc, () => out);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, proc, stop };
}

/** Starts any server process and waits until `readyPath` answers. */
export async function startProcess(command: string, args: string[], url: string, readyPath = "/", env: Record<string, string> = {}): Promise<{ proc: ChildProcess; stop(): Promise<void> }> {
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const stop = () => stopProcess(proc);
  try {
    await waitForUrl(`${url}${readyPath}`, proc, () => out);
  } catch (err) {
    await stop();
    throw err;
  }
  return { proc, stop };
}
