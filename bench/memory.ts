/**
 * Benchmark (issue 27 item 5): memory at rest. `matwise serve` on PGlite is started on a new
 * folder (first start) and again on the same folder (restart), a few pages are asked for, and
 * after 3 s without requests its resident memory (VmRSS) is read; the same on PostgreSQL when
 * TEST_DATABASE_URL is set. Then a breakdown: bench/lib/memory-stages.mjs opens the same folder
 * in a plain Node process stage by stage, once with PostgreSQL's default sizes and once with the
 * app's (PGLITE_SETTINGS in src/server/db/client.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../scripts/lib/matwise-process";
import { createFreshPostgres } from "../src/server/db/fresh-postgres";
import { PGLITE_SETTINGS } from "../src/server/db/client";
import { ROOT } from "./lib/server";
import type { Benchmark, BenchResult, Verdict } from "./lib/types";

const TARGET_MIB = 256;
const PAGES = [
  "/",
  "/guides/what-the-research-shows/",
  "/today",
  "/sessions",
  "/mats/",
  "/healthz",
  "/account/sign-in",
];
const POSTGRES_DEFAULTS = [
  "shared_buffers = 128MB",
  "work_mem = 4MB",
  "maintenance_work_mem = 64MB",
  "temp_buffers = 8MB",
  "wal_buffers = 4MB",
];

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
}

/** Seconds without requests before the "at rest" reading: the pool's spare threads end after 30 s. */
const REST_S = 60;

interface Idle {
  /** 3 s after the last page. */
  soon: number;
  /** REST_S after the last page. */
  rest: number;
}

async function idleRss(server: RunningServer): Promise<Idle> {
  for (const p of PAGES) await (await fetch(server.url + p)).arrayBuffer();
  await new Promise((r) => setTimeout(r, 3000));
  const soon = rssMiB(server.proc.pid!);
  await new Promise((r) => setTimeout(r, (REST_S - 3) * 1000));
  return { soon, rest: rssMiB(server.proc.pid!) };
}

