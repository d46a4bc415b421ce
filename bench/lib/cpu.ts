/** CPU time of processes, read from Linux /proc (clock ticks of 1/100 s); 0 where /proc is missing. */
import { readdirSync, readFileSync } from "node:fs";

/** utime + stime of one process (all its threads), in seconds, and its name; null when it is gone. */
function readStat(pid: number): { name: string; seconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      seconds: (Number(fields[11]) + Number(fields[12])) / 100,
    };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by a process and all its descendants. */
export function getTreeCpuSeconds(pid: number): number {
  let seconds = readStat(pid)?.seconds ?? 0;
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean))
      seconds += getTreeCpuSeconds(Number(child));
  } catch {
    /* process gone or no /proc */
  }
  return seconds;
}

/**
 * CPU seconds used so far by every process named `postgres` on this machine (the server and its backends). A
 * backend that ends between two readings takes its time with it: compare readings over a steady load.
 */
export function getPostgresCpuSeconds(): number {
  let seconds = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return 0;
  }
  for (const p of pids) {
    const stat = readStat(Number(p));
    if (stat?.name === "postgres") seconds += stat.seconds;
  }
  return seconds;
}
