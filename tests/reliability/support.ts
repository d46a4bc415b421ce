/**
 * Support for the reliability tests (`npm run test:reliability`): clients that write through
 * the real forms and endpoints and keep a ledger of what the server acknowledged, waiting on
 * conditions with deadlines, reading a process's memory, fresh PostgreSQL databases, and the
 * results that tests/reliability/report.ts writes into RELIABILITY.md.
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import WebSocket from "ws";
import safetyCheck from "../../src/content/safety/safety-check.json";
import { createFreshPostgres, type FreshPostgres } from "../../src/server/db/fresh-postgres";
import {
  ROOT,
  startServer as startMatwise,
  type RunningServer,
  type StartOptions,
} from "../../scripts/lib/matwise-process";
import { waitFor } from "../../scripts/lib/wait-for";
export { freePort, ROOT, type RunningServer } from "../../scripts/lib/matwise-process";

/**
 * Starts the server as the other tests do, but behind a "trusted proxy": the writers give each
 * feedback post an address of its own, so the per-address feedback limit does not stop them.
 */
export function startServer(opts: StartOptions = {}) {
  return startMatwise({ ...opts, env: { MATWISE_TRUST_PROXY: "1", ...opts.env } });
}

let feedbackAddress = 0;
/** A different documentation address (RFC 5737) for every feedback post. */
function nextFeedbackAddress(): string {
  feedbackAddress++;
  return `203.0.${Math.floor(feedbackAddress / 250) % 250}.${(feedbackAddress % 250) + 1}`;
}
export { waitFor };

export const RESULTS_DIR = join(ROOT, "test-results/reliability");

// ---------------------------------------------------------------------------------------
// HTTP without keep-alive: each request has its own connection, so a request that fails
// with a connection error was either refused before it started or cut off by the server,
// never lost in a client-side pool.
// ---------------------------------------------------------------------------------------

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((ok, fail) => {
    const req = request(
      url,
      {
        method: opts.method ?? "GET",
        headers: { ...opts.headers, ...(opts.body ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}) },
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", fail);
      },
    );
    req.on("error", fail);
    req.end(opts.body);
  });
}

export interface Account {
  email: string;
  cookie: string;
  /** A running experiment of this account and a day of it that takes an evening check-in. */
  experiment?: { id: string; date: string };
}

const PASSWORD = "a long enough passphrase";

