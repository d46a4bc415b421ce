/**
 * What a study's monitor reads of each experiment without reading its days (decision 098): the
 * count of days and the latest check-in, kept by triggers whatever writes the days, and the fields
 * of the cached main analysis, kept by PostgreSQL from the cache. Each must equal what the days
 * and the cache say.
 */
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { addDays } from "../../core/datetime";
import type { CheckIn } from "../../core/experiments/days";
import { freezeProtocol, type Protocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { readImportNow } from "../workers/analysis-worker";
import {
  createExperiment,
  createImportedExperiment,
  deleteExperiment,
  recordCheckIn,
  saveAnalysisCache,
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

/** A file of `days` days, one a day, for an import. */
function imported(days: number) {
  const rows = ["date,block,period,condition,value"];
  for (let i = 0; i < days; i++) {
    const block = Math.floor(i / 2) + 1;
    const condition = (i % 2 === 0) === (block % 3 !== 0) ? "A" : "B";
    rows.push(`${addDays("2020-01-01", i)},${block},${(i % 2) + 1},${condition},${3 + (i % 5)}`);
  }
  return readImportNow({
    bytes: new TextEncoder().encode(rows.join("\n") + "\n"),
    fileName: "diary.csv",
    choices: { outcome: "pain", better: "lower", mcid: 1 },
    clock: { today: "2026-11-30", timeZone: "UTC" },
    seed: 7,
  });
}

interface Summary {
  id: string;
  days: number;
  counted: number;
  last: string | null;
  latest: string | null;
}

describeEachDatabase("an experiment's summaries on its row", (t) => {
  /** Each experiment's kept count and latest check-in, beside the ones its days give now. */
  async function summaries(): Promise<Summary[]> {
    const result = await t.db.execute<Record<string, unknown>>(sql`
      select e.id, e.day_count as days, e.last_activity_at::text as last,
        (select count(*)::int from experiment_day d where d.experiment_id = e.id) as counted,
        (select max(greatest(d.recorded_at, d.sleep_recorded_at))::text from experiment_day d where d.experiment_id = e.id) as latest
      from experiment e order by e.id`);
    return (result as { rows: Record<string, unknown>[] }).rows.map((r) => ({
      id: String(r["id"]),
      days: Number(r["days"]),
      counted: Number(r["counted"]),
      last: (r["last"] as string | null) ?? null,
      latest: (r["latest"] as string | null) ?? null,
    }));
  }
  const expectKept = async () => {
    for (const s of await summaries()) expect([s.id, s.days, s.last]).toEqual([s.id, s.counted, s.latest]);
  };

  it("counts the days and keeps the latest check-in, whatever writes the days", async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com" },
      { id: "bo", name: "Bo", email: "bo@example.com" },
    ]);
    const schedule = createSchedule(protocol, 5);
    const recorded = new Map<string, CheckIn>([
      ["2026-12-01", { date: "2026-12-01", recordedOn: "2026-12-01", adherence: "as-assigned", values: { pain: 4 } }],
    ]);
    const id = await createExperiment(t.db, "ann", {
      frozen: freezeProtocol(protocol),
      frozenAt: new Date("2026-11-30T20:00:00Z"),
      scheduleSeed: 5,
      analysisSeed: 99,
      source: "matwise",
      schedule,
      recorded,
    });
    expect((await summaries()).find((s) => s.id === id)).toMatchObject({ days: schedule.length, last: null });

    const evening = new Date("2026-12-02T20:15:00Z");
    const morning = new Date("2026-12-03T06:40:00Z");
    await recordCheckIn(
      t.db,
      "ann",
      id,
      "2026-12-02",
      { adherence: "as-assigned", pain: 3 },
      {
        now: evening,
        localDate: "2026-12-02",
        morning: false,
      },
    );
    await recordCheckIn(
      t.db,
      "ann",
      id,
      "2026-12-02",
      { sleepQuality: 7 },
      {
        now: morning,
        localDate: "2026-12-03",
        morning: true,
      },
    );
    // An earlier day's check-in given late: the latest is still the morning one.
    await recordCheckIn(
      t.db,
      "ann",
      id,
      "2026-12-01",
      { adherence: "skipped" },
      {
        now: new Date("2026-12-03T06:30:00Z"),
        localDate: "2026-12-03",
        morning: false,
      },
    );
    const after = (await summaries()).find((s) => s.id === id)!;
    expect(new Date(after.last!).toISOString()).toBe(morning.toISOString());

    // An import, stored in short statements (decision 096), and a direct write to the days.
    const file = imported(1_200);
    const importedId = await createImportedExperiment(t.db, "bo", {
      frozen: freezeProtocol(file.protocol),
      at: new Date("2026-11-30T12:00:00Z"),
      analysisSeed: 7,
      days: file.days,
    });
    expect((await summaries()).find((s) => s.id === importedId)?.days).toBe(1_200);
    await t.db.execute(
      sql`update experiment_day set sleep_recorded_at = '2026-12-04T07:00:00Z' where experiment_id = ${id} and date = '2026-12-03'`,
    );
    await t.db.execute(sql`delete from experiment_day where experiment_id = ${importedId} and date >= '2022-01-01'`);
    await expectKept();
    expect((await summaries()).find((s) => s.id === importedId)?.days).toBe(731);

    // Deleting an experiment, or the account with everything, goes through as before.
    await deleteExperiment(t.db, "bo", importedId);
    expect(await deletePersonalData(t.db, "ann")).toBe(true);
    expect(await summaries()).toEqual([]);
  });

  it("reads the monitor's fields of the cached main analysis as the cache holds them", async () => {
    await t.db.insert(user).values({ id: "cy", name: "Cy", email: "cy@example.com" });
    const id = await createExperiment(t.db, "cy", {
      frozen: freezeProtocol(protocol),
      frozenAt: new Date("2026-11-30T20:00:00Z"),
      scheduleSeed: 6,
      analysisSeed: 99,
      source: "matwise",
      schedule: createSchedule(protocol, 6),
    });
    const fields = async () => {
      const r = await t.db.execute<Record<string, unknown>>(
        sql`select analysis_blocks, analysis_ok, analysis_effect_mean, analysis_effect_sd, analysis_verdict from experiment where id = ${id}`,
      );
      const row = (r as { rows: Record<string, unknown>[] }).rows[0]!;
      return Object.values(row).map((v) => (typeof v === "string" && /^-?\d/.test(v) ? Number(v) : v));
    };
    expect(await fields()).toEqual([null, null, null, null, null]);
    await saveAnalysisCache(t.db, "cy", id, 0, {
      blocks: 3,
      main: { ok: true, result: { verdict: "probably-helps", bayes: { effect_mean: -1.25, effect_sd: 0.5 } } },
      perProtocol: null,
    });
    expect(await fields()).toEqual([3, true, -1.25, 0.5, "probably-helps"]);
    await saveAnalysisCache(t.db, "cy", id, 0, { blocks: null, main: { ok: false, error: "not enough data" } });
    expect(await fields()).toEqual([null, false, null, null, null]);
  });
});
