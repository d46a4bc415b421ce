/**
 * Sending one due reminder: find what the person has that day, word the message (core), and send
 * it through each channel they chose: a push notification to every subscribed browser, and an
 * email when a mail server is configured. Each message carries its own stop link.
 * @module
 */
import { addDays, getLocalDate } from "../../core/datetime";
import { createBreakInPlan } from "../../core/plan/plan";
import { describePlanDay } from "../../core/plan/labels";
import { getPlanToday } from "../../core/plan/today";
import {
  createReminderMessage,
  experimentReminderKinds,
  type ReminderDay,
  type ReminderMessage,
} from "../../core/reminders/reminders";
import { REMINDER_TEXT } from "../../core/reminders/labels";
import type { Db } from "../db/client";
import { getContact } from "../repositories/users";
import { logger } from "../log";
import type { Mailer } from "../mailer";
import {
  listExperimentDays,
  listExperiments,
  toScheduledDay,
  type ExperimentDayRecord,
} from "../repositories/experiments";
import { isImported } from "../../core/experiments/protocol";
import { OUTCOME_TEXT } from "../../core/experiments/labels";
import { getPlan } from "../repositories/plans";
import {
  deleteExpiredSubscription,
  getReminderSetting,
  listPushSubscriptions,
  type ReminderJob,
} from "../repositories/reminders";
import { getVapidKeys, sendPush } from "./push";
import { createStopToken } from "./stop-token";

/** What the sender needs from the process: the database, the mailer (or null) and the site's address. */
export interface DeliveryContext {
  db: Db;
  mailer: Mailer | null;
  /** Absolute origin for links in messages. */
  siteUrl: string;
  /** Contact for push services (mailto: or https:). */
  pushSubject: string;
}

/** The person's plan day and running experiments on their local day `date`, as the message needs them. */
export async function loadReminderDay(db: Db, userId: string, timeZone: string, now: Date): Promise<ReminderDay> {
  const date = getLocalDate(now, timeZone);
  const saved = await getPlan(db, userId);
  const made = saved ? createBreakInPlan(saved.input) : null;
  const today = made?.kind === "plan" ? getPlanToday(made, date) : null;
  const plan =
    today?.status === "on" && saved
      ? today.day.rest
        ? ({ kind: "rest" } as const)
        : ({
            kind: "session",
            what: `Day ${today.day.day} of ${today.length}: ${describePlanDay(today.day, saved.input.area)}.`,
          } as const)
      : null;
  const running = (await listExperiments(db, userId)).filter((e) => e.state === "running" && !isImported(e.protocol));
  const experiments: ReminderDay["experiments"] = [];
  for (const e of running) {
    // The same rules as the experiment page (src/server/experiments/data.ts), read from the days alone,
    // with the database this loop was given.
    const days = await listExperimentDays(db, userId, e.id);
    const local = getLocalDate(now, e.protocol.timeZone);
    const todayRow = days.find((d) => d.date === local);
    const yesterday = days.find((d) => d.date === addDays(local, -1));
    const isPeriod = (d: ExperimentDayRecord | undefined): d is ExperimentDayRecord =>
      d !== undefined && toScheduledDay(d).kind === "period";
    experiments.push({
      title: `Your ${OUTCOME_TEXT[e.protocol.primaryOutcome].label.toLowerCase()} experiment`,
      when: isPeriod(todayRow) ? `Day ${todayRow.day} of ${days.length}` : null,
      eveningOpen: isPeriod(todayRow) && !todayRow.recordedAt,
      asksSleep:
        experimentReminderKinds(e.protocol).includes("morning") && isPeriod(yesterday) && !yesterday.sleepRecordedAt,
    });
  }
  return { plan, experiments };
}

/** How one reminder went: sent through some channel, nothing to send, or a failure worth another try. */
export type DeliveryResult = { state: "sent" | "skipped"; outcome: string } | { state: "retry"; outcome: string };

/** Sends one claimed reminder through the channels chosen for it. */
export async function deliverReminder(
  ctx: DeliveryContext,
  job: ReminderJob,
  now = new Date(),
): Promise<DeliveryResult> {
  const { db } = ctx;
  const person = await getContact(db, job.userId);
  const setting = await getReminderSetting(db, job.userId, job.kind);
  if (!person || !setting) return { state: "skipped", outcome: "the reminder was turned off" };
  const message = createReminderMessage(job.kind, await loadReminderDay(db, job.userId, person.timeZone, now));
  if (!message) return { state: "skipped", outcome: "nothing to remind of that day" };

  const done: string[] = [];
  const failed: string[] = [];
  if (setting.channels.includes("push")) {
    const devices = await listPushSubscriptions(db, job.userId);
    if (devices.length) {
      const keys = await getVapidKeys(db);
      const stop = await stopLink(ctx, job, "push");
      const payload = JSON.stringify({
        title: message.title,
        body: message.body,
        url: new URL(message.path, ctx.siteUrl).toString(),
        stopUrl: stop,
        tag: `matwise-${job.kind}`,
      });
      let sent = 0;
      for (const d of devices) {
        try {
          if ((await sendPush(keys, ctx.pushSubject, d, payload)) === "gone")
            await deleteExpiredSubscription(db, d.endpoint);
          else sent++;
        } catch (err) {
          logger.warn(`a push notification could not be delivered: ${(err as Error).message}`);
          failed.push("push");
        }
      }
      if (sent) done.push(`push to ${sent} device${sent === 1 ? "" : "s"}`);
    }
  }
  if (setting.channels.includes("email") && ctx.mailer) {
    try {
      await ctx.mailer.send(await reminderMail(ctx, job, person.email, message));
      done.push("email");
    } catch (err) {
      logger.warn(`a reminder email could not be sent: ${(err as Error).message}`);
      failed.push("email");
    }
  }
  if (done.length) return { state: "sent", outcome: `sent by ${done.join(" and ")}` };
  if (failed.length) return { state: "retry", outcome: `could not be sent by ${failed.join(" or ")}` };
  return { state: "skipped", outcome: "no device or mail server to send it to" };
}

async function stopLink(ctx: DeliveryContext, job: ReminderJob, channel: "push" | "email"): Promise<string> {
  const token = await createStopToken(ctx.db, { userId: job.userId, kind: job.kind, channel });
  return new URL(`/reminders/stop?t=${token}`, ctx.siteUrl).toString();
}

/** The email: the message, the link to open, and how to stop it (also as List-Unsubscribe, one click per RFC 8058). */
async function reminderMail(ctx: DeliveryContext, job: ReminderJob, to: string, message: ReminderMessage) {
  const stop = await stopLink(ctx, job, "email");
  const text = [
    message.body,
    "",
    `Open matwise: ${new URL(message.path, ctx.siteUrl).toString()}`,
    "",
    `You asked for this reminder (${REMINDER_TEXT[job.kind].label.toLowerCase()}) by email. To stop it, open this link: ${stop}`,
    `To change times or channels, sign in and go to ${new URL("/account/reminders", ctx.siteUrl).toString()}`,
  ].join("\n");
  return {
    to,
    subject: message.title,
    text,
    headers: { "List-Unsubscribe": `<${stop}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
