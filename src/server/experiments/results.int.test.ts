/**
 * The stored analyses of an experiment are used only for the input they were computed from. That
 * input changes with a check-in (the data version) and also when a pair ends, with nothing
 * recorded: its days join data.csv as missing. On every engine, the results the pages show must
 * then still equal `matwise analyze` on the data.csv of that moment.
 */
import { beforeAll, expect, it } from "vitest";
import { addDays } from "../../core/datetime";
import type { CheckIn } from "../../core/experiments/days";
import { freezeProtocol, type Protocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { createExperiment } from "../repositories/experiments";
import { analyzeDataCsv, loadDataCsv, loadResultsJson } from "./results";

const STARTS_ON = "2026-10-01";
/** Noon UTC on a day of the experiment (1 = its first day). */
const onDay = (day: number) => new Date(`${addDays(STARTS_ON, day - 1)}T12:00:00Z`);

describeEachDatabase("the stored analyses of an experiment", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values([{ id: "cai", name: "Cai", email: "cai@example.com" }]);
  });

  it("are computed again when a pair ends without a check-in, and always equal matwise analyze on data.csv", async () => {
    // Pairs of 1-day periods: a pair begins every second day. Every day up to day 14 is rated.
    const protocol: Protocol = {
      version: 1,
      primaryOutcome: "pain",
      mcid: 1,
      comparator: "rest-without-mat",
      sessionMinutes: 15,
      sessionTime: "19:00",
      position: "lying",
      area: "back",
      periodDays: 1,
      pairs: 10,
      washout: false,
      startsOn: STARTS_ON,
      timeZone: "UTC",
      expectation: 5,
    };
    const schedule = createSchedule(protocol, 99);
    const recorded = new Map<string, CheckIn>();
    for (const d of schedule)
      if (d.kind === "period" && d.day <= 14)
        recorded.set(d.date, {
          date: d.date,
          recordedOn: d.date,
          adherence: "as-assigned",
          values: { pain: d.condition === "A" ? 3 + (d.day % 3) : 5 + (d.day % 2) },
        });
    const id = await createExperiment(t.db, "cai", {
      frozen: freezeProtocol(protocol),
      frozenAt: onDay(1),
      scheduleSeed: 99,
      analysisSeed: 1234,
      source: "matwise",
      schedule,
      recorded,
    });
    const command = async (now: Date) =>
      analyzeDataCsv((await loadDataCsv(t.db, "cai", id, now)).csv, { better: "lower", mcid: 1, seed: 1234 });

    // Day 14 ends pair 7; the results are computed and stored.
    const before = await loadResultsJson(t.db, "cai", id, onDay(14));
    expect(before.analysis).toEqual(JSON.parse(JSON.stringify(await command(onDay(14)))));
    expect(before.analysis?.n.blocks).toBe(7);
    // Day 15 begins pair 8: its days are not in data.csv yet (one lies after today), so the stored results serve, unchanged.
    expect(await loadResultsJson(t.db, "cai", id, onDay(15))).toEqual(before);
    expect(
      (await loadDataCsv(t.db, "cai", id, onDay(15))).csv
        .split("\n")
        .slice(1)
        .every((line) => line === "" || line.slice(0, 10) <= addDays(STARTS_ON, 14)),
    ).toBe(true);
    // Day 16 ends pair 8: nothing was recorded, yet data.csv has its 2 days, and so must the results.
    const after = await loadResultsJson(t.db, "cai", id, onDay(16));
    expect(after.analysis?.n.blocks).toBe(8);
    expect(after.analysis).toEqual(JSON.parse(JSON.stringify(await command(onDay(16)))));
  });
});
