/**
 * Benchmark: personal pages for a person with a long history. One account gets 1,100 logged
 * sessions and a year-long experiment (26 pairs of 7-day periods, 364 days, every past day
 * rated), seeded through the repositories while the server is stopped (PGlite has one owner).
 * Then each page is requested signed in. The experiment page first: once on a server whose
 * analyses of these days were never computed (the seed wrote the days, not a check-in), and once
 * as the first request after a restart, its analyses stored when the data last changed, as they
 * are in use (a check-in computes them). Then repeatedly warm, the others repeatedly; server time is the median
 * time to the last byte on loopback, size is the body gzipped at level 6. Last, today's
 * check-in is sent and the experiment page requested at once, as a person does: the new data
 * makes the server compute the analyses again, this time in a process that has run for a while.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import data from "../src/content/safety/safety-check.json";
import { freezeProtocol, type Protocol } from "../src/core/experiments/protocol";
import type { CheckIn } from "../src/core/experiments/days";
import { addDays } from "../src/core/datetime";
import { createSchedule } from "../src/core/experiments/schedule";
import { createSeededRng, type Rng } from "../src/core/stats/rng";
import type { Db } from "../src/server/db/client";
import { openPglite } from "../src/server/db/client";
import { createExperiment } from "../src/server/repositories/experiments";
import { createMatSession } from "../src/server/repositories/mat-sessions";
import { startServer } from "../scripts/lib/matwise-process";
import { median, timedGet } from "./lib/http";
import { kb, KB, yesNo, type Benchmark, type BenchResult, type Verdict } from "./lib/types";

const SESSIONS = 1_100;
const MORE = 1_200;
const ROUNDS = 15;

interface Timed {
  ms: number;
  status: number;
  bytes: number;
  gzip: number;
}

async function get(url: string, cookie: string): Promise<Timed> {
  const r = await timedGet(url, cookie);
  return { ms: r.ms, status: r.status, bytes: r.body.length, gzip: gzipSync(r.body, { level: 6 }).length };
}

async function postForm(base: string, path: string, fields: Record<string, string>, cookie = "") {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie },
    body: new URLSearchParams(fields).toString(),
  });
  await res.arrayBuffer();
  return {
    status: res.status,
    cookies: res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; "),
  };
}

/** `n` sessions, one every eight hours, ending `endsBefore` hours before now; every tenth with a note. */
async function seedSessions(db: Db, userId: string, rng: Rng, n: number, now: number, endsBefore = 0) {
  for (let i = 0; i < n; i++) {
    const r = () => Math.floor(rng.uniform() * 11);
    await createMatSession(db, userId, {
      startedAt: new Date(now - (endsBefore + (n - i) * 8) * 3_600_000).toISOString(),
      durationSeconds: 600 + Math.floor(rng.uniform() * 900),
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: null,
      note: i % 10 === 0 ? "through a shirt, felt warm afterwards" : null,
      discomfort: r(),
      painBefore: r(),
      painAfter: r(),
      tensionBefore: r(),
      tensionAfter: r(),
      stressBefore: r(),
      stressAfter: r(),
      relaxationBefore: r(),
      relaxationAfter: r(),
    });
  }
}

