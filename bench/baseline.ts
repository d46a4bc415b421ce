/**
 * Benchmark (issue 27 item 1): each signed-in page against a bare node:http baseline that does
 * what the page's data needs and nothing else (bench/lib/baseline-server.ts: the same session
 * check, the same queries through the same driver, a small HTML string). Both are started side
 * by side and measured in the same run with autocannon (10 connections, the same signed-in
 * cookie), app and baseline alternating, on PGlite and, when TEST_DATABASE_URL is set, on
 * PostgreSQL. PGlite has one owner per folder, so the baseline gets a copy of the server's
 * folder taken after seeding (same rows, same session, same secret). Besides the GET pages: a
 * 364-day experiment's page (`/experiments/{id}`, an imported one, its analyses stored after the
 * warm-up) and the session POST (`POST /sessions/new`, a valid form, answered 303; each request
 * stores a session, on the app's database and on the baseline's own copy alike).
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { startServer, type RunningServer } from "../scripts/lib/matwise-process";
import { openDatabase, type DbHandle } from "../src/server/db/client";
import { createFreshPostgres } from "../src/server/db/fresh-postgres";
import { parseEnv } from "../src/server/env";
import { createMatSession } from "../src/server/repositories/mat-sessions";
import { savePlan } from "../src/server/repositories/plans";
import { importFile } from "./import-stall";
import { getFreePort, startProcess } from "./lib/server";
import type { Benchmark, BenchResult, Verdict } from "./lib/types";

const SESSIONS = 30;
/** The person with a long history: /sessions is measured for them too. */
const LONG_HISTORY = 1_100;
const SECONDS = Number(process.env["BENCH_BASELINE_SECONDS"] ?? 5);
const CONNECTIONS = 10;
const TARGET = 0.5;
const PAGES = ["/today", "/sessions", "/account"] as const;
/** A page rendered per request with the layout and no database query: what any page costs the app at least. */
const FLOOR_PAGE = "/account/sign-in";
const floors = new Map<string, Measured>();

interface Measured {
  rps: number;
  p99: number;
  /** Errors and answers other than the expected kind (2xx for a page, 303 for the POST). */
  non2xx: number;
}

/** The session form `POST /sessions/new` is sent (valid: a 10-minute session in the past). */
const SESSION_FORM = new URLSearchParams({
  startedAt: "2026-01-10T08:00",
  minutes: "10",
  seconds: "0",
  position: "lying",
  area: "back",
  layer: "clothing",
  matId: "",
  note: "",
  discomfort: "5",
  painBefore: "4",
  painAfter: "3",
}).toString();

async function measure(url: string, cookie: string, post = false): Promise<Measured> {
  const origin = new URL(url).origin;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(post
      ? {
          method: "POST" as const,
          body: SESSION_FORM,
          headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
        }
      : { headers: { cookie } }),
  });
  const answered = Object.values(r.statusCodeStats).reduce((n, s) => n + s.count, 0);
  const bad = post ? answered - (r.statusCodeStats["303"]?.count ?? 0) : r.non2xx;
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: bad + r.errors };
}

/** Imports a 364-day experiment CSV (182 pairs of 1-day periods) through the app; its id. */
async function importExperiment(base: string, cookie: string): Promise<string> {
  const form = new FormData();
  form.append("outcome", "pain");
  form.append("better", "lower");
  form.append("mcid", "1");
  form.append("file", new File([importFile(364, 1)], "diary.csv", { type: "text/csv" }));
  const res = await fetch(`${base}/experiments/import`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: base, cookie },
    body: form,
  });
  await res.arrayBuffer();
  const id = /^\/experiments\/([0-9a-f-]{36})$/.exec(res.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`the experiment import answered ${res.status} ${res.headers.get("location") ?? ""}`);
  return id;
}

