/**
 * Online backup: `matwise backup` while the server runs and clients write. The running server
 * makes the snapshot (through its local socket); writes go on meanwhile. `matwise restore` of
 * that snapshot must hold every write acknowledged before the backup began, nothing that was
 * not acknowledged by the end, nothing twice, none of the writes acknowledged after the backup
 * had finished (it is a snapshot of one moment), and pass the consistency check; a server on
 * the restored folder must show it. With the server stopped, `matwise backup` still works.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPgliteFolder, type ConsistencyReport } from "./consistency";
import {
  checkAgainstLedger,
  exportedSessionIds,
  fmt,
  Ledger,
  readStoredRows,
  recordResult,
  ROOT,
  signUp,
  startServer,
  startWriters,
  waitFor,
  type Account,
  type LedgerCheck,
  type RunningServer,
  type StoredRow,
} from "./support";

interface CliRun {
  code: number | null;
  out: string;
  ms: number;
}

/** Runs `matwise …` as a child process, without blocking this one (the writers go on). */
function matwise(args: string[], dataDir: string): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, MATWISE_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, "bin/matwise.mjs"), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((ok) => child.once("exit", (code) => ok({ code, out, ms: performance.now() - t0 })));
}

describe("online backup", () => {
  it("snapshots the running server under write load, and the restore holds exactly what was acknowledged before it", async () => {
    const base = mkdtempSync(join(tmpdir(), "matwise-rel-backup-"));
    const dataDir = join(base, "db");
    const snapshot = join(base, "online.tar.gz");
    const ledger = new Ledger();
    let server: RunningServer | null = null;
    const f: {
      backup?: CliRun;
      bytes?: number;
      ackedBefore?: number;
      ackedDuring?: number;
      slowestDuringMs?: number;
      ackedAfter?: number;
      restored?: StoredRow[];
      check?: LedgerCheck;
      consistency?: ConsistencyReport;
      problems: string[];
      offline?: CliRun;
      offlineRows?: number;
    } = { problems: [] };
    try {
      server = await startServer({ dataDir });
      const running = server;
      const accounts: Account[] = [];
      for (const name of ["ann", "bob", "cyd"]) accounts.push(await signUp(running.url, name));
      const writers = startWriters({ base: () => running.url, ledger, accounts, feedbackClients: 2 });
      await waitFor("100 acknowledged writes", () => ledger.count("acked") >= 100, 60_000);

      const t0 = Date.now();
      const before = new Set(ledger.acked().map((r) => r.marker));
      f.backup = await matwise(["backup", "--out", snapshot], dataDir);
      const t1 = Date.now();
      expect(f.backup.out).toContain("by the running server");
      expect(f.backup.code).toBe(0);
      f.bytes = statSync(snapshot).size;
      const during = ledger.records.filter((r) => r.startedAt >= t0 && (r.endedAt ?? Infinity) <= t1);
      f.ackedDuring = during.filter((r) => r.state === "acked").length;
      f.slowestDuringMs = Math.max(
        0,
        ...ledger.records.filter((r) => (r.endedAt ?? 0) >= t0 && r.startedAt <= t1).map((r) => r.ms ?? 0),
      );
      const target = ledger.count("acked") + 60;
      await waitFor("60 more acknowledged writes after the backup", () => ledger.count("acked") >= target, 60_000);
      await writers.stop();
      expect(await running.stop()).toBe(0);
      server = null;
      expect(
        ledger.records.filter((r) => r.state !== "acked").map((r) => `${r.state} ${r.status ?? ""} ${r.error ?? ""}`),
      ).toEqual([]);

      // Restore into a new folder and compare with the ledger.
      const restoredDir = join(base, "restored");
      const restore = await matwise(["restore", snapshot], restoredDir);
      expect(restore.out).toContain("Restored");
      expect(restore.code).toBe(0);
      const checked = await checkPgliteFolder(restoredDir, (q) => readStoredRows(q, ledger.prefix));
      const rows = checked.extra ?? [];
      f.restored = rows;
      f.consistency = checked.report;
      const inRestore = new Set(rows.map((r) => r.marker));
      f.ackedBefore = before.size;
      f.ackedAfter = ledger.records.filter((r) => r.startedAt > t1).length;
      // Every row in the restore was acknowledged with the same id, once; nothing else is there.
      f.check = checkAgainstLedger(rows, ledger, { inDoubtMayBeStored: false, only: (r) => inRestore.has(r.marker) });
      f.problems.push(...f.check.problems);
      for (const m of before)
        if (!inRestore.has(m))
          f.problems.push(`${m} was acknowledged before the backup began but is not in the restore`);
      for (const r of ledger.records)
        if (r.startedAt > t1 && inRestore.has(r.marker))
          f.problems.push(`${r.marker} was written after the backup had finished but is in the restore`);
      expect(f.problems).toEqual([]);
      expect(f.consistency.problems).toEqual([]);
      expect(f.ackedAfter).toBeGreaterThanOrEqual(60);

      // A server on the restored folder shows each account exactly its restored sessions.
      server = await startServer({ dataDir: restoredDir });
      for (const [i, account] of accounts.entries()) {
        const expected = rows
          .filter((r) => r.kind === "session" && r.marker.includes(`-session-${i}-`))
          .map((r) => r.id);
        expect((await exportedSessionIds(server.url, account)).sort()).toEqual(expected.sort());
      }
      expect(await server.stop()).toBe(0);
      server = null;

      // With no server running, the command opens the folder itself, as before.
      const offlineFile = join(base, "offline.tar.gz");
      f.offline = await matwise(["backup", "--out", offlineFile], dataDir);
      expect(f.offline.code).toBe(0);
      expect(f.offline.out).not.toContain("by the running server");
      const offlineDir = join(base, "offline-restored");
      expect((await matwise(["restore", offlineFile], offlineDir)).code).toBe(0);
      f.offlineRows = (await checkPgliteFolder(offlineDir, (q) => readStoredRows(q, ledger.prefix))).extra?.length ?? 0;
      expect(f.offlineRows).toBe(ledger.count("acked"));
    } finally {
      if (server) await server.stop("SIGKILL");
      rmSync(base, { recursive: true, force: true });
      const passed =
        f.problems.length === 0 &&
        f.backup?.code === 0 &&
        f.consistency?.problems.length === 0 &&
        f.offlineRows === ledger.count("acked");
      recordResult({
        name: "online-backup",
        title: "Online backup",
        passed,
        summary: `snapshot taken in ${f.backup ? fmt.s(f.backup.ms) : "?"} while ${f.ackedDuring ?? "?"} writes were acknowledged; restore holds all ${f.ackedBefore ?? "?"} writes acknowledged before it, none of the ${f.ackedAfter ?? "?"} after`,
        markdown: [
          "3 signed-in clients post sessions and 2 post feedback, one request at a time each. After 100 acknowledged writes, `matwise backup --out FILE` runs as its own process while the clients go on; it asks the running server over the socket `<data dir>.sock` (mode 0600). After 60 more acknowledged writes the clients stop, the server stops, and `matwise restore FILE` puts the snapshot into a new folder.",
          "",
          "| measured | value |",
          "|---|---|",
          `| \`matwise backup\` (process start to exit) | ${f.backup ? fmt.s(f.backup.ms) : "?"}, exit ${f.backup?.code ?? "?"} |`,
          `| snapshot size (gzipped) | ${f.bytes === undefined ? "?" : fmt.mb(f.bytes)} |`,
          `| writes acknowledged while the backup ran / slowest write meanwhile | ${f.ackedDuring ?? "?"} / ${f.slowestDuringMs === undefined ? "?" : fmt.ms(f.slowestDuringMs)} |`,
          `| writes acknowledged before the backup began / in the restore | ${f.ackedBefore ?? "?"} / ${f.ackedBefore === undefined ? "?" : f.ackedBefore - f.problems.filter((p) => p.includes("before the backup began")).length} |`,
          `| rows in the restore (written by the clients) | ${f.restored?.length ?? "?"} (the ones beyond those acknowledged before the backup were written while it ran) |`,
          `| writes acknowledged after the backup had finished / in the restore | ${f.ackedAfter ?? "?"} / ${f.problems.filter((p) => p.includes("after the backup had finished")).length} |`,
          `| rows in the restore that were not acknowledged, or twice, or with another id | ${f.check?.problems.length ?? "?"} |`,
          `| consistency check of the restore | ${f.consistency ? `${f.consistency.amcheck === "amcheck" ? "amcheck" : f.consistency.amcheck}: ${f.consistency.problems.length} problems` : "?"} |`,
          `| \`matwise backup\` with the server stopped | ${f.offline ? `exit ${f.offline.code ?? "?"}, restore holds ${f.offlineRows ?? "?"} of ${ledger.count("acked")} acknowledged writes` : "?"} |`,
          ...(f.problems.length ? ["", ...f.problems.slice(0, 10).map((p) => `- ${p}`)] : []),
        ].join("\n"),
      });
    }
  });
});
