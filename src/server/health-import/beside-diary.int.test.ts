/**
 * Imported sleep where it is used, through the experiment page's loader, on every engine: the
 * nights beside the morning diary, and measured sleep among the outcomes without a verdict.
 */
import { beforeAll, expect, it } from "vitest";
import { freezeProtocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { createExperiment, listExperimentDays, listExperiments, recordCheckIn } from "../repositories/experiments";
import { saveSleepNights } from "../repositories/sleep-records";
import { loadExperimentPage } from "../experiments/results";

const protocol = {
  version: 1,
  primaryOutcome: "sleepQuality",
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
  expectation: 1,
} as const;

describeEachDatabase("imported sleep beside the diary and in an experiment's results", (t) => {
  let id = "";
  beforeAll(async () => {
    await t.db.insert(user).values([{ id: "ann", name: "Ann", email: "ann@example.com" }]);
    await createExperiment(t.db, "ann", {
      frozen: freezeProtocol(protocol),
      frozenAt: new Date("2026-11-30T12:00:00Z"),
      scheduleSeed: 9,
      analysisSeed: 10,
      source: "matwise",
      schedule: createSchedule(protocol, 9),
    });
    id = (await listExperiments(t.db, "ann"))[0]!.id;
    await recordCheckIn(
      t.db,
      "ann",
      id,
      "2026-12-01",
      { sleepQuality: 6, sleepLatency: 25, wakings: 2 },
      { now: new Date("2026-12-02T07:00:00Z"), localDate: "2026-12-02", morning: true },
    );
    const night = (date: string, total: number) => ({
      night: date,
      source: "oura" as const,
      bedtime: null,
      sleepOnset: null,
      wakeTime: null,
      totalSleepMinutes: total,
      sleepLatencyMinutes: 18,
    });
    await saveSleepNights(
      t.db,
      "ann",
      [night("2026-11-30", 300), night("2026-12-01", 420), night("2026-12-02", 400)],
      "oura.csv",
    );
  });

  it("shows each night's diary beside what the device measured, newest first", async () => {
    const page = await loadExperimentPage(t.db, "ann", id, new Date("2026-12-03T10:00:00Z"));
    expect(page.sleepNights).toEqual([
      {
        night: "Night after 2 December 2026",
        diary: null,
        measured: [{ source: "Oura", text: "6 h 40 min asleep, 18 min to fall asleep" }],
      },
      {
        night: "Night after 1 December 2026",
        diary: "sleep quality 6 of 10, 25 min to fall asleep, woke 2 times",
        measured: [{ source: "Oura", text: "7 h 0 min asleep, 18 min to fall asleep" }],
      },
    ]);
  });

  it("adds measured sleep to the outcomes without a verdict, by condition", async () => {
    const page = await loadExperimentPage(t.db, "ann", id, new Date("2026-12-03T10:00:00Z"));
    const days = await listExperimentDays(t.db, "ann", id);
    const condition = (date: string) => days.find((d) => d.date === date)!.condition;
    const byCondition = { A: [] as number[], B: [] as number[] };
    for (const [date, total] of [
      ["2026-12-01", 420],
      ["2026-12-02", 400],
    ] as const)
      byCondition[condition(date)!].push(total);
    const measured = page.results!.secondary.find((s) => s.label === "Total sleep time in minutes, measured by Oura");
    expect(measured).toEqual({
      label: "Total sleep time in minutes, measured by Oura",
      a: byCondition.A.length
        ? { mean: String(byCondition.A.reduce((a, b) => a + b) / byCondition.A.length), n: byCondition.A.length }
        : null,
      b: byCondition.B.length
        ? { mean: String(byCondition.B.reduce((a, b) => a + b) / byCondition.B.length), n: byCondition.B.length }
        : null,
    });
    expect(page.results!.secondary.some((s) => s.label.startsWith("Minutes to fall asleep, measured by Oura"))).toBe(
      true,
    );
  });
});
