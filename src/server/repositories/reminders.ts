/**
 * Reminders in the database: a person's choices, their push subscriptions and calendar feed
 * (owner-scoped like every personal table), and the due-reminder queue that every server
 * process shares (planned and claimed in SQL, so several processes send each reminder once).
 * @module
 */
import { and, eq, sql } from "drizzle-orm";
import {
  REMINDER_CHANNELS,
  type ReminderChannel,
  type ReminderKind,
  type ReminderSetting,
} from "../../core/reminders/reminders";
import type { Db } from "../db/client";
import { calendarFeed, pushSubscription, reminderJob, reminderSetting } from "../db/schema";
import { ownedBy } from "./owned";

const COLUMN_OF: Record<ReminderChannel, "byPush" | "byEmail" | "byCalendar"> = {
  push: "byPush",
  email: "byEmail",
  calendar: "byCalendar",
};

/** The one mapping from a settings row to what pages and the export see. */
export function toReminderSetting(row: typeof reminderSetting.$inferSelect): ReminderSetting & { updatedAt: string } {
  return {
    kind: row.kind as ReminderKind,
    time: row.localTime,
    channels: REMINDER_CHANNELS.filter((c) => row[COLUMN_OF[c]]),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The settings as the export's CSV has them: channels in one cell. */
export const toReminderSettingRecord = (row: typeof reminderSetting.$inferSelect) => {
  const s = toReminderSetting(row);
  return { kind: s.kind, time: s.time, channels: s.channels.join(" "), updatedAt: s.updatedAt };
};

export async function listReminderSettings(db: Db, userId: string): Promise<ReminderSetting[]> {
  return (await db.select().from(reminderSetting).where(eq(reminderSetting.userId, userId))).map(toReminderSetting);
}

/** The person's choice for one kind of reminder, or undefined when it is off. */
export async function getReminderSetting(
  db: Db,
  userId: string,
  kind: ReminderKind,
): Promise<(ReminderSetting & { updatedAt: string }) | undefined> {
  const [row] = await db
    .select()
    .from(reminderSetting)
    .where(and(eq(reminderSetting.userId, userId), eq(reminderSetting.kind, kind)));
  return row ? toReminderSetting(row) : undefined;
}

/**
 * Saves the person's choices and forgets their reminders not yet sent, so the next plan uses the
 * new times (a reminder already sent today stays sent: its row keeps the day's key).
 */
export async function saveReminderSettings(
  db: Db,
  userId: string,
  settings: readonly ReminderSetting[],
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const s of settings) {
      const values = {
        localTime: s.time,
        byPush: s.channels.includes("push"),
        byEmail: s.channels.includes("email"),
        byCalendar: s.channels.includes("calendar"),
        updatedAt: now,
      };
      await tx
        .insert(reminderSetting)
        .values({ userId, kind: s.kind, ...values })
        .onConflictDoUpdate({ target: [reminderSetting.userId, reminderSetting.kind], set: values });
    }
    await forgetPendingReminders(tx, userId);
  });
}

/** Turns one channel of one reminder off (the stop link in a message). False when it was already off. */
export async function stopReminderChannel(
  db: Db,
  userId: string,
  kind: ReminderKind,
  channel: ReminderChannel,
): Promise<boolean> {
  const column = reminderSetting[COLUMN_OF[channel]];
  const rows = await db
    .update(reminderSetting)
    .set({ [COLUMN_OF[channel]]: false })
    .where(and(eq(reminderSetting.userId, userId), eq(reminderSetting.kind, kind), eq(column, true)))
    .returning({ kind: reminderSetting.kind });
  return rows.length > 0;
}

/** Drops the person's reminders that are planned but not claimed (after a change of times or time zone). */
export async function forgetPendingReminders(db: Db, userId: string): Promise<void> {
  await db.delete(reminderJob).where(and(eq(reminderJob.userId, userId), eq(reminderJob.state, "pending")));
}

// --- push subscriptions -------------------------------------------------------------------

export interface PushDevice {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent: string | null;
  createdAt: string;
}

