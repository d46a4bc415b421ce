/**
 * Whether the server can take a write right now, and why not: the disk under the embedded
 * database is nearly full, the database failed and is being reopened, or the server is
 * stopping. Requests run inside a small per-request context so that a database failure deep
 * inside a page can be reported by the web layer as a 503 ("try again later") instead of the
 * plain 500 that `toResponse` gives to anything unknown.
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { statfsSync } from "node:fs";

/**
 * disk-full: the write was refused or rolled back; database-failed: the database stopped while
 * this request used it, so its outcome is unknown (like a crash); database-reopening: it had
 * stopped before, nothing was tried; database-unreachable: PostgreSQL cannot be reached;
 * stopping: the server is shutting down.
 */
export type UnavailableReason =
  "disk-full" | "database-failed" | "database-reopening" | "database-unreachable" | "stopping";

/** The database cannot take this request now; nothing was changed. Answered with 503. */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
  constructor(
    readonly reason: UnavailableReason,
    message: string,
  ) {
    super(message);
  }
}

/** What a person reads when a request meets an unavailable database. */
export const UNAVAILABLE_MESSAGES: Record<UnavailableReason, string> = {
  "disk-full":
    "matwise cannot save anything right now: the disk of the server is full. Nothing was changed. Please try again later.",
  "database-failed":
    "matwise's database stopped while handling this and is being reopened. Your change may or may not have been saved: please check in a minute before trying again.",
  "database-reopening":
    "matwise's database stopped and is being reopened. Nothing was changed. Please try again in a minute.",
  "database-unreachable":
    "matwise cannot reach its database right now. Nothing was changed. Please try again in a minute.",
  stopping: "matwise is restarting. Nothing was changed. Please try again in a moment.",
};

export interface RequestState {
  unavailable?: DatabaseUnavailableError;
}

// One store per process, even when this module is loaded twice (by the CLI through tsx and
// inside the built server bundle), like the database handle in db/client.ts.
const STORE = Symbol.for("matwise.request-context");
const requests = ((globalThis as { [STORE]?: AsyncLocalStorage<RequestState> })[STORE] ??=
  new AsyncLocalStorage<RequestState>());

/** Runs `fn` (one request) with its own context, which it may read later (after the work it starts). */
export function runInRequestContext(fn: (state: RequestState) => void): RequestState {
  const state: RequestState = {};
  requests.run(state, () => fn(state));
  return state;
}

const DISK_FULL_AT = Symbol.for("matwise.disk-full-at");
const processState = globalThis as { [DISK_FULL_AT]?: number };

/** Records that the current request met an unavailable database (outside a request, only the time of a full disk). */
export function noteUnavailable(err: DatabaseUnavailableError): void {
  if (err.reason === "disk-full") processState[DISK_FULL_AT] = Date.now();
  const state = requests.getStore();
  if (state && !state.unavailable) state.unavailable = err;
}

/** When a write last failed because the disk was full (ms since the epoch), or null. */
export function lastDiskFullAt(): number | null {
  return processState[DISK_FULL_AT] ?? null;
}

/** Forgets the last full-disk failure (tests that provoke one clean up after themselves). */
export function forgetDiskFull(): void {
  delete processState[DISK_FULL_AT];
}

// ---------------------------------------------------------------------------------------
// Free space under the embedded database.
// ---------------------------------------------------------------------------------------

export interface DiskSpace {
  /** Bytes an unprivileged process may still write on the file system of the folder. */
  freeBytes: number;
  /** Below this, matwise refuses writes (MATWISE_MIN_FREE_MB). */
  minFreeBytes: number;
  /** True when free space is below the minimum (or cannot be read). */
  low: boolean;
}

export const MB = 1024 * 1024;

/**
 * Reads the free space of the file system holding `dir`. PostgreSQL stops with a PANIC when
 * it cannot create the next write-ahead-log segment (16 MB), so matwise refuses writes while
 * there is still room to finish the ones in flight, rather than letting the database hit the
 * wall.
 */
export function readDiskSpace(dir: string, minFreeBytes: number): DiskSpace {
  try {
    const s = statfsSync(dir);
    const freeBytes = Number(s.bavail) * Number(s.bsize);
    return { freeBytes, minFreeBytes, low: freeBytes < minFreeBytes };
  } catch {
    return { freeBytes: 0, minFreeBytes, low: minFreeBytes > 0 };
  }
}

export function describeDiskSpace(d: DiskSpace): string {
  return `${(d.freeBytes / MB).toFixed(1)} MB free on the disk of the database, ${(d.minFreeBytes / MB).toFixed(0)} MB needed`;
}
