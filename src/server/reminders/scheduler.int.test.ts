import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../db/testing";
import { reminderJob, user } from "../db/schema";
import type { Mailer } from "../mailer";
import {
  claimDueReminders,
  finishReminderJob,
  planDueReminders,
  saveReminderSettings,
} from "../repositories/reminders";
import { LEASE_MS, runReminderTick, tickInterval } from "./scheduler";
import { readStopToken } from "./stop-token";

const at = (iso: string) => new Date(iso);

describe("tickInterval", () => {
  it.each([
    [undefined, 30_000],
    ["", 30_000],
    ["1000", 1000],
    ["120000", 30_000], // never longer than the default
    ["5", 50],
    ["soon", 30_000],
  ])("MATWISE_REMINDER_TICK_MS=%j → %i ms", (env, ms) => expect(tickInterval(env)).toBe(ms));
});

describeEachDatabase("the reminder queue", (t) => {
  const jobsOf = async (userId: string) =>
    (await t.db.select().from(reminderJob).where(eq(reminderJob.userId, userId)).orderBy(reminderJob.dueAt)).map(
      (j) => ({ date: j.localDate, due: j.dueAt.toISOString(), state: j.state }),
    );

  beforeAll(async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com", timeZone: "Europe/Berlin" },
      { id: "bob", name: "Bob", email: "bob@example.com", timeZone: "UTC" },
      ...Array.from({ length: 12 }, (_, i) => ({
        id: `p${i}`,
        name: `P${i}`,
        email: `p${i}@example.com`,
        timeZone: i % 2 ? "America/New_York" : "Asia/Tokyo",
      })),
    ]);
  });

  it("plans yesterday's, today's and tomorrow's reminder at the local time, right across the change to summer time, once", async () => {
    await saveReminderSettings(
      t.db,
      "ann",
      [{ kind: "evening", time: "21:00", channels: ["push"] }],
      at("2026-03-01T00:00:00Z"),
    );
    await planDueReminders(t.db, at("2026-03-28T12:00:00Z"));
    await planDueReminders(t.db, at("2026-03-28T12:00:05Z")); // again, from another process: nothing new
    expect(await jobsOf("ann")).toEqual([
      { date: "2026-03-27", due: "2026-03-27T20:00:00.000Z", state: "pending" }, // too late by the time it is claimed: dropped
      { date: "2026-03-28", due: "2026-03-28T20:00:00.000Z", state: "pending" }, // UTC+1
      { date: "2026-03-29", due: "2026-03-29T19:00:00.000Z", state: "pending" }, // UTC+2 from that night
    ]);
  });

  it("plans nothing for a time that had passed when it was chosen, nor for calendar-only reminders", async () => {
    await saveReminderSettings(
      t.db,
      "bob",
      [
        { kind: "session", time: "08:00", channels: ["email"] },
        { kind: "morning", time: "07:00", channels: ["calendar"] },
      ],
      at("2026-06-01T09:00:00Z"),
    );
    await planDueReminders(t.db, at("2026-06-01T09:00:10Z"));
    expect(await jobsOf("bob")).toEqual([{ date: "2026-06-02", due: "2026-06-02T08:00:00.000Z", state: "pending" }]);
  });

  it("gives a due reminder to one process, and to another once the first one's lease has run out", async () => {
    await t.db.execute(sql`delete from reminder_job where user_id <> 'bob'`);
    const due = at("2026-06-02T08:00:01Z");
    const [a] = await claimDueReminders(t.db, due, "a", LEASE_MS);
    expect(a).toMatchObject({ userId: "bob", kind: "session", localDate: "2026-06-02", attempts: 1 });
    expect(await claimDueReminders(t.db, due, "b", LEASE_MS)).toEqual([]);
    // "a" dies; after the lease "b" takes the reminder over, and "a" can no longer end it.
    const later = new Date(due.getTime() + LEASE_MS + 1000);
    const [b] = await claimDueReminders(t.db, later, "b", LEASE_MS);
    expect(b).toMatchObject({ id: a!.id, attempts: 2 });
    expect(await finishReminderJob(t.db, a!.id, "a", "sent", "sent by email", later)).toBe(false);
    expect(await finishReminderJob(t.db, b!.id, "b", "sent", "sent by email", later)).toBe(true);
    expect(await claimDueReminders(t.db, at("2026-06-03T00:00:00Z"), "c", LEASE_MS)).toEqual([]);
  });

  it("sends each reminder once when two processes tick at the same moment, with a stop link that works", async () => {
    const mails: { to: string; text: string; headers?: Record<string, string> }[] = [];
    const mailer: Mailer = { send: (m) => Promise.resolve(void mails.push(m)) };
    const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
    for (const id of ids)
      await saveReminderSettings(
        t.db,
        id,
        [{ kind: "session", time: "06:30", channels: ["email", "push"] }],
        at("2026-01-01T00:00:00Z"),
      );
    await t.db.execute(sql`delete from reminder_setting where user_id not like 'p%'`);
    await t.db.execute(sql`delete from reminder_job`);
    const ctx = { db: t.db, mailer, siteUrl: "https://matwise.example", pushSubject: "mailto:x@example.com" };
    // 06:30 in Tokyo and New York on 2026-07-01 (no plan, no experiment: the plain session reminder).
    for (const now of [at("2026-06-30T21:30:05Z"), at("2026-07-01T10:30:05Z")]) {
      await Promise.all([
        runReminderTick(ctx, "a", now),
        runReminderTick(ctx, "b", now),
        runReminderTick(ctx, "c", now),
      ]);
    }
    expect(mails.map((m) => m.to).sort()).toEqual(ids.map((id) => `${id}@example.com`).sort());
    const states = await t.db.execute(
      sql`select state, count(*)::int as n from reminder_job where local_date = '2026-07-01' group by state`,
    );
    expect((states as { rows: { state: string; n: number }[] }).rows).toEqual([{ state: "sent", n: 12 }]);

    const mail = mails[0]!;
    expect(mail.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const stop = /<(https:\/\/matwise\.example\/reminders\/stop\?t=([^>]+))>/.exec(
      mail.headers?.["List-Unsubscribe"] ?? "",
    );
    expect(mail.text).toContain(stop?.[1]);
    expect(await readStopToken(t.db, stop?.[2] ?? "")).toEqual({
      userId: mail.to.split("@")[0],
      kind: "session",
      channel: "email",
    });
    expect(await readStopToken(t.db, `${stop?.[2]?.slice(0, -2)}AA`)).toBeNull();
  });

  it("drops a reminder found more than six hours late instead of sending it out of time", async () => {
    await saveReminderSettings(
      t.db,
      "bob",
      [{ kind: "session", time: "08:00", channels: ["email"] }],
      at("2026-08-01T00:00:00Z"),
    );
    await planDueReminders(t.db, at("2026-08-01T01:00:00Z"));
    const mails: string[] = [];
    await runReminderTick(
      {
        db: t.db,
        mailer: { send: (m) => Promise.resolve(void mails.push(m.to)) },
        siteUrl: "https://matwise.example",
        pushSubject: "mailto:x@example.com",
      },
      "a",
      at("2026-08-01T15:00:00Z"),
    );
    expect(mails).not.toContain("bob@example.com");
    expect((await jobsOf("bob")).find((j) => j.date === "2026-08-01")?.state).toBe("skipped");
  });
});
