/**
 * `matwise serve`: validate the environment, open and lock the database, migrate, take the
 * daily automatic snapshot of the embedded database, then load the built Astro server behind
 * the request gate (graceful stop, 503 when the database cannot write) and, for the embedded
 * database, listen for online backups on a local socket.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Server } from "node:http";
import { backupSocketPath, listenForBackups, type BackupListener } from "../server/db/backup-socket";
import { migrateDatabase, setProcessDatabase, type DbHandle } from "../server/db/client";
import { logger } from "../server/log";
import { createMailer } from "../server/mailer";
import { normalizeOrigin } from "../server/origin";
import { startReminderScheduler, tickInterval, type ReminderScheduler } from "../server/reminders/scheduler";
import { installRequestGate, type RequestGate } from "../server/request-gate";
import { removeUnfinishedImports } from "../server/repositories/experiments";
import { removeLeftoverUploads } from "../server/uploads";
import { createWebServer } from "../server/web-server";
import { automaticBackupApart, finishAutomaticBackup } from "./automatic-backup";
import type { CommandModule } from "./command";
import { projectRoot } from "./command";
import { loadEnv, openForCli } from "./open";
import type { Env } from "../server/env";
import { closeWorkerPool } from "../server/workers/pool";
import { markServing } from "../server/build-in-use";
import { warmChartCode } from "../server/charts/warm";
import { warmWorkerPool } from "../server/workers/pool";
import { warmAnalyses, warmPageCode } from "../server/workers/warm-analyses";

/** How long a stop waits for requests in flight; with closing the database it stays under 10 s. */
const DRAIN_MS = 8_000;
/** How long connections that are open but have not sent a request get to send one (and hear 503). */
const CONNECTIONS_GRACE_MS = 500;
/** How long a stop waits for the reminder scheduler's tick in progress. */
const REMINDERS_STOP_MS = 1_000;
/** How long closing the database may take before the process ends anyway. */
const CLOSE_MS = 1_000;

export const serveCommand: CommandModule = {
  summary: "run the web server (build it first with `npm run build`)",
  usage: [
    "Usage: matwise serve",
    "",
    "Starts the web server on HOST:PORT (default 127.0.0.1:4321) with the embedded database in",
    "MATWISE_DATA_DIR (default ./data/db), or PostgreSQL when DATABASE_URL is set. Pending",
    "migrations are applied first. On the embedded database a snapshot is kept in the backups",
    "folder beside it once a day (the last 7 are kept), and `matwise backup` asks the running",
    "server for a snapshot through the socket <data dir>.sock (mode 0600, local only).",
    "",
    "Every server also sends the reminders people chose (push, email); with several servers on one",
    "PostgreSQL each reminder is sent once.",
    "",
    "SIGTERM or SIGINT stops it gracefully: requests in flight are finished (up to 8 s), new ones",
    "get 503, the database is closed, and the exit status is 0.",
  ].join("\n"),
  options: {},
  async run(_args, io) {
    const env = loadEnv(io);
    if (!env) return 1;
    const entry = join(projectRoot(), "dist/server/entry.mjs");
    if (!existsSync(entry)) {
      io.stderr("matwise serve: the server is not built yet. Run `npm run build` first (or use `npm start`).");
      return 1;
    }
    // `npm run build` refuses to empty dist/ while this process serves it.
    markServing(projectRoot());
    // The daily snapshot is written by a child process before this one opens the folder (decision 099).
    const apart = env.DATABASE_URL ? null : automaticBackupApart(env.dataDir);
    const handle = await openForCli(env, io);
    if (!handle) return 1;
    try {
      await migrateDatabase(handle);
      await finishAutomaticBackup(handle, apart);
    } catch (err) {
      io.stderr(`matwise serve: could not prepare the database: ${(err as Error).message}`);
      await handle.close();
      return 1;
    }
    setProcessDatabase(handle);
    await cleanUpAfterAnEarlierRun(handle);

    const running: {
      server?: Server;
      gate?: RequestGate;
      backups?: BackupListener | null;
      reminders?: ReminderScheduler;
    } = {};
    let closing = false;
    const warming = new AbortController();
    const shutdown = async (signal: string): Promise<number> => {
      const { server, gate, backups, reminders } = running;
      warming.abort();
      logger.info(
        `${signal} received: finishing ${gate?.inFlight() ?? 0} request(s) in flight, then closing the database`,
      );
      const remindersStopped = reminders?.stop();
      const { cutOff } = gate ? await gate.drain(DRAIN_MS) : { cutOff: 0 };
      if (cutOff) logger.error(`${cutOff} request(s) were still running after ${DRAIN_MS / 1000} s and are cut off`);
      if (gate) await gate.close(CONNECTIONS_GRACE_MS);
      else server?.close();
      await backups?.close();
      await closeWorkerPool().catch((err: unknown) => logger.error("error while ending the worker pool", err));
      // A send still in flight may take a while (a slow push service); its lease lets another process finish it.
      await Promise.race([remindersStopped, new Promise((r) => setTimeout(r, REMINDERS_STOP_MS).unref())]);
      let closed = false;
      await Promise.race([
        handle.close().then(() => (closed = true)),
        new Promise((r) => setTimeout(r, CLOSE_MS).unref()),
      ]).catch((err: unknown) => logger.error("error while closing the database", err));
      if (!closed) logger.error(`the database did not close within ${CLOSE_MS / 1000} s`);
      else logger.info("database closed; stopped");
      return closed && !cutOff ? 0 : 1;
    };
    const onSignal = (signal: string) => {
      if (closing) return;
      closing = true;
      void shutdown(signal).then((code) => process.exit(code));
    };
    process.on("SIGTERM", () => onSignal("SIGTERM"));
    process.on("SIGINT", () => onSignal("SIGINT"));

    // Load Astro's handler without its own server, and put ours (static files from memory,
    // compressed, with security headers) in front of it, behind the request gate.
    process.env.ASTRO_NODE_AUTOSTART = "disabled";
    const { handler } = (await import(pathToFileURL(entry).href)) as { handler: Parameters<typeof createWebServer>[0] };
    const server = createWebServer(handler, join(projectRoot(), "dist/client"));
    running.server = server;
    const diskSpace = handle.diskSpace?.bind(handle);
    running.gate = installRequestGate(server, diskSpace ? { diskSpace } : {});
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(env.PORT, env.HOST, () => ok());
    }).catch((err: NodeJS.ErrnoException) => {
      io.stderr(
        `matwise serve: cannot listen on ${env.HOST}:${env.PORT}: ${err.code === "EADDRINUSE" ? "the port is already in use" : err.message}`,
      );
      process.exit(1);
    });
    if (handle.kind === "pglite" && handle.dataDir) {
      try {
        running.backups = await listenForBackups(handle, backupSocketPath(handle.dataDir), (m) => logger.warn(m));
      } catch (err) {
        logger.warn(
          `online backups are off: cannot listen on ${backupSocketPath(handle.dataDir)}: ${(err as Error).message}`,
        );
      }
    }
    running.reminders = startReminders(env, handle.db);
    // The main pages' code is loaded and run once before the server says it is running; stale analyses follow.
    await warmCode(env);
    startWarmingAnalyses(handle.db, warming.signal);
    io.stdout(
      `matwise is running at http://${env.HOST}:${env.PORT}/ with the ${handle.kind === "pglite" ? `embedded database in ${env.dataDir}` : "PostgreSQL database"}`,
    );
    return new Promise<number>(() => {
      /* runs until a signal stops it */
    });
  },
};