export const personalPagesBenchmark: Benchmark = {
  name: "personal-pages",
  title: "Personal pages with a long history",
  async run(): Promise<BenchResult> {
    const base = mkdtempSync(join(tmpdir(), "matwise-bench-personal-"));
    const dataDir = join(base, "db");
    let server = await startServer({ dataDir });
    try {
      const email = "long-history@example.com";
      const password = "a long enough passphrase";
      const signUp = await postForm(server.url, "/account/sign-up", {
        name: "Lee",
        email,
        password,
        confirm: password,
      });
      const cookie = signUp.cookies;
      const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
      await postForm(
        server.url,
        "/account/safety-checks",
        Object.fromEntries(unconditional.map((id) => [id, "no"])),
        cookie,
      );
      await server.stop();

      const handle = await openPglite(dataDir);
      const userId = (await handle.pglite!.query<{ id: string }>(`select id from "user" where email = $1`, [email]))
        .rows[0]!.id;
      const rng = createSeededRng(11);
      const now = Date.now();
      await seedSessions(handle.db, userId, rng, SESSIONS, now);
      const today = new Date().toISOString().slice(0, 10);
      const protocol: Protocol = {
        version: 1,
        primaryOutcome: "pain",
        mcid: 1,
        comparator: "rest-without-mat",
        sessionMinutes: 15,
        sessionTime: "19:00",
        position: "lying",
        area: "back",
        periodDays: 7,
        pairs: 26,
        washout: false,
        startsOn: addDays(today, -363),
        timeZone: "UTC",
        expectation: 5,
      };
      const schedule = createSchedule(protocol, 4711);
      const recorded = new Map<string, CheckIn>();
      for (const d of schedule) {
        if (d.kind !== "period" || d.date >= today) continue;
        recorded.set(d.date, {
          date: d.date,
          recordedOn: d.date,
          adherence: rng.uniform() < 0.9 ? "as-assigned" : "skipped",
          values: {
            pain: Math.max(0, Math.min(10, Math.round(5 - (d.condition === "A" ? 0.8 : 0) + 1.5 * rng.normal()))),
            stress: 4,
            tension: 5,
          },
        });
      }
      const experimentId = await createExperiment(handle.db, userId, {
        frozen: freezeProtocol(protocol),
        frozenAt: new Date(`${protocol.startsOn}T07:00:00Z`),
        scheduleSeed: 4711,
        analysisSeed: 2718,
        source: "matwise",
        schedule,
        recorded,
      });
      await handle.close();
      server = await startServer({ dataDir });

      const signIn = await postForm(server.url, "/account/sign-in", { email, password });
      const auth = signIn.cookies;
      // Never analysed: the page computes the three analyses (the start-up's warm-up may already have begun them).
      const neverAnalysed = await get(`${server.url}/experiments/${experimentId}`, auth);
      // The first view after a restart, its analyses stored when the data changed: the budget.
      await server.stop();
      server = await startServer({ dataDir });
      const cold = await get(`${server.url}/experiments/${experimentId}`, auth);
      if (cold.status !== 200) throw new Error(`the experiment page answered ${cold.status} after a restart`);
      const pages = [
        "/sessions",
        "/sessions?page=30",
        "/today",
        "/experiments",
        `/experiments/${experimentId}`,
        `/experiments/${experimentId}/report`,
      ];
      const rows: { path: string; ms: number; bytes: number; gzip: number; status: number }[] = [];
      for (const path of pages) {
        await get(`${server.url}${path}`, auth); // warm-up
        const runs: Timed[] = [];
        for (let i = 0; i < ROUNDS; i++) runs.push(await get(`${server.url}${path}`, auth));
        rows.push({
          path: path.replace(experimentId, "{id}"),
          ms: median(runs.map((r) => r.ms)),
          bytes: runs[0]!.bytes,
          gzip: runs[0]!.gzip,
          status: runs[0]!.status,
        });
      }
      // Growth: 1,200 more (older) sessions, and the log and Today again, to show the cost grows no faster than the data.
      await server.stop();
      const more = await openPglite(dataDir);
      await seedSessions(more.db, userId, rng, MORE, now, SESSIONS * 8);
      await more.close();
      server = await startServer({ dataDir });
      const grown: typeof rows = [];
      for (const path of ["/sessions", "/today"]) {
        await get(`${server.url}${path}`, auth);
        const runs: Timed[] = [];
        for (let i = 0; i < ROUNDS; i++) runs.push(await get(`${server.url}${path}`, auth));
        grown.push({
          path,
          ms: median(runs.map((r) => r.ms)),
          bytes: runs[0]!.bytes,
          gzip: runs[0]!.gzip,
          status: runs[0]!.status,
        });
      }
      // Today's check-in, then the page at once: it waits for the analyses of the new data, which the check-in started.
      const checkIns: { post: number; view: number }[] = [];
      // The first one is reported but not counted: the statistics code is still being optimized by V8 after the cold view.
      for (const [i, pain] of ["4", "5", "3", "6", "2", "4"].entries()) {
        const t0 = performance.now();
        const posted = await postForm(
          server.url,
          `/experiments/${experimentId}/check-in`,
          {
            kind: "evening",
            date: today,
            adherence: "as-assigned",
            pain,
            tension: "4",
            stress: "4",
            harms: "",
            key: `bench-${i}`,
          },
          auth,
        );
        if (posted.status !== 303) throw new Error(`the check-in answered ${posted.status}`);
        const post = performance.now() - t0;
        const view = await get(`${server.url}/experiments/${experimentId}`, auth);
        if (view.status !== 200) throw new Error(`the experiment page answered ${view.status}`);
        checkIns.push({ post, view: view.ms });
      }
      const afterCheckIn = median(checkIns.slice(1).map((c) => c.view));
      const results = rows.find((r) => r.path === "/experiments/{id}")!;
      const personal = rows;
      const verdicts: Verdict[] = [
        {
          budget:
            "Experiments: the results page of a 365-day experiment in under 300 ms of server time (brief §6, issue 12), on a running server",
          measured: `364-day experiment: ${afterCheckIn.toFixed(0)} ms for the page right after a check-in (three analyses of the new data computed; median of ${checkIns.length - 1} after one more), ${results.ms.toFixed(1)} ms when they are stored`,
          met: afterCheckIn < 300 && results.ms < 300,
        },
        {
          budget: "…the same page as the first request for it after the server starts",
          measured: `${cold.ms.toFixed(0)} ms after a restart, its analyses stored when its data changed; ${neverAnalysed.ms.toFixed(0)} ms when they were never computed (a seeded database)`,
          met: cold.ms < 300,
        },
        {
          budget:
            "Every personal page under 100 ms of server time and 60 KB compressed for a person with 1,100 sessions (issue 17)",
          measured: personal.map((r) => `${r.path}: ${r.ms.toFixed(0)} ms, ${kb(r.gzip)} KB`).join("; "),
          summary: (() => {
            const slowest = personal.reduce((w, r) => (r.ms > w.ms ? r : w));
            const largest = personal.reduce((w, r) => (r.gzip > w.gzip ? r : w));
            return `slowest ${slowest.path} ${slowest.ms.toFixed(0)} ms; largest ${largest.path} ${kb(largest.gzip)} KB; ${personal.length} pages`;
          })(),
          met: personal.every((r) => r.ms < 100 && r.gzip < 60 * KB),
        },
      ];
      const markdown = [
        `A person with ${SESSIONS.toLocaleString("en-GB")} sessions and a 364-day experiment (26 pairs of 7-day periods, every past day rated), seeded through the repositories. Each page is requested signed in, ${ROUNDS} times after one warm-up; time is the median to the last byte on loopback, size the body gzipped (level 6).`,
        "",
        "| page | status | median ms | HTML KB | gzip KB | < 100 ms | < 60 KB |",
        "|---|---:|---:|---:|---:|---|---|",
        ...rows.map(
          (r) =>
            `| ${r.path} | ${r.status} | ${r.ms.toFixed(1)} | ${kb(r.bytes)} | ${kb(r.gzip)} | ${yesNo(r.ms < 100)} | ${yesNo(r.gzip < 60 * KB)} |`,
        ),
        "",
        `With ${(SESSIONS + MORE).toLocaleString("en-GB")} sessions (${MORE.toLocaleString("en-GB")} older ones added): ${grown.map((r) => `${r.path} ${r.ms.toFixed(1)} ms and ${kb(r.gzip)} KB gzip`).join("; ")}. The log reads its charts from aggregate queries (a row a day) and one page of 20 sessions, so neither time nor size follows the count.`,
        "",
        `The experiment page's first view after a restart took ${cold.ms.toFixed(0)} ms, its analyses stored when its data last changed (as a check-in does): the server loads the main pages' code, draws a practice chart and lets its analysis thread practise before it says it is running. On a server that had never analysed these days (they were written straight into the database), the first view took ${neverAnalysed.ms.toFixed(0)} ms: it waits for the analysis as randomized, per protocol and without the first day of each period (begun by the start-up's warm-up, or by the view), which are then stored for this version of the data. On the running server, a check-in for today followed at once by the page took ${checkIns.map((c) => `${c.post.toFixed(0)} + ${c.view.toFixed(0)} ms`).join(", ")} (the check-in, then the page, which waits for the analyses of the new data; the first is not counted in the median, as V8 is still optimizing the statistics code after the cold view).`,
      ].join("\n");
      return { markdown, verdicts };
    } finally {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    }
  },
};