export function toPushDevice(row: typeof pushSubscription.$inferSelect): PushDevice {
  return {
    id: row.id,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The export leaves out the keys: they only let matwise encrypt for that browser. */
export const toPushDeviceRecord = (row: typeof pushSubscription.$inferSelect) => ({
  id: row.id,
  endpoint: row.endpoint,
  userAgent: row.userAgent ?? "",
  createdAt: row.createdAt.toISOString(),
});

/**
 * Keeps a browser's subscription; the same person sending the same endpoint again replaces the
 * row. An endpoint that another account holds is never moved (issue 25, item 7): the answer is
 * false and nothing changes (the browser then makes a new subscription, with a new endpoint).
 */
export async function savePushSubscription(
  db: Db,
  userId: string,
  sub: { endpoint: string; p256dh: string; auth: string; userAgent: string | null },
): Promise<boolean> {
  const values = { userId, p256dh: sub.p256dh, auth: sub.auth, userAgent: sub.userAgent, createdAt: new Date() };
  const saved = await db
    .insert(pushSubscription)
    .values({ endpoint: sub.endpoint, ...values })
    .onConflictDoUpdate({
      target: pushSubscription.endpoint,
      set: values,
      setWhere: eq(pushSubscription.userId, userId),
    })
    .returning({ id: pushSubscription.id });
  return saved.length > 0;
}

export async function listPushSubscriptions(db: Db, userId: string): Promise<PushDevice[]> {
  return (
    await db
      .select()
      .from(pushSubscription)
      .where(eq(pushSubscription.userId, userId))
      .orderBy(pushSubscription.createdAt)
  ).map(toPushDevice);
}

/** Removes one of the person's devices; false when it is not theirs or not there. */
export async function deletePushSubscription(db: Db, userId: string, id: string): Promise<boolean> {
  return (
    (
      await db
        .delete(pushSubscription)
        .where(ownedBy(pushSubscription, userId, id))
        .returning({ id: pushSubscription.id })
    ).length > 0
  );
}

/** Removes a subscription the push service says is gone (404/410). */
export async function deleteExpiredSubscription(db: Db, endpoint: string): Promise<void> {
  await db.delete(pushSubscription).where(eq(pushSubscription.endpoint, endpoint));
}

// --- calendar feed ------------------------------------------------------------------------

/** Sets the person's feed to a new token (by its hash), ending the old address. */
export async function replaceCalendarFeed(db: Db, userId: string, tokenHash: string): Promise<void> {
  await db
    .insert(calendarFeed)
    .values({ userId, tokenHash })
    .onConflictDoUpdate({ target: calendarFeed.userId, set: { tokenHash, createdAt: new Date() } });
}

export async function deleteCalendarFeed(db: Db, userId: string): Promise<boolean> {
  return (
    (await db.delete(calendarFeed).where(eq(calendarFeed.userId, userId)).returning({ userId: calendarFeed.userId }))
      .length > 0
  );
}

/** When the person's feed was made, or null when they have none. */
export async function getCalendarFeedCreated(db: Db, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ createdAt: calendarFeed.createdAt })
    .from(calendarFeed)
    .where(eq(calendarFeed.userId, userId));
  return row ? row.createdAt.toISOString() : null;
}

/** Whose feed a token hash opens, or null. */
export async function findCalendarFeedOwner(db: Db, tokenHash: string): Promise<string | null> {
  const [row] = await db
    .select({ userId: calendarFeed.userId })
    .from(calendarFeed)
    .where(eq(calendarFeed.tokenHash, tokenHash));
  return row?.userId ?? null;
}

export const toCalendarFeedRecord = (row: typeof calendarFeed.$inferSelect) => ({
  createdAt: row.createdAt.toISOString(),
});

// --- the due-reminder queue ---------------------------------------------------------------

export interface ReminderJob {
  id: string;
  userId: string;
  kind: ReminderKind;
  localDate: string;
  dueAt: Date;
  attempts: number;
}

export const toReminderJobRecord = (row: typeof reminderJob.$inferSelect) => ({
  kind: row.kind,
  localDate: row.localDate,
  dueAt: row.dueAt.toISOString(),
  state: row.state,
  doneAt: row.doneAt ? row.doneAt.toISOString() : "",
  outcome: row.outcome ?? "",
});

