/**
 * Benchmark (issue 27 item 6): the app tier scales out on PostgreSQL. One `matwise serve` on a
 * fresh PostgreSQL database is loaded with autocannon (a signed-in `GET /today`, 20 connections);
 * then a second process is started on the same database and both are loaded at once, 10
 * connections each, for the same time. Target: the two together serve ≥ 1.6× the requests of
 * one. Rounds alternate one and two processes, and the medians are compared. On a machine with
 * few cores the processes, PostgreSQL and the load generator share them, which caps what a second
 * process can add: the bench measures the CPU time each of them spends per request while one
 * process is loaded, and from it the most two processes could serve on this machine's cores.
 */
import { availableParallelism } from "node:os";
import autocannon from "autocannon";
import { startServer, type RunningServer } from "../scripts/lib/matwise-process";
import { createFreshPostgres } from "../src/server/db/fresh-postgres";
import { getPostgresCpuSeconds, getTreeCpuSeconds } from "./lib/cpu";
import { median } from "./lib/http";
import type { Benchmark, BenchResult } from "./lib/types";

const SECONDS = Number(process.env["BENCH_SCALE_SECONDS"] ?? 5);
const CONNECTIONS = 20;
const ROUNDS = 3;
const TARGET = 1.6;
const PAGE = "/today";

async function signUp(base: string): Promise<string> {
  const password = "a long enough passphrase";
  const res = await fetch(`${base}/account/sign-up`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ name: "Scale", email: "scale@example.com", password, confirm: password }).toString(),
  });
  await res.arrayBuffer();
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Requests per second over the run, and answers other than 200. */
async function load(base: string, cookie: string, connections: number): Promise<{ rps: number; bad: number }> {
  const r = await autocannon({ url: `${base}${PAGE}`, connections, duration: SECONDS, headers: { cookie } });
  return { rps: r.requests.total / SECONDS, bad: r.non2xx + r.errors };
}

export const scaleOutBenchmark: Benchmark = {
  name: "scale-out",
  title: "Two server processes on one PostgreSQL",
  async run(): Promise<BenchResult> {
    const budget = `two \`matwise serve\` processes on one PostgreSQL serve ≥ ${TARGET}× the signed-in throughput of one (GET ${PAGE}; issue 27 item 6)`;
    const pgBase = process.env["TEST_DATABASE_URL"];
    if (!pgBase)
      return {
        markdown: "Not measured: set TEST_DATABASE_URL.",
        verdicts: [{ budget, measured: "not measured (no TEST_DATABASE_URL)", met: null }],
      };
    const fresh = await createFreshPostgres(pgBase, "matwise_bench");
    const servers: RunningServer[] = [];
    try {
      const env = { DATABASE_URL: fresh.url };
      servers.push(await startServer({ env }));
      const cookie = await signUp(servers[0]!.url);
      servers.push(await startServer({ env }));
      const [a, b] = servers as [RunningServer, RunningServer];
      // Warm both (each page's code loads on its first request).
      await Promise.all([load(a.url, cookie, 4), load(b.url, cookie, 4)]);
      const one: number[] = [];
      const two: number[] = [];
      let bad = 0;
      // CPU seconds per request while one process is loaded: that process, PostgreSQL, and this one (autocannon).
      const spent = { app: 0, database: 0, load: 0, requests: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        const before = {
          app: getTreeCpuSeconds(a.proc.pid!),
          database: getPostgresCpuSeconds(),
          load: process.cpuUsage(),
        };
        const single = await load(a.url, cookie, CONNECTIONS);
        spent.app += getTreeCpuSeconds(a.proc.pid!) - before.app;
        spent.database += getPostgresCpuSeconds() - before.database;
        const used = process.cpuUsage(before.load);
        spent.load += (used.user + used.system) / 1e6;
        spent.requests += single.rps * SECONDS;
        one.push(single.rps);
        const both = await Promise.all([load(a.url, cookie, CONNECTIONS / 2), load(b.url, cookie, CONNECTIONS / 2)]);
        two.push(both[0].rps + both[1].rps);
        bad += single.bad + both[0].bad + both[1].bad;
      }
      const ratio = median(two) / median(one);
      const met = bad === 0 && ratio >= TARGET;
      const cores = availableParallelism();
      const perRequest = {
        app: spent.app / spent.requests,
        database: spent.database / spent.requests,
        load: spent.load / spent.requests,
      };
      const ms = (s: number) => (s * 1000).toFixed(2);
      // Two processes can serve at most what the cores give all three parts of a request (each process on one
      // thread also at most 1 / app); one process served `median(one)`.
      const ceiling = Math.min(2 / perRequest.app, cores / (perRequest.app + perRequest.database + perRequest.load));
      const ceilingRatio = ceiling / median(one);
      const appBusy = (spent.app / (ROUNDS * SECONDS)) * 100;
      const markdown = [
        `autocannon, signed in, \`GET ${PAGE}\`, ${SECONDS} s a run, ${CONNECTIONS} connections in all; ${ROUNDS} rounds, each one process then two (${CONNECTIONS / 2} connections each), medians compared. Both processes run from \`dist/\` on one fresh PostgreSQL database; the session made on the first is read by the second (the signing secret is kept in the database). This machine has ${cores} cores for the two processes, PostgreSQL and autocannon together.`,
        "",
        "| processes | requests/s per round | median |",
        "| --- | --- | --- |",
        `| one | ${one.map((x) => x.toFixed(0)).join(", ")} | ${median(one).toFixed(0)} |`,
        `| two | ${two.map((x) => x.toFixed(0)).join(", ")} | ${median(two).toFixed(0)} |`,
        "",
        `Two against one: ${ratio.toFixed(2)}× (target ≥ ${TARGET}×)${bad ? `; ${bad} answers were not 200` : ""}.`,
        "",
        `CPU time per request while one process was loaded: the process ${ms(perRequest.app)} ms (busy ${appBusy.toFixed(0)} % of one core), PostgreSQL ${ms(perRequest.database)} ms, autocannon ${ms(perRequest.load)} ms. On ${cores} cores shared by all three, two processes can serve at most ${ceiling.toFixed(0)} requests/s, ${ceilingRatio.toFixed(2)}× one: ${ceilingRatio < TARGET ? `below the target, so this machine cannot show ${TARGET}×; with the same costs, ${Math.ceil(TARGET * median(one) * (perRequest.app + perRequest.database + perRequest.load) * 10) / 10} cores would allow it` : "the cores leave room for the target"}.`,
      ].join("\n");
      return {
        markdown,
        verdicts: [
          {
            budget,
            measured: `${ratio.toFixed(2)}× (${median(two).toFixed(0)} vs ${median(one).toFixed(0)} req/s, ${cores} cores; at most ${ceilingRatio.toFixed(2)}× on them, from CPU time per request)${met ? "" : "; missed"}`,
            met,
          },
        ],
      };
    } finally {
      for (const s of servers) await s.stop();
      await fresh.drop();
    }
  },
};
