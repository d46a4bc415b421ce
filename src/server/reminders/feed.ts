/**
 * The calendar feed a calendar app subscribes to: a secret address per person (only its SHA-256
 * is stored; making a new one ends the old), serving the person's plan and running experiments
 * as timed events with alarms, so the calendar follows when a plan or experiment changes.
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { createCheckInEvents } from "../../core/experiments/calendar";
import { isImported } from "../../core/experiments/protocol";
import { createPlanEvents } from "../../core/plan/ics";
import { createBreakInPlan } from "../../core/plan/plan";
import { writeCalendar, type CalendarEvent } from "../../core/reminders/calendar";
import { experimentReminderKinds, withDefaults } from "../../core/reminders/reminders";
import type { Db } from "../db/client";
import { loadPersonClock } from "../person-clock";
import { experimentEventsOf } from "../experiments/data";
import { getPlanId } from "../plan/data";
import { listExperimentDays, listExperiments, toScheduledDay } from "../repositories/experiments";
import { getPlan } from "../repositories/plans";
import { findCalendarFeedOwner, listReminderSettings, replaceCalendarFeed } from "../repositories/reminders";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new secret feed token for the person (the old one stops working). Returned once, never stored. */
export async function createFeedToken(db: Db, userId: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await replaceCalendarFeed(db, userId, hashOf(token));
  return token;
}

/** Whose feed `token` opens, or null for anything else (a malformed token costs no query). */
export async function findFeedOwner(db: Db, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return findCalendarFeedOwner(db, hashOf(token));
}

/** The person's calendar: plan sessions at their session time, experiment days, and the check-ins they want in it. */
export async function loadFeedIcs(db: Db, userId: string, siteUrl: string, now = new Date()): Promise<string> {
  const { timeZone } = await loadPersonClock(db, userId);
  const settings = withDefaults(await listReminderSettings(db, userId));
  const timeOf = (kind: "session" | "evening" | "morning") => settings.find((s) => s.kind === kind)!;
  const events: CalendarEvent[] = [];
  const saved = await getPlan(db, userId);
  const plan = saved ? createBreakInPlan(saved.input) : null;
  if (saved && plan?.kind === "plan")
    events.push(
      ...createPlanEvents(plan, { planId: getPlanId(saved.input), time: timeOf("session").time, timeZone, siteUrl }),
    );
  for (const e of await listExperiments(db, userId)) {
    if (e.state !== "running" || isImported(e.protocol)) continue;
    const schedule = (await listExperimentDays(db, userId, e.id)).map(toScheduledDay);
    events.push(...experimentEventsOf(e, schedule, siteUrl));
    for (const kind of experimentReminderKinds(e.protocol)) {
      const s = timeOf(kind);
      if (s.channels.includes("calendar"))
        events.push(
          ...createCheckInEvents(e.id, schedule, { kind, time: s.time, timeZone: e.protocol.timeZone, siteUrl }),
        );
    }
  }
  return writeCalendar("matwise", events, { now, refreshHours: 6 });
}