/** Signs up through the form (the sign-up limit is 10 an hour per address: keep counts small). */
export async function signUp(base: string, label: string): Promise<Account> {
  const email = `${label}-${randomBytes(3).toString("hex")}@example.com`;
  const res = await send(`${base}/account/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ name: label, email, password: PASSWORD, confirm: PASSWORD }).toString(),
  });
  const setCookie = res.headers["set-cookie"];
  const cookie = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [])
    .map((c) => c.split(";")[0])
    .join("; ");
  if (res.status !== 303 || !cookie)
    throw new Error(`sign-up of ${email} failed with ${res.status}: ${res.body.slice(0, 200)}`);
  return { email, cookie };
}

/**
 * Gives a signed-in account a running experiment about pain that starts today (a new account's
 * clock is UTC), through the real forms: the safety check it needs, then the designer's last
 * step with every answer. Day 1 is a treatment or comparison day, so it takes check-ins.
 */
export async function startExperimentFor(
  base: string,
  account: Account,
): Promise<Account & { experiment: { id: string; date: string } }> {
  const form = (path: string, fields: Record<string, string>) =>
    send(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie: account.cookie },
      body: new URLSearchParams(fields).toString(),
    });
  const questions = safetyCheck.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
  const safety = await form("/account/safety-checks", Object.fromEntries(questions.map((id) => [id, "no"])));
  if (safety.status !== 303)
    throw new Error(`the safety check of ${account.email} answered ${safety.status}: ${safety.body.slice(0, 200)}`);
  const date = new Date().toISOString().slice(0, 10);
  const started = await form("/experiments/new", {
    outcome: "pain",
    mcid: "1",
    comparator: "rest-without-mat",
    minutes: "15",
    time: "19:00",
    position: "lying",
    area: "back",
    periodDays: "1",
    pairs: "6",
    washout: "no",
    expectation: "5",
    startsOn: date,
  });
  const id = /^\/experiments\/([0-9a-f-]{36})\?started=1$/.exec(String(started.headers.location ?? ""))?.[1];
  if (started.status !== 303 || !id)
    throw new Error(
      `starting an experiment for ${account.email} answered ${started.status}: ${messagesIn(started.body)}`,
    );
  return { ...account, experiment: { id, date } };
}

/** The message of a refused form (its summary, which lists every field problem) as plain text. */
function messagesIn(html: string): string {
  const summary = /<div[^>]*class="[^"]*form-message[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1];
  return summary
    ? summary
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim()
    : html.slice(0, 300);
}

/** The fields of the evening check-in, with the note (`harms`) carrying a marker and the browser's key set to it. */
export function checkInForm(date: string, marker: string): string {
  return new URLSearchParams({
    kind: "evening",
    date,
    adherence: "as-assigned",
    pain: "3",
    tension: "4",
    stress: "4",
    harms: marker,
    key: marker,
  }).toString();
}

/** The fields of the "log a session" form, with `note` carrying a marker. */
export function sessionForm(note: string): string {
  return new URLSearchParams({
    startedAt: "2026-01-10T08:00",
    minutes: "10",
    seconds: "0",
    position: "lying",
    area: "back",
    layer: "clothing",
    matId: "",
    note,
    discomfort: "5",
    painBefore: "4",
    painAfter: "3",
    tensionBefore: "5",
    tensionAfter: "4",
    stressBefore: "5",
    stressAfter: "4",
    relaxationBefore: "4",
    relaxationAfter: "6",
  }).toString();
}

// ---------------------------------------------------------------------------------------
// The ledger of writes.
// ---------------------------------------------------------------------------------------

/**
 * session and feedback writes add a row each; a check-in updates its day's row, so of a
 * client's check-ins only the latest acknowledged one (or one sent after it that got no answer)
 * can be in the database.
 */
export type WriteKind = "session" | "feedback" | "checkin";

export interface WriteRecord {
  kind: WriteKind;
  /** Which client wrote it (for sessions and check-ins: the index of its account). */
  client: number;
  /** Unique text stored with the row (the session's note, the feedback's message, the check-in's note). */
  marker: string;
  /**
   * acked: the server said it was stored (303/201), with its id; refused: the server said 503
   * (nothing stored); failed: another answer (a bug); in-doubt: no answer (connection error),
   * so it may or may not be stored.
   */
  state: "pending" | "acked" | "refused" | "failed" | "in-doubt";
  id?: string;
  status?: number;
  error?: string;
  /** Milliseconds from sending to the answer. */
  ms?: number;
  startedAt: number;
  endedAt?: number;
}

export class Ledger {
  readonly records: WriteRecord[] = [];
  readonly #prefix = `rel-${randomBytes(3).toString("hex")}`;
  #seq = 0;

  /** Markers start with this, so rows written by other tests are told apart. */
  get prefix(): string {
    return this.#prefix;
  }

  begin(kind: WriteKind, client: number): WriteRecord {
    const record: WriteRecord = {
      kind,
      client,
      marker: `${this.#prefix}-${kind}-${client}-${this.#seq++}`,
      state: "pending",
      startedAt: Date.now(),
    };
    this.records.push(record);
    return record;
  }

  count(state: WriteRecord["state"], kind?: WriteKind): number {
    return this.records.filter((r) => r.state === state && (!kind || r.kind === kind)).length;
  }

  acked(kind?: WriteKind): WriteRecord[] {
    return this.records.filter((r) => r.state === "acked" && (!kind || r.kind === kind));
  }
}

