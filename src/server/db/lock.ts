/**
 * An exclusive lock on the embedded database's data directory. PGlite has no
 * cross-process lock of its own, and two processes on one directory corrupt it.
 * The lock is a file beside the directory holding the owner's pid; a lock left by a
 * process that no longer runs (for example after SIGKILL) is taken over.
 * @module
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The database folder ${dataDir} is in use by another matwise process (pid ${pid}). ` +
        `Stop that process first, or point MATWISE_DATA_DIR at another folder.`,
    );
  }
}

export interface DataDirLock {
  path: string;
  release(): void;
}

export function lockPathFor(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.lock`);
}

/** Whether a process with this id is running (one owned by another user counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The id of the running process that holds the folder's lock, or null when none does. */
export function lockHolder(dataDir: string): number | null {
  const owner = readOwner(lockPathFor(dataDir));
  return owner !== null && isAlive(owner) ? owner : null;
}

/** Takes the lock or throws DataDirLockedError naming the directory and the holder's pid. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = lockPathFor(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readOwner(path) === process.pid) {
          try {
            unlinkSync(path);
          } catch {
            /* already gone */
          }
        }
      };
      process.once("exit", release);
      return { path, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = readOwner(path);
      if (owner !== null && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
      // Stale: the owner is gone (or the file is unreadable). Remove it and try again.
      try {
        unlinkSync(path);
      } catch {
        /* another process removed it first */
      }
    }
  }
  const owner = readOwner(path);
  throw new DataDirLockedError(dataDir, owner ?? -1);
}
