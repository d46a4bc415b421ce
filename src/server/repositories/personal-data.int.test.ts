import { createHash } from "node:crypto";
import { is, sql } from "drizzle-orm";
import { unzipSync, strFromU8 } from "fflate";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { createAuth } from "../auth/auth";
import type { Db } from "../db/client";
import { describeEachDatabase } from "../db/testing";
import { accountKey, hitRateLimit } from "../rate-limit";
import * as schema from "../db/schema";
import {
  deletePersonalData,
  EXPORT_SCHEMA_VERSION,
  exportAsZip,
  exportPersonalData,
  PERSONAL_TABLES,
} from "./personal-data";
import { freezeProtocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { createExperiment } from "./experiments";
import { createMatSession } from "./mat-sessions";
import { saveSafetyCheck } from "./safety-checks";
import { createUserMat } from "./user-mats";
import { savePlan } from "./plans";
import { planDueReminders, replaceCalendarFeed, savePushSubscription, saveReminderSettings } from "./reminders";
import { saveSleepNights } from "./sleep-records";

/** Reminders by push and email, a subscribed device, a calendar feed and a planned reminder. */
async function addReminders(db: Db, userId: string) {
  await saveReminderSettings(
    db,
    userId,
    [{ kind: "session", time: "19:00", channels: ["push", "email"] }],
    new Date("2026-12-01T00:00:00Z"),
  );
  await savePushSubscription(db, userId, {
    endpoint: `https://push.example/${userId}`,
    p256dh: "k".repeat(87),
    auth: "a".repeat(22),
    userAgent: "Firefox",
  });
  await replaceCalendarFeed(db, userId, `hash-${userId}`);
  await planDueReminders(db, new Date("2026-12-01T10:00:00Z"));
}

import { createInvitation, createStudy, recordConsent } from "./studies";

/** A study owned by `owner` that `participant` has consented to. */
async function studyWith(db: Db, owner: string, participant: string) {
  const protocol = {
    version: 1,
    primaryOutcome: "pain",
    mcid: 1,
    comparator: "rest-without-mat",
    sessionMinutes: 15,
    sessionTime: "21:00",
    position: "lying",
    area: "back",
    periodDays: 1,
    pairs: 6,
    washout: false,
    locked: [],
  } as const;
  const studyId = await createStudy(db, owner, {
    title: "S",
    question: "Q",
    contact: "c",
    frozen: { protocol: { ...protocol, locked: [] }, canonical: "{}", hash: "a".repeat(64) },
    screening: [],
    targetSize: 10,
    endsOn: "2099-01-01",
    consent: { items: ["I agree."], hash: "b".repeat(64) },
  });
  const codeHash = createHash("sha256").update(`code of ${owner} for ${participant}`).digest("hex");
  await createInvitation(db, owner, studyId, { codeHash, kind: "study", label: "" });
  await recordConsent(db, participant, {
    invitationCodeHash: codeHash,
    version: 1,
    hash: "b".repeat(64),
    now: new Date(),
  });
}

const plan = {
  skin: "average",
  tolerance: "low",
  area: "back",
  level: "fine",
  areasOff: ["legs"],
  professionalAgreed: false,
  start: "2026-12-01",
} as const;

/** Every public table, and how many of its rows mention `needle` anywhere. */
async function rowsMentioning(db: Db, needles: string[]): Promise<Record<string, number>> {
  const tables = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of (tables as { rows: { table_name: string }[] }).rows) {
    for (const needle of needles) {
      const r = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(table_name)} t where t::text like ${`%${needle}%`}`,
      );
      const n = Number((r as { rows: { n: number }[] }).rows[0]?.n ?? 0);
      if (n > 0) out[`${table_name} ~ ${needle}`] = n;
    }
  }
  return out;
}

describe("the registry of personal tables", () => {
  it("lists every table that has a user_id column (export and erasure walk it)", () => {
    const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
    const withUserId = tables
      .filter((t) => getTableConfig(t).columns.some((c) => c.name === "user_id"))
      .map((t) => getTableConfig(t).name);
    expect(withUserId.length).toBeGreaterThanOrEqual(5);
    expect(PERSONAL_TABLES.map((t) => getTableConfig(t.table).name).sort()).toEqual(withUserId.sort());
  });
});

describeEachDatabase("personal data: export and erase", (t) => {
  const sent: string[] = [];
  const auth = () =>
    createAuth(t.db, {
      secret: "x".repeat(40),
      secureCookies: false,
      mailer: { send: (m) => Promise.resolve(void sent.push(m.to)) },
    });

  async function signUp(email: string) {
    const res = await auth().api.signUpEmail({
      body: { name: "Test", email, password: "correct horse battery", timeZone: "Pacific/Auckland" },
    });
    await auth().api.signInEmail({ body: { email, password: "correct horse battery" } });
    await hitRateLimit(t.db, accountKey("sign-in", email), { windowSeconds: 60, max: 10 });
    return res.user.id;
  }

  const session = {
    startedAt: "2026-12-01T08:00:00.000Z",
    durationSeconds: 600,
    position: "lying",
    area: "back",
    layer: "clothing",
    matId: "spoonk",
    note: "first time, through a shirt",
    discomfort: 6,
    painBefore: 4,
    painAfter: 3,
    tensionBefore: 7,
    tensionAfter: 5,
    stressBefore: 6,
    stressAfter: 4,
    relaxationBefore: 3,
    relaxationAfter: 6,
  } as const;

  it("exports everything about one person and nothing about another", async () => {
    const a = await signUp("a@example.com");
    const b = await signUp("b@example.com");
    await createMatSession(t.db, a, session);
    await createMatSession(t.db, b, { ...session, note: "bob's own note" });
    const data = await exportPersonalData(t.db, a);
    expect(data?.schemaVersion).toBe(EXPORT_SCHEMA_VERSION);
    expect(data?.sessions).toHaveLength(1);
    expect((data?.sessions as unknown[])[0]).toMatchObject({
      startedAt: "2026-12-01T08:00:00.000Z",
      area: "back",
      discomfort: 6,
      note: "first time, through a shirt",
    });
    expect(JSON.stringify(data)).not.toContain("bob's own note");
    expect(data?.user.email).toBe("a@example.com");
    expect(data?.user.timeZone).toBe("Pacific/Auckland"); // given at sign-up, through better-auth's additional field
    expect(data?.devices).toHaveLength(2);
    expect(JSON.stringify(data)).not.toContain("b@example.com");
    expect(JSON.stringify(data)).not.toMatch(/scrypt|password"/i);
    const files = unzipSync(exportAsZip(data!));
    expect(Object.keys(files).sort()).toEqual([
      "README.txt",
      "calendar-feed.csv",
      "devices.csv",
      "experiment-days.csv",
      "experiments.csv",
      "imported-sleep.csv",
      "mats.csv",
      "matwise-export.json",
      "plans.csv",
      "push-devices.csv",
      "reminders-sent.csv",
      "reminders.csv",
      "safety-checks.csv",
      "sessions.csv",
      "sign-in-methods.csv",
      "studies-researched.csv",
      "study-consents.csv",
      "study-participation.csv",
      "user.csv",
    ]);
    expect(strFromU8(files["user.csv"]!)).toContain("a@example.com");
    const csv = strFromU8(files["sessions.csv"]!).split("\r\n");
    expect(csv[0]).toBe(
      "id,startedAt,durationSeconds,position,area,layer,matId,discomfort,painBefore,painAfter,tensionBefore,tensionAfter,stressBefore,stressAfter,relaxationBefore,relaxationAfter,note,createdAt",
    );
    expect(csv[1]).toContain(
      ',2026-12-01T08:00:00.000Z,600,lying,back,clothing,spoonk,6,4,3,7,5,6,4,3,6,"first time, through a shirt",',
    );
  });

  it("writes every field of every exported record into its CSV (no column forgotten)", async () => {
    const e = await signUp("e@example.com");
    await createMatSession(t.db, e, session);
    await createUserMat(t.db, e, { name: "E's mat", spikeCount: 6210, lengthMm: 740, widthMm: 400, note: null });
    await savePlan(t.db, e, { ...plan, areasOff: [...plan.areasOff] }, { lengthDays: 21, gentleness: 2 });
    await saveSafetyCheck(
      t.db,
      e,
      {
        date: new Date().toISOString(),
        rulesVersion: "v1",
        level: "fine",
        findingIds: [],
        areasOffMat: [],
        professionalAgreed: false,
      },
      { answers: {}, areas: {} },
    );
    const protocol = {
      version: 1,
      primaryOutcome: "pain",
      mcid: 1,
      comparator: "rest-without-mat",
      sessionMinutes: 15,
      sessionTime: "21:00",
      position: "lying",
      area: "back",
      periodDays: 1,
      pairs: 6,
      washout: false,
      startsOn: "2026-12-01",
      timeZone: "UTC",
      expectation: 2,
    } as const;
    await createExperiment(t.db, e, {
      frozen: freezeProtocol(protocol),
      frozenAt: new Date(),
      scheduleSeed: 5,
      analysisSeed: 6,
      source: "matwise",
      schedule: createSchedule(protocol, 5),
    });
    await addReminders(t.db, e);
    await saveSleepNights(
      t.db,
      e,
      [
        {
          night: "2026-12-01",
          source: "oura",
          bedtime: null,
          sleepOnset: null,
          wakeTime: null,
          totalSleepMinutes: 420,
          sleepLatencyMinutes: 12,
        },
      ],
      "oura.csv",
    );
    await studyWith(t.db, e, e);
    const data = (await exportPersonalData(t.db, e))!;
    for (const table of PERSONAL_TABLES) {
      const records = data[table.key] as Record<string, unknown>[];
      expect(records.length, table.key).toBeGreaterThan(0);
      for (const r of records) expect(Object.keys(r).sort(), table.key).toEqual([...table.columns].sort());
    }
  });

  it("erases every row of a person in every table, and keeps the others", async () => {
    const c = await signUp("c@example.com");
    const d = await signUp("d@example.com");
    await auth().api.requestPasswordReset({ body: { email: "c@example.com" } });
    expect(sent).toContain("c@example.com");
    expect(Object.keys(await rowsMentioning(t.db, [c]))).toContain(`verification ~ ${c}`);
    await createMatSession(t.db, c, session);
    await createUserMat(t.db, c, { name: "C's mat", spikeCount: 6210, lengthMm: 740, widthMm: 400, note: null });
    await savePlan(t.db, c, { ...plan, areasOff: [...plan.areasOff] }, { lengthDays: 21, gentleness: 2 });
    await saveSafetyCheck(
      t.db,
      c,
      {
        date: new Date().toISOString(),
        rulesVersion: "v1",
        level: "fine",
        findingIds: [],
        areasOffMat: [],
        professionalAgreed: false,
      },
      { answers: {}, areas: {} },
    );
    await addReminders(t.db, c);
    await addReminders(t.db, d);
    await studyWith(t.db, d, c);
    const cHash = accountKey("", "c@example.com").slice(1);
    expect(Object.keys(await rowsMentioning(t.db, [c, "c@example.com", cHash])).length).toBeGreaterThan(0);

    expect(await deletePersonalData(t.db, c)).toBe(true);
    expect(await rowsMentioning(t.db, [c, "c@example.com", cHash])).toEqual({});
    expect(Object.keys(await rowsMentioning(t.db, [d])).length).toBeGreaterThan(0);
    expect(await deletePersonalData(t.db, c)).toBe(false);
  });
});
