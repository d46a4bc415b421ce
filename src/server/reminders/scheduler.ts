/**
 * The reminder scheduler that runs inside every `matwise serve` process. Each tick it plans the
 * coming reminders (one row per person, kind and local day) and claims the due ones with
 * FOR UPDATE SKIP LOCKED, so with several processes on one PostgreSQL each reminder is claimed
 * by one of them. A claim is a lease: when its process dies, another one takes the reminder
 * over once the lease ends. The loop never holds a request up: it runs between requests, a few
 * reminders at a time, and stops cleanly (the current tick finishes) before the database closes.
 * See docs/decisions/090-reminders-and-scheduler.md.
 * @module
 */
import { hostname } from "node:os";
import { logger } from "../log";
import { claimDueReminders, finishReminderJob, planDueReminders, retryReminderJob } from "../repositories/reminders";
import { deliverReminder, type DeliveryContext } from "./deliver";

/** How often a process looks for due reminders by default; MATWISE_REMINDER_TICK_MS may only shorten it. */
export const DEFAULT_TICK_MS = 30_000;
/** How long a claim lasts: a process that stops mid-send loses its reminders to another after this. */
export const LEASE_MS = 2 * 60_000;
/** A reminder found more than this late (the servers were down) is dropped rather than sent out of time. */
export const TOO_LATE_MS = 6 * 3600_000;
/** How many times a reminder is tried when its channels fail for a passing reason. */
export const MAX_ATTEMPTS = 5;

/** The tick interval: the default, or a shorter one from the environment (never longer, never below 50 ms). */
export function tickInterval(fromEnv: string | undefined): number {
  const asked = Number(fromEnv);
  return Number.isFinite(asked) && asked > 0
    ? Math.max(50, Math.min(DEFAULT_TICK_MS, Math.round(asked)))
    : DEFAULT_TICK_MS;
}

/** One pass: plan, then claim and send what is due. Returns how many reminders it ended. */
export async function runReminderTick(ctx: DeliveryContext, worker: string, now = new Date()): Promise<number> {
  await planDueReminders(ctx.db, now);
  let ended = 0;
  for (;;) {
    const jobs = await claimDueReminders(ctx.db, now, worker, LEASE_MS);
    if (!jobs.length) return ended;
    for (const job of jobs) {
      if (now.getTime() - job.dueAt.getTime() > TOO_LATE_MS) {
        await finishReminderJob(ctx.db, job.id, worker, "skipped", "too late to send", now);
      } else {
        const result = await deliverReminder(ctx, job, now).catch(
          (err: unknown): { state: "retry"; outcome: string } => {
            logger.error("a reminder could not be sent", err);
            return { state: "retry", outcome: "an error stopped it" };
          },
        );
        if (result.state !== "retry")
          await finishReminderJob(ctx.db, job.id, worker, result.state, result.outcome, now);
        else if (job.attempts >= MAX_ATTEMPTS)
          await finishReminderJob(ctx.db, job.id, worker, "failed", result.outcome, now);
        else
          await retryReminderJob(
            ctx.db,
            job.id,
            worker,
            new Date(now.getTime() + 60_000 * 2 ** job.attempts),
            result.outcome,
          );
      }
      ended++;
    }
  }
}

export interface ReminderScheduler {
  /** Stops ticking and waits for the tick in progress to finish. */
  stop(): Promise<void>;
}

/** Starts the loop: a tick now, then one every `intervalMs` after the previous one ended. */
export function startReminderScheduler(
  getContext: () => Promise<DeliveryContext>,
  intervalMs: number,
): ReminderScheduler {
  const worker = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    current = getContext()
      .then((ctx) => runReminderTick(ctx, worker))
      .then(
        () => undefined,
        (err: unknown) => logger.error("the reminder scheduler's tick failed", err),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  timer = setTimeout(tick, 0).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
