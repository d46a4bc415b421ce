/**
 * `matwise backup` and `matwise restore`: snapshots of the embedded database. A backup asks
 * the running server for the snapshot (src/server/db/backup-socket.ts); with no server running
 * it opens the folder itself.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { backupSocketPath, requestSnapshot } from "../server/db/backup-socket";
import { backupsFolder, snapshotPglite, timestampForFile, writeSnapshotFile } from "../server/db/client";
import { acquireDataDirLock, DataDirLockedError } from "../server/db/lock";
import { makePrivateDir, makeTreePrivate } from "../server/db/private-files";
import type { CommandModule } from "./command";
import { loadEnv, openForCli } from "./open";

const POSTGRES_NOTE =
  "matwise uses PostgreSQL here (DATABASE_URL is set): back it up with pg_dump and restore with pg_restore.";

export const backupCommand: CommandModule = {
  summary: "write a restorable snapshot of the embedded database",
  usage: [
    "Usage: matwise backup [--out FILE]",
    "",
    "Writes a gzipped snapshot of the embedded database. While the server runs, the snapshot is",
    "made by the server (through the local socket <data dir>.sock), so writes go on; otherwise the",
    "folder is opened directly. Every change the server had confirmed before the backup started",
    "is in the snapshot.",
    "",
    "Options:",
    "  --out FILE   where to write it (default: <data dir>/../backups/matwise-<time>.tar.gz)",
  ].join("\n"),
  options: { out: { type: "string" } },
  async run({ values }, io) {
    const env = loadEnv(io);
    if (!env) return 1;
    if (env.DATABASE_URL) {
      io.stderr(POSTGRES_NOTE);
      return 1;
    }
    if (!existsSync(env.dataDir)) {
      io.stderr(`matwise backup: there is no database at ${env.dataDir} yet; nothing to back up.`);
      return 1;
    }
    const out =
      typeof values.out === "string"
        ? resolve(values.out)
        : join(backupsFolder(env.dataDir), `matwise-${timestampForFile()}.tar.gz`);
    try {
      const online = await requestSnapshot(backupSocketPath(env.dataDir));
      if (online) {
        writeSnapshotFile(out, online);
        io.stdout(
          `Backup written to ${out} (${statSync(out).size} bytes) by the running server. Restore it with: matwise restore ${out}`,
        );
        return 0;
      }
    } catch (err) {
      io.stderr(`matwise backup: ${(err as Error).message}`);
      return 1;
    }
    const handle = await openForCli(env, io);
    if (!handle) return 1;
    try {
      await snapshotPglite(handle, out);
      io.stdout(`Backup written to ${out} (${statSync(out).size} bytes). Restore it with: matwise restore ${out}`);
      return 0;
    } catch (err) {
      io.stderr(`matwise backup: ${(err as Error).message}`);
      return 1;
    } finally {
      await handle.close();
    }
  },
};

export const restoreCommand: CommandModule = {
  summary: "replace the embedded database with a snapshot made by `matwise backup`",
  usage: [
    "Usage: matwise restore FILE",
    "",
    "Replaces the embedded database with the snapshot in FILE. The current database folder",
    "is kept beside it (renamed with the time) so nothing is lost. Stop the server first.",
  ].join("\n"),
  options: {},
  minPositionals: 1,
  maxPositionals: 1,
  async run({ positionals }, io) {
    const env = loadEnv(io);
    if (!env) return 1;
    if (env.DATABASE_URL) {
      io.stderr(POSTGRES_NOTE);
      return 1;
    }
    const file = resolve(positionals[0] ?? "");
    if (!existsSync(file) || !statSync(file).isFile()) {
      io.stderr(`matwise restore: no such file: ${file}`);
      return 1;
    }
    const bytes = readFileSync(file);
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      io.stderr(
        `matwise restore: ${file} is not a matwise backup (expected a gzipped snapshot from \`matwise backup\`).`,
      );
      return 1;
    }
    let lock;
    try {
      lock = acquireDataDirLock(env.dataDir);
    } catch (err) {
      if (err instanceof DataDirLockedError) {
        io.stderr(`matwise: ${err.message}`);
        return 1;
      }
      throw err;
    }
    let movedTo: string | null = null;
    try {
      if (existsSync(env.dataDir) && readdirSync(env.dataDir).length > 0) {
        movedTo = `${env.dataDir}.replaced-${timestampForFile()}`;
        renameSync(env.dataDir, movedTo);
        makeTreePrivate(movedTo);
      }
      // The restored folder is the server's user's alone (0700/0600), whatever the umask and
      // whatever modes the snapshot recorded (issue 25).
      makePrivateDir(env.dataDir);
      const db = await PGlite.create(env.dataDir, { loadDataDir: new Blob([bytes]) });
      await db.query("select 1");
      await db.close();
      makeTreePrivate(env.dataDir);
      io.stdout(
        `Restored ${file} into ${env.dataDir}.${movedTo ? ` The previous database was kept at ${movedTo}.` : ""}`,
      );
      return 0;
    } catch (err) {
      if (movedTo) {
        // Put the old database back so a failed restore changes nothing.
        try {
          if (existsSync(env.dataDir)) renameSync(env.dataDir, `${env.dataDir}.failed-restore-${timestampForFile()}`);
          renameSync(movedTo, env.dataDir);
        } catch {
          /* reported below */
        }
      }
      io.stderr(
        `matwise restore: the snapshot could not be loaded (${(err as Error).message.split("\n")[0]}); the database was left as it was.`,
      );
      return 1;
    } finally {
      lock.release();
    }
  },
};
