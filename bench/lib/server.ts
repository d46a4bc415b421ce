/**
 * Servers for the benchmarks: matwise itself (through the same start-up code the browser tests
 * use) and any other server process to compare it with.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumPath, freePort, ROOT, startServer } from "../../scripts/lib/matwise-process";

export { CHROMIUM_FLAGS } from "../../scripts/lib/matwise-process";
export { ROOT };
/** Debian's chromium, or null when none is installed. */
export const CHROMIUM_PATH = chromiumPath;
export const getFreePort = freePort;

export interface BenchServer {
  url: string;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Waits until `url` answers 2xx, or fails after `timeoutMs` (or when the process ends). */
export async function waitForUrl(
  url: string,
  proc: ChildProcess,
  output: () => string,
  timeoutMs = 60_000,
): Promise<void> {
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

/** Starts `node bin/matwise.mjs serve` on the build in dist/ with a throw-away data directory. */
export async function startMatwise(): Promise<BenchServer> {
  const base = mkdtempSync(join(tmpdir(), "matwise-bench-"));
  const server = await startServer({ dataDir: join(base, "db") });
  return {
    url: server.url,
    port: server.port,
    proc: server.proc,
    async stop() {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Starts any server process and waits until `readyPath` answers. */
export async function startProcess(
  command: string,
  args: string[],
  url: string,
  readyPath = "/",
  env: Record<string, string> = {},
): Promise<{ proc: ChildProcess; stop(): Promise<void> }> {
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
