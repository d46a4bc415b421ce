/**
 * The health check behind /healthz: the database answers a query and commits a write (one
 * row of `health_heartbeat`), within a time limit. Anything else is "degraded", with the
 * reason, so a monitor learns that matwise cannot save data before a person does.
 * @module
 */
import { sql } from "drizzle-orm";
import { describeDiskSpace, lastDiskFullAt } from "../availability";
import type { DatabaseKind, DbHandle } from "./client";

export interface HealthReport {
  status: "ok" | "degraded";
  database: DatabaseKind | "unavailable";
  /** Why the server is degraded (absent when ok). */
  reason?: string;
}

/** How long the check may take before the database counts as not answering. */
export const HEALTH_TIMEOUT_MS = 5_000;
/**
 * How long after a write failed on a full disk the server still reports it. The heartbeat
 * rewrites one row in place, which can succeed on a full disk while new rows cannot be added.
 */
export const DISK_FULL_MEMORY_MS = 15_000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** The first line of what went wrong; drizzle wraps the driver's error ("Failed query: …") with the cause. */
function firstLine(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  return String(e.cause instanceof Error ? e.cause.message : e.message).split("\n")[0] ?? "";
}

/**
 * What is known to be wrong without asking the database: it failed and is being reopened, its
 * disk is below the free-space floor, or a write failed on a full disk a moment ago. Null when none.
 */
export function findKnownProblem(handle: DbHandle): HealthReport | null {
  const degraded = (reason: string): HealthReport => ({ status: "degraded", database: handle.kind, reason });
  const failure = handle.unavailable?.();
  if (failure)
    return degraded(
      failure.reason === "database-failed" || failure.reason === "database-reopening"
        ? "the database stopped and is being reopened"
        : failure.message,
    );
  const disk = handle.diskSpace?.();
  if (disk?.low) return degraded(`writes are refused: ${describeDiskSpace(disk)}`);
  const diskFullAt = lastDiskFullAt();
  if (diskFullAt !== null && Date.now() - diskFullAt < DISK_FULL_MEMORY_MS)
    return degraded(
      `a write failed ${Math.round((Date.now() - diskFullAt) / 1000)} s ago because the disk of the database is full`,
    );
  return null;
}

/** Reads, then writes the heartbeat row; "degraded" with the reason when either fails. */
export async function checkHealth(handle: DbHandle, timeoutMs = HEALTH_TIMEOUT_MS): Promise<HealthReport> {
  const degraded = (reason: string): HealthReport => ({ status: "degraded", database: handle.kind, reason });
  const known = findKnownProblem(handle);
  if (known) return known;
  try {
    await withTimeout(handle.db.execute(sql`select 1`), timeoutMs, "a query");
  } catch (err) {
    return degraded(`the database does not answer: ${firstLine(err)}`);
  }
  // Known problems again: the disk may have been found full while the query waited.
  const later = findKnownProblem(handle);
  if (later) return later;
  try {
    await withTimeout(
      handle.db.execute(sql`
        insert into health_heartbeat (name, beat_at, beats) values ('healthz', now(), 1)
        on conflict (name) do update set beat_at = excluded.beat_at, beats = health_heartbeat.beats + 1`),
      timeoutMs,
      "a write",
    );
  } catch (err) {
    return degraded(`the database cannot write: ${firstLine(err)}`);
  }
  return { status: "ok", database: handle.kind };
}
