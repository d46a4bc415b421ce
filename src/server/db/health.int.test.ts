import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { DatabaseUnavailableError, forgetDiskFull, MB, noteUnavailable, UNAVAILABLE_MESSAGES } from "../availability";
import type { Db, DbHandle } from "./client";
import { checkHealth } from "./health";
import { describeEachDatabase } from "./testing";

async function beats(db: Db): Promise<number> {
  const r = await db.execute<{ beats: number }>(sql`select beats from health_heartbeat where name = 'healthz'`);
  return Number((r as { rows: { beats: number }[] }).rows[0]?.beats ?? 0);
}

describeEachDatabase("health check", (t) => {
  it("is ok when the database answers and commits the heartbeat write", async () => {
    const before = await beats(t.db);
    expect(await checkHealth(t.handle)).toEqual({ status: "ok", database: t.handle.kind });
    expect(await checkHealth(t.handle)).toEqual({ status: "ok", database: t.handle.kind });
    expect(await beats(t.db)).toBe(before + 2);
  });

  it("is degraded, saying why, when the write fails", async () => {
    await t.db.execute(sql`alter table health_heartbeat rename to health_heartbeat_away`);
    try {
      const report = await checkHealth(t.handle);
      expect(report.status).toBe("degraded");
      expect(report.reason).toMatch(/^the database cannot write: .*health_heartbeat/);
    } finally {
      await t.db.execute(sql`alter table health_heartbeat_away rename to health_heartbeat`);
    }
    expect((await checkHealth(t.handle)).status).toBe("ok");
  });

  it("is degraded without writing when the disk is below its minimum free space", async () => {
    const before = await beats(t.db);
    const handle: DbHandle = {
      ...t.handle,
      db: t.db,
      diskSpace: () => ({ freeBytes: 10 * MB, minFreeBytes: 64 * MB, low: true }),
    };
    expect(await checkHealth(handle)).toEqual({
      status: "degraded",
      database: t.handle.kind,
      reason: "writes are refused: 10.0 MB free on the disk of the database, 64 MB needed",
    });
    expect(await beats(t.db)).toBe(before);
  });

  it("is degraded for a while after a write failed on a full disk, even if the heartbeat still fits", async () => {
    try {
      noteUnavailable(new DatabaseUnavailableError("disk-full", UNAVAILABLE_MESSAGES["disk-full"]));
      expect(await checkHealth(t.handle)).toEqual({
        status: "degraded",
        database: t.handle.kind,
        reason: "a write failed 0 s ago because the disk of the database is full",
      });
    } finally {
      forgetDiskFull();
    }
    expect((await checkHealth(t.handle)).status).toBe("ok");
  });

  it("is degraded when the database failed, and when it does not answer in time", async () => {
    const failed: DbHandle = {
      ...t.handle,
      db: t.db,
      unavailable: () => new DatabaseUnavailableError("database-failed", "stopped and reopening"),
    };
    expect(await checkHealth(failed)).toMatchObject({
      status: "degraded",
      reason: "the database stopped and is being reopened",
    });
    const silent = new Proxy(t.db, {
      get: (target, p, r): unknown => (p === "execute" ? () => new Promise(() => {}) : Reflect.get(target, p, r)),
    });
    expect(await checkHealth({ ...t.handle, db: silent }, 50)).toEqual({
      status: "degraded",
      database: t.handle.kind,
      reason: "the database does not answer: a query did not finish within 0.05 s",
    });
  });
});
