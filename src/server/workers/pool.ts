/**
 * The worker pool (issue 27 item 3, issue 25 item 4): experiment analyses and the reading of
 * imported files run on worker threads, so the request thread only renders and a long import
 * never stalls everyone else. A maintained pool, tinypool (pinned; Node 20 and later), bounded:
 * at most `POOL_THREADS` threads (one core is left to the request thread), `POOL_QUEUE` tasks
 * waiting; threads start on demand and end after `IDLE_MS` without work, except the one thread
 * `matwise serve` keeps warm (`warmWorkerPool`). One pool per process, kept on globalThis: the bundled command line and the
 * bundled web server share it.
 *
 * The worker is `analysis-worker.ts`: built to `dist/workers/analysis-worker.mjs` by
 * `npm run build` (scripts/build-cli.ts) and used when this code runs from the build. From the
 * sources (tests, `astro dev`) it is bundled on first use into node_modules/.cache/matwise with
 * esbuild (a development dependency): a worker thread cannot load TypeScript, and tsx's hooks
 * do not reach worker threads on Node 20.
 * @module
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as Esbuild from "esbuild";
import { Tinypool } from "tinypool";
import { RateLimitedError, ValidationError } from "../../core/errors";
import type { TaskOutcome } from "./analysis-worker";

/** Most worker threads: the cores less one for the request thread, between 1 and 4. */
export const POOL_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));
/** Most tasks waiting for a thread; past it a request is told to try again shortly. */
export const POOL_QUEUE = 64;
/** A thread without work ends after this long. */
const IDLE_MS = 30_000;
/**
 * The young generation of each thread's heap, in MiB. V8's default lets it grow to 32 MiB, which
 * the thread kept at rest then holds; 4 MiB saved 10–20 MiB at rest with the practice analysis
 * as fast as before (decision 099).
 */
const YOUNG_GENERATION_MB = 4;
/** A task still running after this long is stopped (its thread ended): a year of days takes a few seconds. */
const TASK_TIMEOUT_MS = 120_000;

/** The built worker (relative to the project root) that `npm run build` writes. */
export const BUILT_WORKER = "dist/workers/analysis-worker.mjs";

/** Where the worker built from the sources goes (tests, `astro dev`). */
const DEV_WORKER = "node_modules/.cache/matwise/analysis-worker.mjs";

/**
 * The worker's file: the built one when this code runs from the build (dist/), else one bundled
 * now from the sources. Found by walking up from this module, as the migrations folder is.
 */
export async function workerFile(from = import.meta.url): Promise<string> {
  const here = fileURLToPath(from);
  const fromBuild = /[\\/]dist[\\/]/.test(here);
  let dir = dirname(here);
  for (let i = 0; i < 8; i++) {
    if (fromBuild && existsSync(join(dir, BUILT_WORKER))) return pathToFileURL(join(dir, BUILT_WORKER)).href;
    const source = join(dir, "src/server/workers/analysis-worker.ts");
    if (!fromBuild && existsSync(source)) {
      const name = "esbuild"; // a development tool: kept out of the server's bundle
      const esbuild = (await import(/* @vite-ignore */ name)) as typeof Esbuild;
      const outfile = join(dir, DEV_WORKER);
      const built = await esbuild.build({
        entryPoints: [source],
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        packages: "external",
        outfile,
        write: false,
        logLevel: "warning",
      });
      // Through a file of this process's own, renamed into place: test files started at once never read half a file.
      mkdirSync(dirname(outfile), { recursive: true });
      writeFileSync(`${outfile}.${process.pid}`, built.outputFiles[0]!.contents);
      renameSync(`${outfile}.${process.pid}`, outfile);
      return pathToFileURL(outfile).href;
    }
    dir = dirname(dir);
  }
  throw new Error("matwise cannot find its analysis worker; run `npm run build` (or run from the project folder).");
}

const KEY = Symbol.for("matwise.workers");
type Holder = { [KEY]?: Promise<Tinypool> };
const holder = globalThis as Holder;

/** Threads kept started while idle: none, unless the server asked for one (`warmWorkerPool`). */
let minThreads = 0;

function pool(): Promise<Tinypool> {
  holder[KEY] ??= workerFile().then(
    (filename) =>
      new Tinypool({
        filename,
        minThreads,
        maxThreads: POOL_THREADS,
        idleTimeout: IDLE_MS,
        maxQueue: POOL_QUEUE,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      }),
  );
  return holder[KEY];
}

/**
 * `matwise serve`, before it says it is running: one thread is kept started from now on and runs a practice analysis,
 * so neither the first view after a start nor the analysis after a quiet spell waits for a thread to start and its
 * statistics code to compile (about 0.7 s for a year of data). Costs the thread's memory at rest. Call it before any
 * task; a command that runs once and ends does not. Returns how long the practice took in the thread, in ms.
 */
export async function warmWorkerPool(): Promise<number> {
  if (!holder[KEY]) minThreads = 1;
  return runTask<number>("practise", null);
}

const BUSY = "The server is busy with other analyses right now. Nothing was changed; try again in a minute.";

/**
 * Runs the worker's task `name` on `input`. A refusal (the command's message for a file it
 * cannot read) comes back as the ValidationError it was; a full queue as a RateLimitedError.
 */
export async function runTask<T>(
  name: "analyzeCsv" | "analyzeDays" | "readImport" | "practise" | "poolEffects",
  input: unknown,
  transfer: ArrayBuffer[] = [],
): Promise<T> {
  let outcome: TaskOutcome<T>;
  try {
    outcome = (await (
      await pool()
    ).run(input, { name, transferList: transfer, signal: AbortSignal.timeout(TASK_TIMEOUT_MS) })) as TaskOutcome<T>;
  } catch (err) {
    if (err instanceof Error && /queue is at limit/i.test(err.message)) throw new RateLimitedError(BUSY, 60);
    throw err;
  }
  if (!outcome.ok) throw new ValidationError(outcome.refused);
  return outcome.value;
}

/** Ends the pool's threads (at a graceful stop); a later task starts a new pool. */
export async function closeWorkerPool(): Promise<void> {
  const p = holder[KEY];
  delete holder[KEY];
  await (await p)?.destroy();
}
