/**
 * Benchmark: the study monitor with 10,000 participants on PostgreSQL. A fresh database is
 * created from TEST_DATABASE_URL; 10,000 participants are seeded through the repositories (each
 * consented, most with a 42-day experiment a month in, some excluded), and each experiment's
 * analysis is stored in its cache as the person's own page would store it (20 distinct data
 * patterns, each analysed once by the real engine and copied to the experiments that share it).
 * Then the built server runs on that database and the monitor page is requested by the
 * researcher: server time is the median time to the last byte on loopback.
 */
import { eq, sql } from "drizzle-orm";
import { addDays } from "../src/core/datetime";
import type { CheckIn } from "../src/core/experiments/days";
import { freezeProtocol, type Protocol } from "../src/core/experiments/protocol";
import { createSchedule } from "../src/core/experiments/schedule";
import { createSeededRng } from "../src/core/stats/rng";
import { MONITOR_PAGE_SIZE } from "../src/core/studies/monitor";
import { consentHash, type StudyProtocol } from "../src/core/studies/study";
import { migrateDatabase, openPostgres, setProcessDatabase } from "../src/server/db/client";
import { createFreshPostgres } from "../src/server/db/fresh-postgres";
import { user } from "../src/server/db/schema";
import { getExperimentAnalyses } from "../src/server/experiments/results";
import {
  createExperiment,
  listExperimentDays,
  requireExperiment,
  toCheckIn,
  toScheduledDay,
} from "../src/server/repositories/experiments";
import {
  attachExperiment,
  createInvitation,
  createStudy,
  excludeParticipant,
  recordConsent,
} from "../src/server/repositories/studies";
import { startServer } from "../scripts/lib/matwise-process";
import { median, timedGet } from "./lib/http";
import { yesNo, type Benchmark, type BenchResult } from "./lib/types";

/** Issue 27 item 6 holds the monitor to 500 ms at 10,000 (issue 13 asked it at 1,000); BENCH_STUDY_PARTICIPANTS to change. */
const PARTICIPANTS = Number(process.env["BENCH_STUDY_PARTICIPANTS"] ?? 10_000);
const PATTERNS = 20;
const ROUNDS = 15;
const BUDGET_MS = 500;

async function get(url: string, cookie: string): Promise<{ ms: number; status: number; bytes: number; body: string }> {
  const r = await timedGet(url, cookie);
  return { ms: r.ms, status: r.status, bytes: r.body.length, body: r.body.toString("utf8") };
}