async function postForm(base: string, path: string, fields: Record<string, string>) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams(fields).toString(),
  });
  await res.arrayBuffer();
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function seed(handle: DbHandle, email: string, sessions = SESSIONS): Promise<void> {
  const rows = await handle.db.execute<{ id: string }>(sql`select id from "user" where email = ${email}`);
  const userId = (rows as { rows: { id: string }[] }).rows[0]!.id;
  await savePlan(
    handle.db,
    userId,
    {
      skin: "high",
      tolerance: "average",
      area: "back",
      level: "fine",
      areasOff: [],
      professionalAgreed: false,
      start: new Date().toISOString().slice(0, 10),
    },
    { lengthDays: 21, gentleness: 1 },
  );
  for (let i = 0; i < sessions; i++) {
    await createMatSession(handle.db, userId, {
      startedAt: new Date(Date.now() - (i + 1) * 8 * 3_600_000).toISOString(),
      durationSeconds: 900,
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: null,
      note: null,
      discomfort: i % 10,
      painBefore: 5,
      painAfter: 4,
      tensionBefore: null,
      tensionAfter: null,
      stressBefore: null,
      stressAfter: null,
      relaxationBefore: null,
      relaxationAfter: null,
    });
  }
}

interface Row {
  engine: string;
  page: string;
  sessions: number;
  app: Measured;
  baseline: Measured;
}

