/**
 * Several selects in one round trip give what each gives alone: the same rows, the same order,
 * the same decoded values (dates, JSON, arrays, numbers, nulls), on every engine.
 */
import { asc, desc, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { selectBatch } from "./batch";
import { countRoundTrips } from "./round-trips";
import { breakInPlan, matSession, user } from "./schema";
import { describeEachDatabase } from "./testing";

describeEachDatabase("selectBatch", (t) => {
  it("gives each query's rows as running it alone does, in one round trip", async () => {
    const id = `batch-${t.handle.kind}`;
    await t.db.insert(user).values({
      id,
      name: "B",
      email: `${id}@example.com`,
      emailVerified: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    } as never);
    await t.db.insert(breakInPlan).values({
      userId: id,
      skin: "high",
      tolerance: "average",
      bodyArea: "back",
      level: "fine",
      areasOff: ["neck", "feet"],
      professionalAgreed: false,
      startDate: "2026-11-20",
      lengthDays: 21,
      gentleness: 1,
    } as never);
    const base = {
      userId: id,
      durationSeconds: 600,
      position: "lying",
      bodyArea: "back",
      layer: "clothing",
      matId: null,
      note: 'a "quoted" note',
      discomfort: 5,
    };
    await t.db.insert(matSession).values(
      [0, 1, 2, 3].map((i) => ({
        ...base,
        startedAt: new Date(Date.UTC(2026, 10, 3 - i, 8, 0, 0, 123)),
        discomfort: i,
        painBefore: i === 2 ? null : i,
      })) as never,
    );
    const build = () => ({
      plan: t.db.select().from(breakInPlan).where(eq(breakInPlan.userId, id)),
      sessions: t.db
        .select()
        .from(matSession)
        .where(eq(matSession.userId, id))
        .orderBy(desc(matSession.startedAt))
        .limit(3),
      oldest: t.db
        .select({
          discomfort: matSession.discomfort,
          day: sql<string>`to_char(${matSession.startedAt} at time zone ${"Pacific/Auckland"}, 'YYYY-MM-DD')`,
          n: sql<number>`count(*) over ()::int`,
        })
        .from(matSession)
        .where(eq(matSession.userId, id))
        .orderBy(asc(matSession.startedAt)),
      none: t.db.select().from(breakInPlan).where(eq(breakInPlan.userId, "nobody")),
    });
    const alone = {
      plan: await build().plan,
      sessions: await build().sessions,
      oldest: await build().oldest,
      none: await build().none,
    };
    const batched = await countRoundTrips(() => selectBatch(t.db, build()));
    expect(batched.result).toEqual(alone);
    expect(batched.roundTrips).toBe(1);
    expect(batched.result.sessions[0]!.startedAt).toBeInstanceOf(Date);
  });
});