export const studiesBenchmark: Benchmark = {
  name: "studies",
  title: "Study monitor with 10,000 participants (PostgreSQL)",
  async run(): Promise<BenchResult> {
    const baseUrl = process.env.TEST_DATABASE_URL;
    const budget = `monitor page server time under ${BUDGET_MS} ms with ${PARTICIPANTS.toLocaleString("en")} participants on PostgreSQL (issue 13; issue 27 item 6)`;
    if (!baseUrl)
      return {
        markdown: "Not measured: set TEST_DATABASE_URL to a PostgreSQL server this benchmark may create a database on.",
        verdicts: [{ budget, measured: "not measured (no TEST_DATABASE_URL)", met: null }],
      };
    const fresh = await createFreshPostgres(baseUrl, "matwise_bench");
    const url = fresh.url;
    const handle = await openPostgres(url);
    let server: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      await migrateDatabase(handle);
      setProcessDatabase(handle);
      const db = handle.db;
      server = await startServer({ env: { DATABASE_URL: url } });
      const password = "a long enough passphrase";
      const signUp = await fetch(`${server.url}/account/sign-up`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
        body: new URLSearchParams({ name: "Rita", email: "rita@example.com", password, confirm: password }).toString(),
      });
      const cookie = signUp.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const researcherId = (await db.select({ id: user.id }).from(user).where(eq(user.email, "rita@example.com")))[0]!
        .id;

      const seedStart = performance.now();
      const today = new Date().toISOString().slice(0, 10);
      const shared: StudyProtocol = {
        version: 1,
        primaryOutcome: "pain",
        mcid: 1,
        comparator: "rest-without-mat",
        sessionMinutes: 15,
        sessionTime: "19:00",
        position: "lying",
        area: "back",
        periodDays: 1,
        pairs: 21,
        washout: false,
        locked: ["minutes", "position", "area"],
      };
      const items = ["I agree to share my study ratings under a code name.", "I may leave at any time."];
      const studyId = await createStudy(db, researcherId, {
        title: "Bench study",
        question: "Does it help?",
        contact: "rita@example.com",
        frozen: { protocol: shared, canonical: "{}", hash: "0".repeat(64) },
        screening: [],
        targetSize: 10_000,
        endsOn: addDays(today, 90),
        consent: { items, hash: consentHash(1, items) },
      });
      const codeHash = "b".repeat(64);
      await createInvitation(db, researcherId, studyId, { codeHash, kind: "study", label: "bench" });
      const ids = Array.from({ length: PARTICIPANTS }, (_, i) => `bench-participant-${i}`);
      for (let i = 0; i < ids.length; i += 500)
        await db
          .insert(user)
          .values(ids.slice(i, i + 500).map((id) => ({ id, name: `Person ${id}`, email: `${id}@example.com` })));
      const { startsOn, patterns } = makePatterns(today);
      const patternExperiment: string[] = [];
      const byPattern: string[][] = Array.from({ length: PATTERNS }, () => []);
      for (const [i, userId] of ids.entries()) {
        const participant = await recordConsent(db, userId, {
          invitationCodeHash: codeHash,
          version: 1,
          hash: consentHash(1, items),
          now: new Date(),
        });
        if (i % 50 === 49) {
          await excludeParticipant(db, userId, participant, "Screening: answered yes to “Are you pregnant?”");
          continue;
        }
        const k = i % PATTERNS;
        const experimentId = await createExperiment(db, userId, {
          ...patterns[k]!,
          frozenAt: new Date(`${startsOn}T08:00:00Z`),
        });
        await attachExperiment(db, userId, participant, experimentId);
        if (patternExperiment[k] === undefined) {
          patternExperiment[k] = experimentId;
          const experiment = await requireExperiment(db, userId, experimentId);
          const days = (await listExperimentDays(db, userId, experimentId)).map((d) => ({
            record: d,
            scheduled: toScheduledDay(d),
            checkIn: toCheckIn(d),
            status: "done" as const,
          }));
          await getExperimentAnalyses(db, userId, { experiment, days, today });
        } else byPattern[k]!.push(experimentId);
      }
      for (const [k, targets] of byPattern.entries()) {
        await db.execute(
          sql`update experiment set analysis_cache = (select analysis_cache from experiment where id = ${patternExperiment[k]!}), analysis_version = data_version where id in (${sql.join(
            targets.map((t) => sql`${t}`),
            sql`, `,
          )})`,
        );
      }
      await db.execute(sql`analyze`);
      const seedSeconds = (performance.now() - seedStart) / 1000;

      const page = `${server.url}/studies/${studyId}`;
      const first = await get(page, cookie);
      if (first.status !== 200) throw new Error(`monitor answered ${first.status}`);
      // The page must show what it is timed for: everyone counted and pooled (the grid and the table show 50 a page).
      const analysed = /In the pooled analysis: (\d+)/.exec(first.body)?.[1];
      if (analysed !== String(PARTICIPANTS - PARTICIPANTS / 50) || !first.body.includes("pooled-estimate"))
        throw new Error(`monitor shows ${analysed ?? "no"} analysed participants`);
      const times: number[] = [];
      for (let r = 0; r < ROUNDS; r++) times.push((await get(page, cookie)).ms);
      const csv: number[] = [];
      for (let r = 0; r < 5; r++) csv.push((await get(`${page}/effects.csv`, cookie)).ms);
      const med = median(times);
      const met = med < BUDGET_MS;
      const markdown = [
        `${PARTICIPANTS.toLocaleString("en")} participants (${PARTICIPANTS / 50} excluded, the others with a 42-day experiment ${Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${startsOn}T00:00:00Z`)) / 86_400_000)} days in, every analysis current in its cache), seeded in ${seedSeconds.toFixed(0)} s on PostgreSQL; the server ran from \`dist/\` on the same database. The page counts, draws the flow and pools everyone; its adherence grid and table of each person show ${MONITOR_PAGE_SIZE} participants a page (the first page is measured).`,
        "",
        "| request | median server time (ms) | first request (ms) | size (KB) |",
        "|---|---:|---:|---:|",
        `| \`/studies/<id>\` (monitor, ${ROUNDS} requests) | ${med.toFixed(0)} | ${first.ms.toFixed(0)} | ${(first.bytes / 1000).toFixed(0)} |`,
        `| \`/studies/<id>/effects.csv\` (5 requests) | ${median(csv).toFixed(0)} | | |`,
        "",
        `Within budget (${BUDGET_MS} ms): ${yesNo(met)}.`,
      ].join("\n");
      return { markdown, verdicts: [{ budget, measured: `median ${med.toFixed(0)} ms over ${ROUNDS} requests`, met }] };
    } finally {
      await server?.stop();
      await handle.close();
      await fresh.drop();
    }
  },
};

/** 20 data patterns of a 42-day experiment begun 30 days ago: different effects, some stopping early (inactive), as randomized by different seeds. */
function makePatterns(today: string) {
  const startsOn = addDays(today, -30);
  const patterns = Array.from({ length: PATTERNS }, (_, k) => {
    const protocol: Protocol = {
      version: 1,
      primaryOutcome: "pain",
      mcid: 1,
      comparator: "rest-without-mat",
      sessionMinutes: 15,
      sessionTime: "19:00",
      position: "lying",
      area: "back",
      periodDays: 1,
      pairs: 21,
      washout: false,
      startsOn,
      timeZone: "UTC",
      expectation: 5,
    };
    const schedule = createSchedule(protocol, 1000 + k);
    const rng = createSeededRng(2000 + k);
    const stopAt = k % 5 === 0 ? addDays(today, -6) : today;
    const recorded = new Map<string, CheckIn>();
    for (const d of schedule) {
      if (d.kind !== "period" || d.date >= stopAt) continue;
      const pain = Math.max(0, Math.min(10, Math.round(6 - (d.condition === "A" ? (k % 7) * 0.3 : 0) + rng.normal())));
      recorded.set(d.date, {
        date: d.date,
        recordedOn: d.date,
        adherence: rng.uniform() < 0.9 ? "as-assigned" : "skipped",
        values: { pain },
      });
    }
    return {
      frozen: freezeProtocol(protocol),
      scheduleSeed: 1000 + k,
      analysisSeed: 3000 + k,
      source: "matwise" as const,
      schedule,
      recorded,
    };
  });
  return { startsOn, patterns };
}
