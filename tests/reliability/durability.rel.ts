/**
 * Durability: the server is killed with SIGKILL ten times while several clients write session
 * logs (signed in), experiment check-ins (signed in, each client updating its experiment's day
 * again and again) and page feedback. After each kill the server restarts on the same data;
 * every write it acknowledged must be there, exactly once, with the id it gave (for a check-in:
 * the day holds the latest acknowledged one, or one sent after it that got no answer), nothing may be
 * there that no client wrote, and the database must pass its consistency check (amcheck where
 * it can run). Writes in flight at the kill (no answer) may or may not be there, but only once.
 *
 * On PGlite the check runs on a copy of the folder taken right after the kill (the copy
 * recovers exactly as the server does), while the server restarts on the original; every
 * account's own export, read through the restarted server, must also hold its acknowledged
 * sessions. On PostgreSQL the check reads the database the server uses.
 */
import { cpSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { checkConsistency, checkPgliteFolder, checkPostgres, type ConsistencyReport } from "./consistency";
import {
  checkAgainstLedger,
  clusterState,
  exportedSessionIds,
  fmt,
  freshPostgres,
  Ledger,
  readStoredRows,
  recordResult,
  send,
  signUp,
  startExperimentFor,
  startServer,
  startWriters,
  waitFor,
  type Account,
  type LedgerCheck,
  type RunningServer,
} from "./support";

const KILLS = 10;
const PG_URL = process.env.TEST_DATABASE_URL;

interface Round {
  round: number;
  ackedTotal: number;
  inFlightAtKill: number;
  inDoubtStored: number;
  restartMs: number;
  check: LedgerCheck;
  consistency: ConsistencyReport;
}

function problemsOf(round: number, check: LedgerCheck, consistency: ConsistencyReport, exported: string[]): string[] {
  return [...check.problems, ...consistency.problems.map((p) => `consistency: ${p}`), ...exported].map(
    (p) => `after kill ${round}: ${p}`,
  );
}

describe("the consistency check", () => {
  it("finds a damaged table, with amcheck and without it", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "matwise-rel-corrupt-")), "db");
    try {
      const db = await PGlite.create(dir);
      await db.exec(
        "create table t (id int primary key, body text); insert into t select g, repeat('x', 100) from generate_series(1, 500) g;",
      );
      const file = (await db.query<{ p: string }>("select pg_relation_filepath('t') as p")).rows[0]?.p ?? "";
      await db.close();
      expect((await checkPgliteFolder(dir)).report.problems).toEqual([]);
      // Overwrite the line pointers of the table's second page.
      const fd = openSync(join(dir, file), "r+");
      writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 8192 + 40);
      closeSync(fd);
      const damaged = (await checkPgliteFolder(dir)).report;
      expect(damaged.amcheck).toBe("amcheck");
      expect(damaged.problems.join("\n")).toMatch(/verify_heapam\(public\.t\) failed: invalid page/);
      const plain = await PGlite.create(dir);
      try {
        const report = await checkConsistency(async <R>(text: string) => (await plain.query<R>(text)).rows);
        expect(report.amcheck).toMatch(/^not available/);
        expect(report.problems.join("\n")).toMatch(/reading every row of "public"."t" failed: invalid page/);
      } finally {
        await plain.close();
      }
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });
});

if (!PG_URL)
  console.warn(
    "[reliability] durability on PostgreSQL skipped: TEST_DATABASE_URL is not set (CI sets it; see .ci/run).",
  );