async function runOn(engine: "PGlite" | "PostgreSQL", databaseUrl: string | null): Promise<Row[]> {
  const base = mkdtempSync(join(tmpdir(), "matwise-bench-baseline-"));
  const dataDir = join(base, "db");
  const env: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  let server: RunningServer | null = await startServer({ dataDir, env });
  const email = "baseline@example.com";
  const password = "a long enough passphrase";
  let baseline: { stop(): Promise<void> } | null = null;
  try {
    const cookie = await postForm(server.url, "/account/sign-up", { name: "Base", email, password, confirm: password });
    const longEmail = "baseline-long@example.com";
    const longCookie = await postForm(server.url, "/account/sign-up", {
      name: "Long",
      email: longEmail,
      password,
      confirm: password,
    });
    const experimentId = await importExperiment(server.url, cookie);
    await server.stop();
    server = null;
    const handle = await openDatabase(parseEnv({ ...process.env, MATWISE_DATA_DIR: dataDir, ...env }));
    await seed(handle, email);
    await seed(handle, longEmail, LONG_HISTORY);
    await handle.close();
    const baselineDir = join(base, "baseline-db");
    if (!databaseUrl) cpSync(dataDir, baselineDir, { recursive: true });
    server = await startServer({ dataDir, env });
    const port = await getFreePort();
    const url = `http://127.0.0.1:${port}`;
    baseline = await startProcess(
      process.execPath,
      ["--import", "tsx", "bench/lib/baseline-server.ts"],
      url,
      "/healthz",
      { PORT: String(port), NODE_ENV: "production", MATWISE_DATA_DIR: baselineDir, ...env },
    );
    const rows: Row[] = [];
    const runs: [string, string, number, string?][] = [
      ...PAGES.map((page): [string, string, number] => [page, cookie, SESSIONS]),
      ["/sessions", longCookie, LONG_HISTORY],
      [`/experiments/${experimentId}`, cookie, SESSIONS, "GET /experiments/{id} (364 days)"],
      ["/sessions/new", cookie, SESSIONS, "the session POST"],
    ];
    for (const [page, who, sessions, label] of runs) {
      const post = page === "/sessions/new";
      await measure(`${server.url}${page}`, who, post).catch(() => null); // warm-up
      const app = await measure(`${server.url}${page}`, who, post);
      const bare = await measure(`${url}${page}`, who, post);
      rows.push({ engine, page: label ?? `GET ${page}`, sessions, app, baseline: bare });
    }
    // The app's floor: a page it renders per request with the layout and no query (signed out, no cookie).
    await measure(`${server.url}${FLOOR_PAGE}`, "").catch(() => null);
    floors.set(engine, await measure(`${server.url}${FLOOR_PAGE}`, ""));
    return rows;
  } finally {
    await baseline?.stop();
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

export const baselineBenchmark: Benchmark = {
  name: "baseline",
  title: "Signed-in pages against a bare node:http baseline",
  async run(): Promise<BenchResult> {
    const rows = await runOn("PGlite", null);
    const pgBase = process.env["TEST_DATABASE_URL"];
    if (pgBase) {
      const fresh = await createFreshPostgres(pgBase, "matwise_bench");
      try {
        rows.push(...(await runOn("PostgreSQL", fresh.url)));
      } finally {
        await fresh.drop();
      }
    }
    const verdicts: Verdict[] = rows.map((r) => {
      const ratio = r.app.rps / r.baseline.rps;
      const clean = r.app.non2xx === 0 && r.baseline.non2xx === 0;
      const met = clean && ratio >= TARGET;
      const floor = floors.get(r.engine);
      // Where even a page with no query stays near the target, say so: the baseline then measures almost nothing.
      const floorNote =
        floor && floor.rps / r.baseline.rps < 2 * TARGET
          ? `; a page with no query at all: ${floor.rps.toFixed(0)} req/s (${((floor.rps / r.baseline.rps) * 100).toFixed(0)} %)`
          : "";
      return {
        budget: `${r.page}${r.page.startsWith("GET /today") || r.page.startsWith("GET /sessions") || r.page.startsWith("GET /account") ? ` (${r.sessions.toLocaleString("en-GB")} sessions)` : ""} ≥ ${TARGET * 100} % of its baseline's throughput, ${r.engine} (issue 27 item 1)`,
        measured: `${(ratio * 100).toFixed(1)} % (${r.app.rps.toFixed(0)} vs ${r.baseline.rps.toFixed(0)} req/s)${floorNote}${clean ? "" : "; errors or non-2xx answers"}${met ? "" : "; missed"}`,
        met,
      };
    });
    const markdown = [
      `autocannon, ${CONNECTIONS} connections, ${SECONDS} s each, the same signed-in cookie; app (\`matwise serve\`) then its baseline (bench/lib/baseline-server.ts, a bare node:http handler doing the page's session check and queries through the same driver and writing a small HTML string), page after page, in one run. The person has a plan and ${SESSIONS} sessions; \`/sessions\` is measured again for a person with ${LONG_HISTORY.toLocaleString("en-GB")}. \`/experiments/{id}\` is a 364-day imported experiment (its stored analyses read; the baseline makes the page's reads through the repositories, since the page's loader imports Astro's content); the session POST sends a valid form and expects a 303, the baseline validating it with the same schema and storing it with the same repository function. Ratio = app / baseline (throughput) and app / baseline (p99).${pgBase ? "" : " PostgreSQL: not measured (set TEST_DATABASE_URL)."}`,
      "",
      "| engine | page | app req/s | baseline req/s | throughput ratio (target ≥ 50 %) | app p99 | baseline p99 | p99 ratio |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows.map((r) => {
        const ratio = r.app.rps / r.baseline.rps;
        return `| ${r.engine} | ${r.page}${r.sessions === SESSIONS ? "" : ` (${r.sessions.toLocaleString("en-GB")} sessions)`} | ${r.app.rps.toFixed(0)} | ${r.baseline.rps.toFixed(0)} | ${(ratio * 100).toFixed(1)} %${ratio >= TARGET ? "" : " (missed)"} | ${r.app.p99} ms | ${r.baseline.p99} ms | ${(r.app.p99 / Math.max(1, r.baseline.p99)).toFixed(1)}× |`;
      }),
      "",
      ...[...floors].map(
        ([engine, f]) =>
          `The app's floor on ${engine}: \`GET ${FLOOR_PAGE}\` signed out, rendered per request with the layout, the middleware and no query, ${f.rps.toFixed(0)} req/s (p99 ${f.p99} ms). A page cannot pass it, so where a baseline does little more than one query (\`/account\` lists the person's devices), the ratio measures the framework rather than the page's data.`,
      ),
      "",
      "Figures from a 2-core machine shared with other work are noisy; the ratios compare runs taken in the same minute.",
    ].join("\n");
    return { markdown, verdicts };
  },
};
