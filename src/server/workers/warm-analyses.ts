/**
 * The analyses warmed at start-up (issue 27 item 4): an experiment's page shows three analyses,
 * kept on its row per data version and per analysed block (`getExperimentAnalyses`). After a
 * restart, a running experiment's stored analyses are usually of an earlier day, and the first
 * view computed them while the person waited (545 ms for a year of data). `matwise serve` calls
 * {@link warmAnalyses} once it listens: experiments whose analyses are stale (running ones, and
 * any whose data changed since) are analysed one after the other on the worker pool, the newest
 * first, in the background. A page asked for meanwhile finds them stored, or computes them itself.
 * @module
 */
import { and, desc, eq, isNull, ne, or, sql } from "drizzle-orm";
import { getLocalDate } from "../../core/datetime";
import { getDayStatus } from "../../core/experiments/days";
import { isImported } from "../../core/experiments/protocol";
import type { Db } from "../db/client";
import { experiment } from "../db/schema";
import { getExperimentAnalyses } from "../experiments/analysis";
import type { ExperimentDays } from "../experiments/days";
import { logger } from "../log";
import { listExperimentDays, requireExperiment, toCheckIn, toScheduledDay } from "../repositories/experiments";

/** Most experiments warmed at one start: the newest; the rest are computed when first viewed, as before. */
export const WARM_LIMIT = 200;

/**
 * The experiment's days as the page's loader reads them (`loadExperimentDays` in
 * src/server/experiments/data.ts, which imports Astro's content and cannot run in the command line).
 */
async function readExperimentDays(db: Db, userId: string, id: string, now: Date): Promise<ExperimentDays> {
  const found = await requireExperiment(db, userId, id);
  const p = found.protocol;
  const today = getLocalDate(now, p.timeZone);
  const days = (await listExperimentDays(db, userId, id)).map((record) => {
    const scheduled = toScheduledDay(record);
    const checkIn = toCheckIn(record);
    const status = isImported(p)
      ? record[p.primaryOutcome] === null
        ? ("missed" as const)
        : ("imported" as const)
      : getDayStatus(scheduled, checkIn, today);
    return { record, scheduled, checkIn, status };
  });
  return { experiment: found, days, today };
}

/** The experiments whose stored analyses may be stale: running ones and any whose data changed since; newest first. */
export async function listStaleAnalyses(db: Db, limit = WARM_LIMIT): Promise<{ id: string; userId: string }[]> {
  return db
    .select({ id: experiment.id, userId: experiment.userId })
    .from(experiment)
    .where(
      and(
        isNull(experiment.importStartedAt),
        or(
          eq(experiment.state, "running"),
          isNull(experiment.analysisVersion),
          ne(experiment.analysisVersion, experiment.dataVersion),
        ),
      ),
    )
    .orderBy(desc(sql`coalesce(${experiment.endedAt}, now())`), desc(experiment.createdAt))
    .limit(limit);
}

/**
 * Computes and stores the analyses of every experiment {@link listStaleAnalyses} finds, one at a
 * time (the pool's other threads stay free for requests). Returns how many were analysed; an
 * experiment that fails is logged and skipped. Stops early when `signal` is aborted (the server stops).
 */
export async function warmAnalyses(db: Db, opts: { now?: Date; signal?: AbortSignal } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  let warmed = 0;
  for (const { id, userId } of await listStaleAnalyses(db)) {
    if (opts.signal?.aborted) break;
    try {
      await getExperimentAnalyses(userId, await readExperimentDays(db, userId, id, now));
      warmed++;
    } catch (err) {
      logger.warn(`the analyses of experiment ${id} were not warmed: ${(err as Error).message}`);
    }
  }
  return warmed;
}

/**
 * Pages whose code is loaded ahead of the first person: Astro loads a page's module, and everything it imports (the
 * experiment page's charts and statistics words among them), on the page's first request; the first view of an
 * experiment after a start took 670 ms with its analyses already stored, against 140 ms for the next one.
 */
export const WARM_PAGES = ["/experiments/00000000-0000-4000-8000-000000000000", "/today", "/sessions", "/account"];

/**
 * Asks this server for {@link WARM_PAGES}, signed out (each is answered with a redirect to sign in, after its module
 * has loaded), one after the other. Returns how many were answered.
 */
export async function warmPageCode(origin: string, paths: readonly string[] = WARM_PAGES): Promise<number> {
  let answered = 0;
  for (const path of paths) {
    try {
      const res = await fetch(new URL(path, origin), { redirect: "manual" });
      await res.arrayBuffer();
      answered++;
    } catch {
      // A page that cannot be asked for now is loaded on its first request, as before.
    }
  }
  return answered;
}
