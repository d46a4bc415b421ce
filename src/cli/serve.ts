/**
 * `matwise serve`: validate the environment, open and lock the database, migrate, take the
 * daily automatic snapshot of the embedded database, then load the built Astro server.
 */
import { existsSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { backupsFolder, migrateDatabase, setProcessDatabase, snapshotPglite, timestampForFile, type DbHandle } from "../server/db/client";
import { logger } from "../server/log";
import { createWebServer } from "../server/web-server";
import type { CommandModule } from "./command";
import { projectRoot } from "./main";
import { loadEnv, openForCli } from "./open";

const DAY_MS = 24 * 60 * 60 * 1000;
const KEEP_AUTOMATIC = 7;

/** Writes an automatic snapshot when the newest one is more than a day old; keeps the last 7. */
export async function automaticBackup(handle: DbHandle, now = Date.now()): Promise<string | null> {
  if (handle.kind !== "pglite" || !handle.dataDir) return null;
  const folder = backupsFolder(handle.dataDir);
  const auto = existsSync(folder)
    ? readdirSync(folder)
        .filter((f) => f.startsWith("auto-") && f.endsWith(".tar.gz"))
        .map((f) => ({ f, t: statSync(join(folder, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t)
    : [];
  if (auto[0] && now - auto[0].t < DAY_MS) return null;
  const file = await snapshotPglite(handle, join(folder, `auto-${timestampForFile(new Date(now))}.tar.gz`));
  for (const old of auto.slice(KEEP_AUTOMATIC - 1)) unlinkSync(join(folder, old.f));
  return file;
}

export const serveCommand: CommandModule = {
  summary: "run the web server (build it first with `npm run build`)",
  usage: [
    "Usage: matwise serve",
    "",
    "Starts the web server on HOST:PORT (default 127.0.0.1:4321) with the embedded database in",
    "MATWISE_DATA_DIR (default ./data/db), or PostgreSQL when DATABASE_URL is set. Pending",
    "migrations are applied first. On the embedded database a snapshot is kept in the backups",
    "folder beside it once a day (the last 7 are kept).",
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
    const handle = await openForCli(env, io);
    if (!handle) return 1;
    try {
      await migrateDatabase(handle);
      const snap = await automaticBackup(handle);
      if (snap) logger.info(`automatic snapshot written to ${snap}`);
    } catch (err) {
      io.stderr(`matwise serve: could not prepare the database: ${(err as Error).message}`);
      await handle.close();
      return 1;
    }
    setProcessDatabase(handle);

    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      logger.info(`${signal} received: closing the database and stopping`);
      handle.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error("error while closing the database", err);
          process.exit(1);
        },
      );
    };
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));

    // Load Astro's handler without its own server, and put ours (static files from memory,
    // compressed, with security headers) in front of it.
    process.env.ASTRO_NODE_AUTOSTART = "disabled";
    const { handler } = (await import(pathToFileURL(entry).href)) as { handler: Parameters<typeof createWebServer>[0] };
    const server = createWebServer(handler, join(projectRoot(), "dist/client"));
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(env.PORT, env.HOST, () => ok());
    }).catch((err: NodeJS.ErrnoException) => {
      io.stderr(`matwise serve: cannot listen on ${env.HOST}:${env.PORT}: ${err.code === "EADDRINUSE" ? "the port is already in use" : err.message}`);
      process.exit(1);
    });
    io.stdout(`matwise is running at http://${env.HOST}:${env.PORT}/ with the ${handle.kind === "pglite" ? `embedded database in ${env.dataDir}` : "PostgreSQL database"}`);
    return new Promise<number>(() => {
      /* runs until a signal stops it */
    });
  },
};
