/**
 * Which `matwise serve` processes run from this checkout's build. `npm run build` empties and
 * rewrites `dist/`; a server running from it would answer 500 until the build finished (issue 28,
 * item 10). Each server leaves its process id in `.serving/` beside `dist/` (several may run at
 * once on one PostgreSQL), and the build refuses to start while one of them is alive. A file left
 * by a process that no longer runs (killed) is removed when it is found.
 * @module
 */
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive } from "./db/lock";

/** The folder of the markers, beside `dist/` (the build empties `dist/` itself). */
export function servingDir(root: string): string {
  return join(root, ".serving");
}

/** Marks this process as serving the build under `root` until it exits. */
export function markServing(root: string, pid: number = process.pid): void {
  const dir = servingDir(root);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, String(pid));
  writeFileSync(file, `${pid}\n`);
  process.once("exit", () => {
    try {
      unlinkSync(file);
    } catch {
      /* already gone */
    }
  });
}

/** The ids of live processes serving the build under `root`; stale markers are removed. */
export function servingProcesses(root: string): number[] {
  let names: string[];
  try {
    names = readdirSync(servingDir(root));
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = /^\d+$/.test(name) ? Number(name) : NaN;
    if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) live.push(pid);
    else {
      try {
        unlinkSync(join(servingDir(root), name));
      } catch {
        /* another process removed it first */
      }
    }
  }
  return live.sort((a, b) => a - b);
}

/** Why a build may not start now, in words, or null when no server runs from it. */
export function buildRefusal(root: string): string | null {
  const pids = servingProcesses(root);
  if (pids.length === 0) return null;
  const who =
    pids.length === 1
      ? `a matwise server (process ${pids[0]}) is`
      : `matwise servers (processes ${pids.join(", ")}) are`;
  return (
    `Not building: ${who} running from dist/, and a build empties it while it serves. ` +
    `Stop the server first (Ctrl-C or kill), then run the command again.`
  );
}
