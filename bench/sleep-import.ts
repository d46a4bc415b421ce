/**
 * Benchmark: importing a large Apple Health export in bounded memory. A 210 MB export.xml
 * (1,500 nights of sleep stages among heart-rate records, as in a real export) is generated in
 * a temporary folder, then read (1) by a process that does only the import, with the server's
 * own reader, and (2) by `matwise serve` receiving it as an upload on /account/import, on
 * PGlite and, when TEST_DATABASE_URL is set, on PostgreSQL (a fresh database beside it). Memory is the
 * process's peak resident set (Linux VmHWM); for the server it is reset just before the
 * upload, so its idle size (mostly the embedded database) is shown apart from what the import
 * adds. Budget (issue 16): the import's peak under 300 MB.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeLargeAppleExport } from "../scripts/lib/large-apple-export";
import { createFreshPostgres } from "../src/server/db/fresh-postgres";
import { startServer } from "../scripts/lib/matwise-process";
import { importInChild, peakRssKb, resetPeak, rssKb, uploadFile } from "../scripts/lib/sleep-import-memory";
import type { Benchmark, BenchResult, Verdict } from "./lib/types";

const TARGET_BYTES = 210 * 1000 * 1000;
const MiB = (kb: number) => (kb / 1024).toFixed(0);

async function signUp(base: string): Promise<string> {
  const password = "a long enough passphrase";
  const email = `bench${randomBytes(4).toString("hex")}@example.com`;
  const res = await fetch(`${base}/account/sign-up`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ name: "Bench", email, password, confirm: password }).toString(),
  });
  await res.arrayBuffer();
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function throughServer(file: string, engine: "PGlite" | "PostgreSQL", databaseUrl?: string) {
  const server = await startServer(databaseUrl ? { env: { DATABASE_URL: databaseUrl } } : {});
  try {
    const cookie = await signUp(server.url);
    const pid = server.proc.pid!;
    const idle = rssKb(pid);
    resetPeak(pid);
    const t0 = performance.now();
    const answer = await uploadFile(server.url, cookie, file);
    const seconds = (performance.now() - t0) / 1000;
    if (answer.status !== 303)
      throw new Error(`the upload was refused (${answer.status}): ${answer.text.slice(0, 300)}`);
    return { engine, idle, peak: peakRssKb(pid), seconds, location: answer.location ?? "" };
  } finally {
    await server.stop();
  }
}

async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "matwise-bench-sleep-"));
  try {
    const file = join(dir, "export.xml");
    const written = await writeLargeAppleExport(file, TARGET_BYTES);
    const child = await importInChild(file);
    const servers = [await throughServer(file, "PGlite")];
    const base = process.env["TEST_DATABASE_URL"];
    if (base) {
      // A database of its own beside TEST_DATABASE_URL's: the base one may hold another checkout's tables.
      const fresh = await createFreshPostgres(base, "matwise_bench");
      try {
        servers.push(await throughServer(file, "PostgreSQL", fresh.url));
      } finally {
        await fresh.drop();
      }
    }
    const mb = (written.bytes / 1e6).toFixed(0);
    const rate = (seconds: number) => (written.bytes / 1e6 / seconds).toFixed(0);
    const markdown = [
      `A generated Apple Health export.xml of ${mb} MB (${written.nights.toLocaleString("en")} nights among heart-rate records), read as a stream.`,
      "",
      "| what | peak resident memory | idle before | time | throughput |",
      "|---|---|---|---|---|",
      `| import alone (scripts/measure-sleep-import.ts: the server's reader in its own process) | ${MiB(child.peakRssKb)} MiB | ${MiB(child.peakRssKbBeforeReading)} MiB (the process before reading) | ${child.seconds.toFixed(1)} s | ${rate(child.seconds)} MB/s |`,
      ...servers.map(
        (s) =>
          `| \`matwise serve\` on ${s.engine}: upload on loopback, streamed to disk, read and stored | ${MiB(s.peak)} MiB (+${MiB(s.peak - s.idle)} MiB over idle) | ${MiB(s.idle)} MiB | ${s.seconds.toFixed(1)} s | ${rate(s.seconds)} MB/s |`,
      ),
      "",
      `Nights found: ${child.nights} (the import alone), and the server answered ${servers.map((s) => `\`${s.location}\``).join(", ")}.`,
      "The server's idle size is its own (Astro, the modules and, on PGlite, the embedded database's memory), not the import's; the import adds the second figure in brackets.",
    ].join("\n");
    const verdicts: Verdict[] = [
      {
        budget: "sleep import of a 200+ MB Apple export: peak memory under 300 MB (issue 16)",
        measured: `${MiB(child.peakRssKb)} MiB peak (import alone, ${mb} MB file)`,
        met: child.peakRssKb * 1024 < 300 * 1e6,
      },
      ...servers.map((s) => ({
        budget: `…the same upload through the server on ${s.engine}: memory it adds`,
        measured: `+${MiB(s.peak - s.idle)} MiB over ${MiB(s.idle)} MiB idle`,
        met: null,
      })),
    ];
    return { markdown, verdicts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const sleepImportBenchmark: Benchmark = {
  name: "sleep-import",
  title: "Sleep import: a large Apple Health export in bounded memory",
  run,
};