describe.each([
  { engine: "pglite" as const, skip: false },
  { engine: "postgresql" as const, skip: !PG_URL },
])("durability under SIGKILL on $engine", ({ engine, skip }) => {
  it.skipIf(skip)(`keeps every acknowledged write through ${KILLS} kills during concurrent writes`, async () => {
    const base = mkdtempSync(join(tmpdir(), `matwise-rel-kill-${engine}-`));
    const dataDir = join(base, "db");
    const pgdb = engine === "postgresql" ? await freshPostgres(PG_URL ?? "") : null;
    const env: Record<string, string> = pgdb ? { DATABASE_URL: pgdb.url } : {};
    const ledger = new Ledger();
    const rounds: Round[] = [];
    const problems: string[] = [];
    const t0 = performance.now();
    let server: RunningServer | null = null;
    let final: { check: LedgerCheck; consistency: ConsistencyReport; exitCode: number | null } | null = null;
    try {
      server = await startServer({ dataDir, env });
      const accounts: Account[] = [];
      for (const name of ["ann", "bob", "cyd"]) accounts.push(await signUp(server.url, name));
      const checkIns: Account[] = [];
      for (const name of ["dee", "eve"])
        checkIns.push(await startExperimentFor(server.url, await signUp(server.url, name)));

      for (let round = 1; round <= KILLS; round++) {
        const running: RunningServer = server;
        // Kill after a different number of acknowledged writes each round (30 to 69 more).
        const target = ledger.count("acked") + 30 + ((round * 17) % 40);
        const writers = startWriters({ base: () => running.url, ledger, accounts, checkIns, feedbackClients: 2 });
        await waitFor(
          `${target} acknowledged writes before kill ${round}`,
          () => {
            const failed = ledger.records.find((r) => r.state === "failed" || r.state === "refused");
            if (failed) throw new Error(`a write was answered ${failed.status ?? "?"}: ${failed.error ?? ""}`);
            return ledger.count("acked") >= target;
          },
          120_000,
        );
        const inFlight = ledger.records.filter((r) => r.state === "pending");
        running.proc.kill("SIGKILL");
        await running.exited;
        await writers.done;

        const copy = engine === "pglite" ? join(base, `after-kill-${round}`) : null;
        if (copy) {
          cpSync(dataDir, copy, { recursive: true });
          // The database was open when the process died: this is a crash, not a stop.
          expect(clusterState(copy)).toBe("in production");
        }
        const t = performance.now();
        server = await startServer({ dataDir, env });
        const restartMs = performance.now() - t;

        // Through the restarted server: each account's export holds its acknowledged sessions once.
        const exported: string[] = [];
        for (const [i, account] of accounts.entries()) {
          const ids = await exportedSessionIds(server.url, account);
          if (new Set(ids).size !== ids.length) exported.push(`${account.email}'s export lists a session twice`);
          const have = new Set(ids);
          for (const r of ledger.acked("session").filter((x) => x.client === i))
            if (!have.has(r.id ?? ""))
              exported.push(`${account.email}'s export lacks acknowledged session ${r.id ?? "?"}`);
        }
        expect((await send(`${server.url}/healthz`)).status).toBe(200);

        const checked = copy
          ? await checkPgliteFolder(copy, (q) => readStoredRows(q, ledger.prefix))
          : await checkPostgres(pgdb?.url ?? "", (q) => readStoredRows(q, ledger.prefix));
        const check = checkAgainstLedger(checked.extra ?? [], ledger, { inDoubtMayBeStored: true });
        rounds.push({
          round,
          ackedTotal: check.acked,
          inFlightAtKill: inFlight.length,
          inDoubtStored: inFlight.filter((r) => check.storedInDoubt.has(r.marker)).length,
          restartMs,
          check,
          consistency: checked.report,
        });
        problems.push(...problemsOf(round, check, checked.report, exported));
        if (copy) rmSync(copy, { recursive: true, force: true });
        if (problems.length) break;
      }

      // Finally a clean stop, and the same checks on the database itself.
      const exitCode = await server.stop();
      server = null;
      const checked =
        engine === "pglite"
          ? await checkPgliteFolder(dataDir, (q) => readStoredRows(q, ledger.prefix))
          : await checkPostgres(pgdb?.url ?? "", (q) => readStoredRows(q, ledger.prefix));
      final = {
        check: checkAgainstLedger(checked.extra ?? [], ledger, { inDoubtMayBeStored: true }),
        consistency: checked.report,
        exitCode,
      };
      problems.push(
        ...problemsOf(KILLS + 1, final.check, final.consistency, []).map((p) =>
          p.replace(`after kill ${KILLS + 1}`, "after the final stop"),
        ),
      );
      expect(exitCode).toBe(0);
      expect(problems).toEqual([]);
      expect(rounds).toHaveLength(KILLS);
      // Not a vacuous pass: every kind of write was acknowledged many times.
      for (const kind of ["session", "feedback", "checkin"] as const)
        expect(ledger.count("acked", kind), kind).toBeGreaterThan(KILLS);
    } finally {
      if (server) await server.stop("SIGKILL");
      await pgdb?.drop();
      rmSync(base, { recursive: true, force: true });
      const acked = ledger.count("acked");
      const consistencyNote = rounds[0]?.consistency.amcheck ?? "not run";
      const passed = problems.length === 0 && rounds.length === KILLS && final?.exitCode === 0;
      recordResult({
        name: `durability-${engine}`,
        title: `Durability under SIGKILL (${engine})`,
        passed,
        summary: `${rounds.length} kills survived; ${fmt.int(acked)} acknowledged writes (${fmt.int(ledger.count("acked", "session"))} session logs and ${fmt.int(ledger.count("acked", "feedback"))} feedback all present once, ${fmt.int(ledger.count("acked", "checkin"))} check-in updates with the latest kept); ${final ? final.consistency.problems.length : "?"} consistency problems`,
        markdown: [
          `${KILLS} rounds: 3 signed-in clients post the "log a session" form, 2 signed-in clients post the evening check-in of their running experiment's first day again and again (each time with a new note, so the day is updated), and 2 clients post \`/api/feedback\`, one request at a time each, each on its own connection; after 30–69 more acknowledged writes the server gets SIGKILL and restarts on the same ${engine === "pglite" ? "folder" : "database"}. A write is acknowledged when the server answers 303 with the session's id (a 303 back to the experiment for a check-in, 201 with the id for feedback). A session or feedback must then be stored once; a check-in day must hold the client's latest acknowledged note, or the note of the one request after it that got no answer. Took ${fmt.s(performance.now() - t0)} in all.`,
          "",
          `Consistency check: ${consistencyNote === "amcheck" ? "amcheck (`verify_heapam` on every table, `bt_index_check` with `heapallindexed` on every B-tree index, catalogs included) and a scan reading every row of every table" : consistencyNote}.`,
          "",
          "| kill | acknowledged so far | in flight at the kill | of those, stored | restart | tables / B-tree indexes checked | rows read | problems |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|",
          ...rounds.map(
            (r) =>
              `| ${r.round} | ${fmt.int(r.ackedTotal)} | ${r.inFlightAtKill} | ${r.inDoubtStored} | ${fmt.s(r.restartMs)} | ${r.consistency.tables} / ${r.consistency.btreeIndexes} | ${fmt.int(r.consistency.rows)} | ${r.check.problems.length + r.consistency.problems.length} |`,
          ),
          "",
          final
            ? `After a final SIGTERM (exit status ${final.exitCode ?? "none"}): ${fmt.int(final.check.acked)} acknowledged writes checked; ${fmt.int(final.check.stored)} rows and days hold a marker (the check-ins updated 2 days; ${final.check.inDoubtStored} of the markers come from writes cut off by a kill that had been committed); ${final.check.problems.length} missing, duplicated or out of date; ${final.consistency.problems.length} consistency problems.`
            : "The run did not finish.",
          ...(problems.length ? ["", "Problems:", "", ...problems.slice(0, 20).map((p) => `- ${p}`)] : []),
        ].join("\n"),
      });
    }
  });
});
