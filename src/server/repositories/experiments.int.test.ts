import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../core/errors";
import { freezeProtocol, type Protocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import {
  createExperiment,
  ExperimentUnderwayError,
  listUnderwayExperiments,
  deleteExperiment,
  endExperiment,
  getAnalysisCache,
  listExperimentDays,
  listExperiments,
  recordCheckIn,
  requireExperiment,
  saveAnalysisCache,
  toScheduledDay,
} from "./experiments";
import { deletePersonalData } from "./personal-data";

const protocol: Protocol = {
  version: 1,
  primaryOutcome: "pain",
  mcid: 1,
  comparator: "rest-without-mat",
  sessionMinutes: 15,
  sessionTime: "21:00",
  position: "lying",
  area: "back",
  periodDays: 2,
  pairs: 6,
  washout: true,
  startsOn: "2026-12-01",
  timeZone: "Europe/Berlin",
  expectation: 3,
};

/** The database's own message for a refused statement (drizzle wraps it as the cause). */
async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return cause?.message ?? (err as Error).message;
  }
  return "not refused";
}

describeEachDatabase("personal experiments", (t) => {
  const start = async (owner: string, seed = 1234) =>
    createExperiment(t.db, owner, {
      frozen: freezeProtocol(protocol),
      frozenAt: new Date("2026-11-30T20:00:00Z"),
      scheduleSeed: seed,
      analysisSeed: 99,
      source: "matwise",
      schedule: createSchedule(protocol, seed),
    });

  it("lets a person have one experiment under way at a time, even when two starts race", async () => {
    await t.db.insert(user).values([
      { id: "uma", name: "Uma", email: "uma@example.com" },
      { id: "vic", name: "Vic", email: "vic@example.com" },
    ]);
    const first = await start("uma", 5);
    const refused = await start("uma", 6).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ExperimentUnderwayError);
    expect((refused as ExperimentUnderwayError).underway.id).toBe(first);
    expect((await listExperiments(t.db, "uma")).length).toBe(1);
    // Once it has ended, another may start; and one whose last day has passed blocks nothing.
    await endExperiment(t.db, "uma", first, null, new Date("2026-12-03T10:00:00Z"));
    const second = await start("uma", 7);
    const afterItsEnd = {
      frozen: freezeProtocol({ ...protocol, startsOn: "2027-01-10" }),
      frozenAt: new Date("2027-01-05T10:00:00Z"),
      scheduleSeed: 8,
      analysisSeed: 99,
      source: "matwise" as const,
      schedule: createSchedule({ ...protocol, startsOn: "2027-01-10" }, 8),
    };
    expect(await listUnderwayExperiments(t.db, "uma", afterItsEnd.frozenAt)).toEqual([]);
    expect((await listUnderwayExperiments(t.db, "uma", new Date("2026-12-02T10:00:00Z"))).map((e) => e.id)).toEqual([
      second,
    ]);
    const third = await createExperiment(t.db, "uma", afterItsEnd);
    expect((await listUnderwayExperiments(t.db, "uma", afterItsEnd.frozenAt)).map((e) => e.id)).toEqual([third]);
    // Two starts at the same moment: the person's row is locked, so exactly one is stored.
    const raced = await Promise.allSettled([start("vic", 10), start("vic", 11)]);
    expect(raced.filter((r) => r.status === "fulfilled").length).toBe(1);
    const rejected = raced.flatMap((r): unknown[] => (r.status === "rejected" ? [r.reason] : []));
    expect(rejected.length).toBe(1);
    expect(rejected[0]).toBeInstanceOf(ExperimentUnderwayError);
  });

  it("stores every scheduled day, reproduced from its seed, and keeps them to their owner", async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com" },
      { id: "bob", name: "Bob", email: "bob@example.com" },
    ]);
    const id = await start("ann");
    const exp = await requireExperiment(t.db, "ann", id);
    expect(exp.protocolHash).toBe(freezeProtocol(protocol).hash);
    const days = await listExperimentDays(t.db, "ann", id);
    expect(exp.protocol).toEqual(protocol);
    expect(days.map(toScheduledDay)).toEqual(createSchedule(protocol, exp.scheduleSeed!));
    await expect(requireExperiment(t.db, "bob", id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listExperimentDays(t.db, "bob", id)).toEqual([]);
    expect(await listExperiments(t.db, "bob")).toEqual([]);
    await expect(
      recordCheckIn(
        t.db,
        "bob",
        id,
        "2026-12-01",
        { adherence: "as-assigned", pain: 3 },
        { now: new Date(), localDate: "2026-12-01", morning: false },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(endExperiment(t.db, "bob", id, null, new Date())).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteExperiment(t.db, "bob", id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listExperiments(t.db, "ann")).map((e) => e.state)).toEqual(["running"]);
  });

  it("refuses any change to a frozen protocol or to a day's place in the schedule, in the database itself", async () => {
    const id = (await listExperiments(t.db, "ann"))[0]!.id;
    expect(await refusal(t.db.execute(sql`update experiment set protocol_canonical = '{}' where id = ${id}`))).toMatch(
      /frozen/,
    );
    expect(await refusal(t.db.execute(sql`update experiment set schedule_seed = 1 where id = ${id}`))).toMatch(
      /frozen/,
    );
    expect(
      await refusal(
        t.db.execute(
          sql`update experiment_day set condition = case condition when 'A' then 'B' else 'A' end where experiment_id = ${id} and condition is not null`,
        ),
      ),
    ).toMatch(/fixed/);
    expect((await requireExperiment(t.db, "ann", id)).protocolHash).toBe(freezeProtocol(protocol).hash);
  });

  it("records check-ins, bumps the data version, and keeps an analysis only for the data it was made from", async () => {
    const id = (await listExperiments(t.db, "ann"))[0]!.id;
    const v0 = (await requireExperiment(t.db, "ann", id)).dataVersion;
    await saveAnalysisCache(t.db, "ann", id, v0, { verdict: "x" });
    expect(await getAnalysisCache(t.db, "ann", id)).toEqual({ version: v0, cache: { verdict: "x" } });
    await recordCheckIn(
      t.db,
      "ann",
      id,
      "2026-12-01",
      { adherence: "as-assigned", pain: 4 },
      { now: new Date(), localDate: "2026-12-01", morning: false },
    );
    expect(await getAnalysisCache(t.db, "ann", id)).toBeNull();
    await saveAnalysisCache(t.db, "ann", id, v0, { verdict: "stale" }); // made from older data: not kept
    expect(await getAnalysisCache(t.db, "ann", id)).toBeNull();
    const day1 = (await listExperimentDays(t.db, "ann", id))[0]!;
    expect(day1).toMatchObject({ pain: 4, adherence: "as-assigned", recordedOn: "2026-12-01" });
    const washout = (await listExperimentDays(t.db, "ann", id)).find((d) => d.condition === null)!;
    await expect(
      recordCheckIn(
        t.db,
        "ann",
        id,
        washout.date,
        { pain: 2 },
        { now: new Date(), localDate: washout.date, morning: false },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      recordCheckIn(
        t.db,
        "ann",
        id,
        "2030-01-01",
        { pain: 2 },
        { now: new Date(), localDate: "2030-01-01", morning: false },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    await endExperiment(t.db, "ann", id, "moved house", new Date());
    await expect(
      recordCheckIn(
        t.db,
        "ann",
        id,
        "2026-12-02",
        { pain: 2 },
        { now: new Date(), localDate: "2026-12-02", morning: false },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("takes a check-in sent again under the same browser id once: the repeat changes nothing", async () => {
    await t.db.insert(user).values({ id: "cal", name: "Cal", email: "cal@example.com" });
    const id = await start("cal", 91);
    const at = { now: new Date(), localDate: "2026-12-01", morning: false };
    const key = "6e0c7a52-41f9-4d2e-9b1a-3c5d7e9f1a2b";
    await recordCheckIn(t.db, "cal", id, "2026-12-01", { adherence: "as-assigned", pain: 4 }, at, key);
    const version = (await requireExperiment(t.db, "cal", id)).dataVersion;
    await recordCheckIn(t.db, "cal", id, "2026-12-01", { adherence: "skipped", pain: 9 }, at, key);
    expect((await listExperimentDays(t.db, "cal", id))[0]).toMatchObject({ pain: 4, adherence: "as-assigned" });
    expect((await requireExperiment(t.db, "cal", id)).dataVersion).toBe(version);
    // A new check-in for the day (another id) still replaces it, as before.
    await recordCheckIn(
      t.db,
      "cal",
      id,
      "2026-12-01",
      { adherence: "skipped", pain: 2 },
      at,
      "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a",
    );
    expect((await listExperimentDays(t.db, "cal", id))[0]).toMatchObject({ pain: 2, adherence: "skipped" });
    const count = await t.db.execute<{ n: number }>(
      sql`select count(*) as n from experiment_day where experiment_id = ${id} and date = '2026-12-01'`,
    );
    expect(Number((count as { rows: { n: number }[] }).rows[0]?.n)).toBe(1);
  });

  it("is erased with the account, every day included", async () => {
    await start("bob", 77);
    expect(await deletePersonalData(t.db, "bob")).toBe(true);
    const left = await t.db.execute<{ n: number }>(
      sql`select (select count(*) from experiment where user_id = 'bob') + (select count(*) from experiment_day where user_id = 'bob') as n`,
    );
    expect(Number((left as { rows: { n: number }[] }).rows[0]?.n)).toBe(0);
  });
});