/** A reminder chosen this long after its time on a day is still sent that day (a person trying it out). */
const CHOSEN_LATE_MS = 2 * 60_000;

/**
 * Adds a row for every reminder with a channel on the person's local yesterday, today and
 * tomorrow (yesterday: a reminder just before midnight that all servers missed while they were
 * restarting is still sent, within the lateness limit of the scheduler), unless
 * that (person, kind, day) already has one: the unique key makes this safe to run from every
 * process at once. The due instant is the local wall time on that day in the person's time zone
 * (PostgreSQL's `timestamp AT TIME ZONE`, right across daylight-saving changes). A day whose time
 * had passed when the reminder was chosen gets no row.
 */
export async function planDueReminders(db: Db, now: Date): Promise<number> {
  const at = now.toISOString();
  const result = await db.execute(sql`
    insert into reminder_job (user_id, kind, local_date, due_at)
    select s.user_id, s.kind, d.local_date, (d.local_date + s.local_time::time) at time zone u.time_zone
    from reminder_setting s
    join "user" u on u.id = s.user_id
    cross join lateral (select (${at}::timestamptz at time zone u.time_zone)::date + offs as local_date from (values (-1), (0), (1)) as o(offs)) as d
    where (s.by_push or s.by_email)
      and (d.local_date + s.local_time::time) at time zone u.time_zone > s.updated_at - make_interval(secs => ${CHOSEN_LATE_MS / 1000})
    on conflict on constraint reminder_job_once do nothing`);
  return (
    (result as { rowCount?: number | null; affectedRows?: number }).rowCount ??
    (result as { affectedRows?: number }).affectedRows ??
    0
  );
}

/**
 * Claims up to `limit` reminders that are due, or whose claim ran out (the process that held it
 * stopped): FOR UPDATE SKIP LOCKED lets other processes claim other rows at the same moment
 * instead of waiting or taking the same ones.
 */
export async function claimDueReminders(
  db: Db,
  now: Date,
  worker: string,
  leaseMs: number,
  limit = 20,
): Promise<ReminderJob[]> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const result = await db.execute(sql`
    update reminder_job set state = 'claimed', claimed_by = ${worker}, lease_until = ${until}::timestamptz, attempts = attempts + 1
    where id in (
      select id from reminder_job
      where (state = 'pending' and due_at <= ${at}::timestamptz) or (state = 'claimed' and lease_until < ${at}::timestamptz)
      order by due_at
      limit ${limit}
      for update skip locked)
    returning id, user_id, kind, local_date::text as local_date, due_at, attempts`);
  const rows = (
    result as {
      rows: {
        id: string;
        user_id: string;
        kind: string;
        local_date: string;
        due_at: string | Date;
        attempts: number;
      }[];
    }
  ).rows;
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    kind: r.kind as ReminderKind,
    localDate: r.local_date,
    dueAt: new Date(r.due_at),
    attempts: Number(r.attempts),
  }));
}

/**
 * Ends a claimed reminder: sent, skipped (nothing to say, or too late) or failed. Only the
 * process that holds the claim can end it; false when the claim was lost (its lease ran out and
 * another process took it).
 */
export async function finishReminderJob(
  db: Db,
  id: string,
  worker: string,
  state: "sent" | "skipped" | "failed",
  outcome: string,
  now = new Date(),
): Promise<boolean> {
  const rows = await db
    .update(reminderJob)
    .set({ state, outcome, doneAt: now, leaseUntil: null })
    .where(and(eq(reminderJob.id, id), eq(reminderJob.claimedBy, worker), eq(reminderJob.state, "claimed")))
    .returning({ id: reminderJob.id });
  return rows.length > 0;
}

/** Puts a claimed reminder back to be tried again at `retryAt` (a channel failed for a passing reason). */
export async function retryReminderJob(
  db: Db,
  id: string,
  worker: string,
  retryAt: Date,
  outcome: string,
): Promise<void> {
  await db
    .update(reminderJob)
    .set({ state: "pending", dueAt: retryAt, claimedBy: null, leaseUntil: null, outcome })
    .where(and(eq(reminderJob.id, id), eq(reminderJob.claimedBy, worker), eq(reminderJob.state, "claimed")));
}
