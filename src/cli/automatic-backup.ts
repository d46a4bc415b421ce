/**
 * The daily automatic snapshot of the embedded database, taken when `matwise serve` starts
 * (decision 099). It is written by `matwise backup` in a short-lived child process before the
 * server opens the folder: PGlite builds a snapshot in memory (the folder's files, the tarball
 * and its compressed copy, about four times the folder), and a long-running server would keep
 * most of that memory for its whole life (a first start idled 166 MiB higher). Only when the
 * child cannot do it is the snapshot taken in this process after the folder is open.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { backupsFolder, snapshotPglite, timestampForFile, type DbHandle } from "../server/db/client";
import { lockHolder } from "../server/db/lock";
import { logger } from "../server/log";
import { projectRoot } from "./command";

const DAY_MS = 24 * 60 * 60 * 1000;
/** How many automatic snapshots are kept. */
export const KEEP_AUTOMATIC = 7;
/** How long the child may take before it is stopped (a large folder, a slow disk). */
const CHILD_TIMEOUT_MS = 10 * 60_000;

/** The automatic snapshots in the backups folder, newest first. */
function automaticSnapshots(dataDir: string): { file: string; mtimeMs: number }[] {
  const folder = backupsFolder(dataDir);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.startsWith("auto-") && f.endsWith(".tar.gz"))
    .map((f) => ({ file: join(folder, f), mtimeMs: statSync(join(folder, f)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/**
 * Where today's automatic snapshot goes, or null when none is due: the folder holds no
 * database yet (a first start has nothing to keep), or the newest snapshot is less than a day old.
 */
export function automaticBackupDue(dataDir: string, now = Date.now()): string | null {
  if (!existsSync(join(dataDir, "PG_VERSION"))) return null;
  const newest = automaticSnapshots(dataDir)[0];
  if (newest && now - newest.mtimeMs < DAY_MS) return null;
  return join(backupsFolder(dataDir), `auto-${timestampForFile(new Date(now))}.tar.gz`);
}

/** Removes all but the newest KEEP_AUTOMATIC automatic snapshots. */
export function pruneAutomaticBackups(dataDir: string): void {
  for (const old of automaticSnapshots(dataDir).slice(KEEP_AUTOMATIC)) unlinkSync(old.file);
}

export type ApartResult =
  { kind: "written"; file: string } | { kind: "not-due" } | { kind: "failed"; file: string; reason: string };

/**
 * Takes the automatic snapshot, when one is due, with `matwise backup` in a child process.
 * Call it before this process opens the folder: the child takes the folder's lock.
 */
export function automaticBackupApart(dataDir: string, now = Date.now()): ApartResult {
  const file = automaticBackupDue(dataDir, now);
  // Another server holds the folder: this start stops with that message when it opens the folder.
  if (!file || lockHolder(dataDir) !== null) return { kind: "not-due" };
  const run = spawnSync(process.execPath, [join(projectRoot(), "bin/matwise.mjs"), "backup", "--out", file], {
    env: { ...process.env, MATWISE_DATA_DIR: dataDir },
    stdio: ["ignore", "ignore", "pipe"],
    timeout: CHILD_TIMEOUT_MS,
  });
  if (run.status === 0 && existsSync(file)) {
    pruneAutomaticBackups(dataDir);
    return { kind: "written", file };
  }
  const stderr = run.stderr?.toString().trim().split("\n")[0];
  return { kind: "failed", file, reason: stderr || run.error?.message || `exit status ${run.status ?? "?"}` };
}

/**
 * After the folder is open: logs what the child did, or takes the snapshot here when the
 * child could not.
 */
export async function finishAutomaticBackup(handle: DbHandle, apart: ApartResult | null): Promise<void> {
  if (!apart || apart.kind === "not-due" || handle.kind !== "pglite" || !handle.dataDir) return;
  if (apart.kind === "written") {
    logger.info(`automatic snapshot written to ${apart.file}`);
    return;
  }
  logger.info(`the automatic snapshot could not be taken in a child process (${apart.reason}); taking it here`);
  const file = await snapshotPglite(handle, apart.file);
  pruneAutomaticBackups(handle.dataDir);
  logger.info(`automatic snapshot written to ${file}`);
}