/** Sends one write and records the answer in `record`; `padding` adds that many random characters to a feedback message. */
export async function write(base: string, record: WriteRecord, account?: Account, padding = 0): Promise<void> {
  const t0 = performance.now();
  try {
    const form = { "content-type": "application/x-www-form-urlencoded", origin: base, cookie: account?.cookie ?? "" };
    const checkIn = account?.experiment;
    const res =
      record.kind === "session"
        ? await send(`${base}/sessions/new`, { method: "POST", headers: form, body: sessionForm(record.marker) })
        : record.kind === "checkin"
          ? await send(`${base}/experiments/${checkIn?.id ?? "none"}/check-in`, {
              method: "POST",
              headers: form,
              body: checkInForm(checkIn?.date ?? "", record.marker),
            })
          : await send(`${base}/api/feedback`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                accept: "application/json",
                "x-forwarded-for": nextFeedbackAddress(),
              },
              body: JSON.stringify({
                path: "/",
                kind: "other",
                message: padding
                  ? `${record.marker} ${randomBytes(Math.ceil(padding / 2)).toString("hex")}`
                  : record.marker,
              }),
            });
    record.status = res.status;
    const location = typeof res.headers.location === "string" ? res.headers.location : "";
    if (record.kind === "session" && res.status === 303 && /[?&]saved=([0-9a-f-]{36})/.test(location)) {
      record.state = "acked";
      record.id = /[?&]saved=([0-9a-f-]{36})/.exec(location)?.[1];
    } else if (
      record.kind === "checkin" &&
      res.status === 303 &&
      location === `/experiments/${checkIn?.id ?? ""}?checked-in=evening`
    ) {
      record.state = "acked";
      record.id = checkIn?.id;
    } else if (record.kind === "feedback" && res.status === 201) {
      record.state = "acked";
      record.id = (JSON.parse(res.body) as { id: string }).id;
    } else if (res.status === 503) {
      // A 503 says whether nothing was changed or the outcome is unknown (the database stopped mid-request).
      record.state = res.body.includes("may or may not have been saved") ? "in-doubt" : "refused";
      record.error = res.body.slice(0, 300);
    } else {
      record.state = "failed";
      record.error = `${res.status} ${location} ${res.body.slice(0, 300)}`;
    }
  } catch (err) {
    record.state = "in-doubt";
    record.error = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
  record.ms = performance.now() - t0;
  record.endedAt = Date.now();
}

export interface Writers {
  /** Resolves when every client has finished its last write. */
  done: Promise<void>;
  /** Asks the clients to stop after the write they are doing. */
  stop(): Promise<void>;
}

/**
 * Starts one client per account writing sessions, one per account of `checkIns` sending its
 * experiment's evening check-in again and again, and `feedbackClients` writing feedback, one
 * write at a time each, until stopped. A client also stops when its write gets no answer (the
 * server is gone), unless `keepGoing` is set; then it carries on once `base()` answers again.
 */