/** Removes what a process killed mid-request left behind: upload folders and half-stored imports (decision 096). */
async function cleanUpAfterAnEarlierRun(handle: DbHandle): Promise<void> {
  // Uploads an earlier process could not clean up (killed mid-request) are removed now.
  const leftovers = await removeLeftoverUploads().catch(() => 0);
  if (leftovers > 0) logger.info(`removed ${leftovers} temporary upload folder(s) left by an earlier run`);
  // Imports a stopped server left half stored (their days go in short statements; decision 096).
  const unfinished = await removeUnfinishedImports(handle.db).catch((err: unknown) => {
    logger.error("could not remove unfinished imports", err);
    return 0;
  });
  if (unfinished > 0) logger.info(`removed ${unfinished} experiment import(s) an earlier run did not finish`);
}

/** Reminders: every process runs the loop; the database makes sure each reminder is sent once. */
function startReminders(env: Env, db: DbHandle["db"]): ReminderScheduler {
  const site = env.MATWISE_SITE_URL ? normalizeOrigin(env.MATWISE_SITE_URL) : null;
  const delivery = {
    db,
    mailer: createMailer(env),
    siteUrl: site ?? `http://${env.HOST}:${env.PORT}`,
    pushSubject: env.MAIL_FROM
      ? `mailto:${env.MAIL_FROM}`
      : site?.startsWith("https:")
        ? site
        : "mailto:reminders@matwise.invalid",
  };
  if (!site) logger.warn("MATWISE_SITE_URL is not set: links in reminders point at the address this server listens on");
  return startReminderScheduler(() => Promise.resolve(delivery), tickInterval(env.MATWISE_REMINDER_TICK_MS));
}

/** This server's own address, for the requests it sends itself. */
function ownOrigin(env: Env): string {
  const host =
    env.HOST === "0.0.0.0"
      ? "127.0.0.1"
      : env.HOST === "::"
        ? "[::1]"
        : env.HOST.includes(":")
          ? `[${env.HOST}]`
          : env.HOST;
  return `http://${host}:${env.PORT}`;
}

/**
 * Before the server says it is running (issue 27 item 4): the main pages' modules are loaded (signed-out requests),
 * each kind of chart is drawn once, and the worker pool's kept thread practises an analysis (on its own core, at the
 * same time), so the first person does not wait for code to load and compile.
 */
async function warmCode(env: Env): Promise<void> {
  const started = performance.now();
  const worker = warmWorkerPool().catch((err: unknown) => {
    logger.warn(`the analysis thread could not practise: ${(err as Error).message}`);
    return Number.NaN;
  });
  const pages = await warmPageCode(ownOrigin(env));
  const charts = warmChartCode();
  const practice = await worker;
  logger.info(
    `code loaded before the first request in ${(performance.now() - started).toFixed(0)} ms (${pages} pages; charts ${charts.toFixed(0)} ms; an analysis thread ${practice.toFixed(0)} ms)`,
  );
}

/** Stale experiment analyses computed now, in the background, so first views find them stored (issue 27 item 4). */
function startWarmingAnalyses(db: DbHandle["db"], signal: AbortSignal): void {
  void warmAnalyses(db, { signal })
    .then((n) => {
      if (n > 0) logger.info(`analyses of ${n} experiment(s) computed ahead of their first view`);
    })
    .catch((err: unknown) => logger.warn(`warming the analyses stopped: ${(err as Error).message}`));
}