interface Stages {
  stages: [string, number][];
  wasm: number;
  wasmResident: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export const memoryBenchmark: Benchmark = {
  name: "memory",
  title: "Memory at rest",
  async run(): Promise<BenchResult> {
    const base = mkdtempSync(join(tmpdir(), "matwise-bench-memory-"));
    const dataDir = join(base, "db");
    try {
      let server = await startServer({ dataDir });
      const first = await idleRss(server);
      await server.stop();
      server = await startServer({ dataDir });
      const restart = await idleRss(server);
      await server.stop();
      let postgres: Idle | null = null;
      const pgBase = process.env["TEST_DATABASE_URL"];
      if (pgBase) {
        const fresh = await createFreshPostgres(pgBase, "matwise_bench");
        try {
          const pgServer = await startServer({ env: { DATABASE_URL: fresh.url } });
          postgres = await idleRss(pgServer);
          await pgServer.stop();
        } finally {
          await fresh.drop();
        }
      }
      const stagesOf = (settings: readonly string[]) =>
        JSON.parse(
          execFileSync(process.execPath, ["bench/lib/memory-stages.mjs", dataDir, JSON.stringify(settings)], {
            cwd: ROOT,
            encoding: "utf8",
          })
            .trim()
            .split("\n")
            .pop()!,
        ) as Stages;
      const defaults = stagesOf(POSTGRES_DEFAULTS);
      const ours = stagesOf(PGLITE_SETTINGS);
      const signed = (n: number, i: number) => (i === 0 ? String(n) : n < 0 ? `−${-n}` : `+${n}`);
      const step = (s: Stages, i: number) => (i === 0 ? s.stages[0]![1] : s.stages[i]![1] - s.stages[i - 1]![1]);
      const markdown = [
        `Resident memory (VmRSS) of \`matwise serve\` after ${PAGES.length} pages (${PAGES.map((p) => `\`${p}\``).join(", ")}), 3 s and ${REST_S} s after the last request. The restart takes the daily automatic snapshot (in a child process, decision 099); a first start has nothing to keep and takes none.`,
        "",
        `| server | 3 s after the last request | at rest (${REST_S} s) |`,
        "| --- | --- | --- |",
        `| PGlite, first start on a new folder | ${first.soon.toFixed(0)} MiB | ${first.rest.toFixed(0)} MiB |`,
        `| PGlite, restart on the same folder | ${restart.soon.toFixed(0)} MiB | ${restart.rest.toFixed(0)} MiB |`,
        `| PostgreSQL | ${postgres === null ? "not measured (set TEST_DATABASE_URL) | |" : `${postgres.soon.toFixed(0)} MiB | ${postgres.rest.toFixed(0)} MiB |`}`,
        "",
        "Where it goes on PGlite (bench/lib/memory-stages.mjs: the same folder opened in a plain Node process, stage by stage; what each stage adds):",
        "",
        `| stage | PostgreSQL's default sizes | the app's sizes (\`PGLITE_SETTINGS\`: ${PGLITE_SETTINGS.join(", ")}) |`,
        "| --- | --- | --- |",
        ...defaults.stages.map(
          ([name], i) => `| ${name} | ${signed(step(defaults, i), i)} MiB | ${signed(step(ours, i), i)} MiB |`,
        ),
        `| total | ${defaults.stages.at(-1)![1]} MiB | ${ours.stages.at(-1)![1]} MiB |`,
        `| the running server adds (each page's code, loaded on its first request; auth; the web server; the reminder scheduler) | | ${signed(Math.round(restart.soon - ours.stages.at(-1)![1]), 1)} MiB (restart, after 3 s: ${restart.soon.toFixed(0)} MiB) |`,
        `| of which: WebAssembly memory of PGlite, resident / reserved (its 128 MiB minimum is the module's own) | ${defaults.wasmResident} / ${defaults.wasm} MiB | ${ours.wasmResident} / ${ours.wasm} MiB |`,
        `| of which: JavaScript heap used / total | ${defaults.heapUsed} / ${defaults.heapTotal} MiB | ${ours.heapUsed} / ${ours.heapTotal} MiB |`,
        "",
        "Before issue 27: 512 MiB idle on PGlite after a first start. Causes removed: large work memories inside PGlite's WebAssembly memory; initdb, which runs a second WebAssembly instance on a first start (a new folder is now created, and migrated, in a short-lived child process); PostgreSQL's 128 MB of shared buffers, now 32 MB, about 100 MiB less resident (decision 099; a full disk is then met as an ordinary disk-full error); and the start-up's automatic snapshot, which PGlite builds in memory at about four times the folder's size and which the server kept (now written by a child process, decision 099). The worker pool keeps one analysis thread, warmed before the server says it is running (decision 097), chosen so an analysis after a quiet spell does not wait ~0.7 s for a new thread; its other threads end after 30 s idle, which the reading at rest includes. What remains is Node itself (its binary alone is about 48 MiB resident), Astro's and the app's modules (their source text, about 19 MiB of the heap, is kept for V8's lazy compilation) and the PGlite module with its WebAssembly memory.",
      ].join("\n");
      const verdicts: Verdict[] = [
        {
          budget: `memory at rest on PGlite ≤ ${TARGET_MIB} MiB, restart (issue 27 item 5)`,
          measured: `${restart.rest.toFixed(0)} MiB at rest (${restart.soon.toFixed(0)} MiB 3 s after a request)${restart.rest <= TARGET_MIB ? "" : "; missed"}`,
          met: restart.rest <= TARGET_MIB,
        },
        {
          budget: `memory at rest on PGlite ≤ ${TARGET_MIB} MiB, first start (issue 27 item 5)`,
          measured: `${first.rest.toFixed(0)} MiB at rest (${first.soon.toFixed(0)} MiB 3 s after a request)${first.rest <= TARGET_MIB ? "" : "; missed"}`,
          met: first.rest <= TARGET_MIB,
        },
      ];
      return { markdown, verdicts };
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
};