export function startWriters(opts: {
  base: () => string;
  ledger: Ledger;
  accounts: Account[];
  checkIns?: Account[];
  feedbackClients: number;
  keepGoing?: boolean;
  maxWrites?: number;
  padding?: number;
}): Writers {
  let stopped = false;
  const limit = opts.maxWrites ?? 1_000_000;
  const client = async (kind: WriteKind, n: number, account?: Account) => {
    while (!stopped && opts.ledger.records.length < limit) {
      const record = opts.ledger.begin(kind, n);
      await write(opts.base(), record, account, opts.padding);
      if (record.state === "in-doubt" && !opts.keepGoing) return;
      // A refusal or an error gives the server a moment instead of a hot loop.
      if (record.state !== "acked") await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = Promise.all([
    ...opts.accounts.map((a, i) => client("session", i, a)),
    ...(opts.checkIns ?? []).map((a, i) => client("checkin", 200 + i, a)),
    ...Array.from({ length: opts.feedbackClients }, (_, i) => client("feedback", 100 + i)),
  ]).then(() => undefined);
  return {
    done,
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Checking stored rows against the ledger.
// ---------------------------------------------------------------------------------------

export interface StoredRow {
  kind: WriteKind;
  id: string;
  marker: string;
}

export type Query = <R>(text: string) => Promise<R[]>;

/** The rows written by this ledger's clients, read with `query` (PGlite or PostgreSQL). */
export async function readStoredRows(query: Query, prefix: string): Promise<StoredRow[]> {
  const sessions = await query<{ id: string; marker: string }>(
    `select id::text as id, note as marker from mat_session where note like '${prefix}-%'`,
  );
  const feedback = await query<{ id: string; marker: string }>(
    `select id::text as id, split_part(message, ' ', 1) as marker from page_feedback where message like '${prefix}-%'`,
  );
  const checkIns = await query<{ id: string; marker: string }>(
    `select experiment_id::text as id, harms as marker from experiment_day where harms like '${prefix}-%'`,
  );
  return [
    ...sessions.map((r) => ({ kind: "session" as const, ...r })),
    ...feedback.map((r) => ({ kind: "feedback" as const, ...r })),
    ...checkIns.map((r) => ({ kind: "checkin" as const, ...r })),
  ];
}

export interface LedgerCheck {
  acked: number;
  inDoubt: number;
  inDoubtStored: number;
  /** Markers of the writes that got no answer and are stored. */
  storedInDoubt: Set<string>;
  stored: number;
  /** Everything that breaks a promise; empty when all is well. */
  problems: string[];
}

/**
 * Every acknowledged write is stored once, with the id the server gave; nothing is stored
 * twice; nothing is stored that was not written; and (unless `inDoubtMayBeStored`) nothing
 * the server did not answer was stored either. Check-ins update one day: for each check-in
 * client the day holds its latest acknowledged check-in, or one sent after it that got no
 * answer (when `inDoubtMayBeStored`), and nothing else.
 */
export function checkAgainstLedger(
  rows: StoredRow[],
  ledger: Ledger,
  opts: { inDoubtMayBeStored: boolean; only?: (r: WriteRecord) => boolean },
): LedgerCheck {
  const records = ledger.records.filter(opts.only ?? (() => true));
  const byMarker = new Map<string, StoredRow[]>();
  for (const row of rows) byMarker.set(row.marker, [...(byMarker.get(row.marker) ?? []), row]);
  const known = new Map(ledger.records.map((r) => [r.marker, r]));
  const problems: string[] = [];
  const storedInDoubt = new Set<string>();
  for (const r of records) {
    if (r.kind === "checkin") continue;
    const stored = byMarker.get(r.marker) ?? [];
    if (stored.length > 1) problems.push(`${r.marker} is stored ${stored.length} times`);
    if (r.state === "acked") {
      if (stored.length === 0) problems.push(`acknowledged ${r.kind} ${r.marker} (id ${r.id ?? "?"}) is missing`);
      else if (stored[0]?.id !== r.id)
        problems.push(`${r.marker} is stored with id ${stored[0]?.id ?? "?"}, acknowledged as ${r.id ?? "?"}`);
    } else if (stored.length > 0) {
      if (r.state === "in-doubt") {
        storedInDoubt.add(r.marker);
        if (!opts.inDoubtMayBeStored)
          problems.push(`${r.kind} ${r.marker} is stored although the server never answered it (${r.error ?? "?"})`);
      } else problems.push(`${r.kind} ${r.marker} is stored although the server answered ${r.status ?? "?"}`);
    }
  }
  const checkInClients = new Set(records.filter((r) => r.kind === "checkin").map((r) => r.client));
  for (const client of checkInClients) {
    const mine = records.filter((r) => r.kind === "checkin" && r.client === client);
    const lastAcked = mine.findLastIndex((r) => r.state === "acked");
    const allowed = mine.filter(
      (r, i) => i === lastAcked || (i > lastAcked && r.state === "in-doubt" && opts.inDoubtMayBeStored),
    );
    const stored = rows.filter((row) => row.kind === "checkin" && known.get(row.marker)?.client === client);
    const latest = mine[lastAcked];
    if (stored.length > 1)
      problems.push(`check-in client ${client} has ${stored.length} days with its note; it only ever wrote one`);
    const found = stored[0];
    const record = found ? known.get(found.marker) : undefined;
    if (!found) {
      if (latest) problems.push(`acknowledged check-in ${latest.marker} (experiment ${latest.id ?? "?"}) is missing`);
    } else if (!record || !allowed.includes(record)) {
      problems.push(
        `check-in client ${client}'s day holds ${found.marker} (${record?.state ?? "never written"}), not ${latest ? `the latest acknowledged ${latest.marker}` : "nothing"}`,
      );
    } else {
      if (record.state === "in-doubt") storedInDoubt.add(record.marker);
      if (record.id && found.id !== record.id)
        problems.push(`${found.marker} is stored in experiment ${found.id}, acknowledged for ${record.id}`);
    }
  }
  for (const row of rows)
    if (!known.has(row.marker))
      problems.push(`a ${row.kind} row ${row.id} (${row.marker}) was never written by a client`);
  return {
    acked: records.filter((r) => r.state === "acked").length,
    inDoubt: records.filter((r) => r.state === "in-doubt").length,
    inDoubtStored: storedInDoubt.size,
    storedInDoubt,
    stored: rows.length,
    problems: problems.slice(0, 20).concat(problems.length > 20 ? [`… and ${problems.length - 20} more`] : []),
  };
}

/** The ids of an account's sessions in its own export, as the running server sees them. */
export async function exportedSessionIds(base: string, account: Account): Promise<string[]> {
  const res = await send(`${base}/account/export.json`, { headers: { cookie: account.cookie } });
  if (res.status !== 200) throw new Error(`the export of ${account.email} answered ${res.status}`);
  return (JSON.parse(res.body) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
}

// ---------------------------------------------------------------------------------------
// Processes and databases.
// ---------------------------------------------------------------------------------------

/** Resident memory of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** What a server process holds after a full garbage collection. */
export interface SettledMemory {
  /** Resident memory (RSS) in bytes, read from /proc right after the collection. */
  rss: number;
  /** Bytes of live JavaScript objects (V8's used heap) after the collection. */
  heapUsed: number;
  /** Bytes outside the JavaScript heap that V8 knows of (buffers, WebAssembly memory). */
  external: number;
}

/**
 * A connection to the inspector of a server started with `nodeArgs: INSPECT_ARGS` (loopback, a
 * port the system picks; nothing of it exists in a server started any other way). It lets a test
 * ask for a full garbage collection before reading memory, so that a comparison of memory sees
 * what the process keeps, not how far V8 let garbage pile up before its next collection.
 */
export const INSPECT_ARGS = ["--inspect=127.0.0.1:0"];

export interface Inspector {
  settledMemory(): Promise<SettledMemory>;
  /** Disconnects; a process with an inspector client attached does not exit until it goes. */
  close(): Promise<void>;
}

export async function connectInspector(server: RunningServer): Promise<Inspector> {
  const address = await waitFor(
    "the server's inspector address",
    () => /Debugger listening on (ws:\/\/\S+)/.exec(server.output())?.[1],
    30_000,
  );
  const socket = new WebSocket(address);
  await new Promise<void>((ok, fail) => {
    socket.once("open", () => ok());
    socket.once("error", fail);
  });
  let lastId = 0;
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  socket.on("message", (data: Buffer) => {
    const msg = JSON.parse(data.toString("utf8")) as { id?: number; result?: unknown; error?: { message: string } };
    const w = msg.id === undefined ? undefined : waiting.get(msg.id);
    if (!w || msg.id === undefined) return;
    waiting.delete(msg.id);
    if (msg.error) w.fail(new Error(msg.error.message));
    else w.ok(msg.result);
  });
  socket.on("close", () => {
    for (const w of waiting.values()) w.fail(new Error("the inspector connection closed"));
    waiting.clear();
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((ok, fail) => {
      const id = ++lastId;
      waiting.set(id, { ok, fail });
      socket.send(JSON.stringify({ id, method, params }));
    });
  const pid = server.proc.pid ?? 0;
  return {
    async settledMemory() {
      // Two collections: the first may only run finalizers that free more.
      await call("HeapProfiler.collectGarbage");
      await call("HeapProfiler.collectGarbage");
      const rss = rssBytes(pid);
      const evaluated = (await call("Runtime.evaluate", {
        expression: "JSON.stringify(process.memoryUsage())",
        returnByValue: true,
      })) as { result: { value: string } };
      const usage = JSON.parse(evaluated.result.value) as { heapUsed: number; external: number };
      return { rss, heapUsed: usage.heapUsed, external: usage.external };
    },
    close: () =>
      new Promise<void>((ok) => {
        if (socket.readyState === WebSocket.CLOSED) return ok();
        socket.once("close", () => ok());
        socket.close();
      }),
  };
}

const CLUSTER_STATES = [
  "starting up",
  "shut down",
  "shut down in recovery",
  "shutting down",
  "in crash recovery",
  "in archive recovery",
  "in production",
];

/**
 * The state PostgreSQL recorded in a data folder's pg_control (the `state` field after the
 * system identifier and two version numbers): "shut down" after a clean stop, "in production"
 * when the process died while the database was open.
 */
export function clusterState(dataDir: string): string {
  const state = readFileSync(join(dataDir, "global/pg_control")).readUInt32LE(16);
  return CLUSTER_STATES[state] ?? `unknown (${state})`;
}

/** A new, empty PostgreSQL database next to TEST_DATABASE_URL's, dropped by `drop()`. */
export const freshPostgres = (baseUrl: string): Promise<FreshPostgres> => createFreshPostgres(baseUrl, "matwise_rel");

// ---------------------------------------------------------------------------------------
// Results for RELIABILITY.md.
// ---------------------------------------------------------------------------------------

export interface SectionResult {
  /** Marker name of the section in RELIABILITY.md. */
  name: string;
  title: string;
  passed: boolean;
  /** Short figures for the summary table. */
  summary: string;
  /** The section's body (generated markdown). */
  markdown: string;
}

/** Stores a result for tests/reliability/report.ts to write into RELIABILITY.md after the run. */
export function recordResult(result: SectionResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(RESULTS_DIR, `${result.name}.json`),
    JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2),
  );
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString("en-US"),
  ms: (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`,
  mb: (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`,
  s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
};
