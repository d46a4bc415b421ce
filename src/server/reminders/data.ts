/**
 * What the reminder pages need for GET: the person's choices in words, their subscribed
 * devices, whether they have a calendar feed, the push key for the subscribe button; and the
 * plan calendar's time and zone for /plan/calendar.ics.
 * @module
 */
import { formatDate, type Clock } from "../../core/datetime";
import { CHANNEL_TEXT, REMINDER_TEXT } from "../../core/reminders/labels";
import {
  DEFAULT_REMINDER_TIMES,
  REMINDER_CHANNELS,
  withDefaults,
  type ReminderChannel,
} from "../../core/reminders/reminders";
import { describeBrowser } from "../account/data";
import { getCurrentUser, mayBeSignedIn } from "../auth/session";
import type { Db } from "../db/client";
import { parseEnv } from "../env";
import { loadOwnPlan } from "../plan/data";
import { getCalendarFeedCreated, listPushSubscriptions, listReminderSettings } from "../repositories/reminders";
import { getVapidKeys } from "./push";

/** The reminder channels this server can deliver: email only with a mail server. */
export function workingChannels(env: Pick<ReturnType<typeof parseEnv>, "SMTP_URL" | "MAIL_FROM">): ReminderChannel[] {
  return REMINDER_CHANNELS.filter((c) => c !== "email" || Boolean(env.SMTP_URL && env.MAIL_FROM));
}

/** GET /account/reminders: each reminder with its time and channels, devices, feed, and whether email can be sent. */
export async function loadReminderSettings(db: Db, userId: string, clock: Clock) {
  const env = parseEnv();
  const working = workingChannels(env);
  const settings = withDefaults(await listReminderSettings(db, userId)).map((s) => ({
    ...s,
    ...REMINDER_TEXT[s.kind],
    // Only the ways that can reach the person from this server are offered.
    options: working.map((c) => ({ value: c, label: CHANNEL_TEXT[c], checked: s.channels.includes(c) })),
  }));
  const devices = (await listPushSubscriptions(db, userId)).map((d) => ({
    id: d.id,
    browser: describeBrowser(d.userAgent),
    since: formatDate(d.createdAt, "date", clock),
  }));
  const feedCreated = await getCalendarFeedCreated(db, userId);
  return {
    settings,
    devices,
    feedSince: feedCreated ? formatDate(feedCreated, "date", clock) : null,
    emailOn: Boolean(env.SMTP_URL && env.MAIL_FROM),
    vapidPublicKey: (await getVapidKeys(db)).publicKey,
  };
}

/** The local time and zone of a plan's calendar events: the person's session reminder time (or 19:00) on their clock. */
export async function loadPlanCalendarClock(db: Db, request: Request): Promise<{ time: string; timeZone: string }> {
  const user = mayBeSignedIn(request) ? await getCurrentUser(request) : null;
  const own = await loadOwnPlan(db, request, user);
  const chosen = user ? (await listReminderSettings(db, user.id)).find((s) => s.kind === "session") : undefined;
  return { time: chosen?.time ?? DEFAULT_REMINDER_TIMES.session, timeZone: user?.timeZone ?? own?.timeZone ?? "UTC" };
}
