/**
 * Starting `matwise serve` from the build as a child process, on a free loopback port with its
 * own data directory, and where Debian's chromium lives. Shared by the browser tests and the
 * benchmarks; it imports no test runner, so plain scripts can use it.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

export const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/lib/chromium/chromium",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
];
/** The chromium executable, or null when none is installed. */
export const chromiumPath: string | null = CHROMIUM_CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;

/** The flags every headless chromium here needs (no sandbox as root, no background network). */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

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
  /** Flags for node itself, before the script (for example `--inspect=127.0.0.1:0`). */
  nodeArgs?: string[];
}

/**
 * Starts `matwise serve` from the build in dist/ (run `npm run build` first). When the port was
 * not given and another process took the free port found before the server could bind it (test
 * files run in parallel), it tries again on another port.
 */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(opts);
    } catch (err) {
      if (!(err instanceof PortTakenError) || opts.port !== undefined || attempt >= 5) throw err;
    }
  }
}

class PortTakenError extends Error {}

async function startServerOnce(opts: StartOptions): Promise<RunningServer> {
  if (!existsSync(join(ROOT, "dist/server/entry.mjs")))
    throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), "matwise-e2e-")), "db");
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    MATWISE_DATA_DIR: dataDir,
    NODE_ENV: "production",
    ...opts.env,
  };
  if (!opts.env?.DATABASE_URL) delete env.DATABASE_URL;
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(ROOT, "bin/matwise.mjs"), "serve"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
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
  // Ready when this process says it listens (so a server that another test started on the
  // same port is never mistaken for it) and answers /healthz. The limit only stops a start
  // that hangs; a slow machine gets time.
  const listening = `matwise is running at http://${env.HOST ?? "127.0.0.1"}:${port}/`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) {
      if (out.includes("the port is already in use")) throw new PortTakenError(`port ${port} was taken`);
      throw new Error(`server exited early with ${proc.exitCode}:\n${out}`);
    }
    if (out.includes(listening)) {
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok) return server;
      } catch {
        /* not answering yet */
      }
    }
    if (Date.now() > deadline) {
      await server.stop("SIGKILL");
      throw new Error(`server did not become ready in 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
