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
import type { Db } from "../db/client";
import { getExperimentAnalyses, loadExperimentDays } from "../experiments/results";
import { logger } from "../log";
import { listStaleAnalyses } from "../repositories/experiments";

export { listStaleAnalyses };

/** Most experiments warmed at one start: the newest; the rest are computed when first viewed, as before. */
export const WARM_LIMIT = 200;

/**
 * Computes and stores the analyses of every experiment {@link listStaleAnalyses} finds, one at a
 * time (the pool's other threads stay free for requests). Returns how many were analysed; an
 * experiment that fails is logged and skipped. Stops early when `signal` is aborted (the server stops).
 */
export async function warmAnalyses(db: Db, opts: { now?: Date; signal?: AbortSignal } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  let warmed = 0;
  for (const { id, userId } of await listStaleAnalyses(db, WARM_LIMIT)) {
    if (opts.signal?.aborted) break;
    try {
      await getExperimentAnalyses(db, userId, await loadExperimentDays(db, userId, id, now));
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
 * has loaded), one after the other; one that takes over 15 s is given up. Returns how many were answered.
 */
export async function warmPageCode(origin: string, paths: readonly string[] = WARM_PAGES): Promise<number> {
  let answered = 0;
  for (const path of paths) {
    try {
      const res = await fetch(new URL(path, origin), { redirect: "manual", signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      answered++;
    } catch {
      // A page that cannot be asked for now is loaded on its first request, as before.
    }
  }
  return answered;
}
