/**
 * Allocation concealment on every engine and every path a day leaves by: while an experiment
 * runs, no condition of a day after the person's local today, and not the schedule's seed, is in
 * all.csv, data.csv, results.json, the calendar file or the account's exports (JSON, the zip's
 * CSV files, FHIR). Once it has ended, everything is there.
 */
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, expect, it, vi } from "vitest";
import { addDays } from "../../core/datetime";
import type { CheckIn } from "../../core/experiments/days";
import { freezeProtocol, type Protocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { loadFhirExport } from "../health-import/data";
import { createExperiment, endExperiment } from "../repositories/experiments";
import { exportAsZip, exportPersonalData } from "../repositories/personal-data";
import { loadAllCsv, loadScheduleIcs } from "./data";
import { loadDataCsv, loadResultsJson } from "./results";

vi.mock("../safety/data", () => ({ loadCurrentResult: () => Promise.reject(new Error("not used here")) }));

const STARTS_ON = "2026-11-02";
const SEED = 424242;
/** 21:30 in New York on a day of the experiment (1 = its first day): already the next day in UTC. */
const lateOnDay = (day: number) => new Date(`${addDays(STARTS_ON, day)}T02:30:00Z`);

describeEachDatabase("allocation concealment", (t) => {
  const protocol: Protocol = {
    version: 1,
    primaryOutcome: "pain",
    mcid: 1,
    comparator: "rest-without-mat",
    sessionMinutes: 15,
    sessionTime: "19:00",
    position: "lying",
    area: "back",
    periodDays: 2,
    pairs: 6,
    washout: false,
    startsOn: STARTS_ON,
    timeZone: "America/New_York",
    expectation: 5,
  };
  const schedule = createSchedule(protocol, SEED);
  let id = "";

  beforeAll(async () => {
    await t.db
      .insert(user)
      .values([{ id: "noa", name: "Noa", email: "noa@example.com", timeZone: "America/New_York" }]);
    const recorded = new Map<string, CheckIn>();
    for (const d of schedule)
      if (d.kind === "period" && d.day <= 5)
        recorded.set(d.date, {
          date: d.date,
          recordedOn: d.date,
          adherence: "as-assigned",
          values: { pain: d.condition === "A" ? 3 : 5 },
        });
    id = await createExperiment(t.db, "noa", {
      frozen: freezeProtocol(protocol),
      frozenAt: lateOnDay(0),
      scheduleSeed: SEED,
      analysisSeed: 7,
      source: "matwise",
      schedule,
      recorded,
    });
  });

  /** Every text the person can take away on day 5 at 21:30 their time. */
  async function everything(now: Date): Promise<Record<string, string>> {
    const data = (await exportPersonalData(t.db, "noa", now))!;
    const zip = unzipSync(exportAsZip(data));
    return {
      "all.csv": await loadAllCsv(t.db, "noa", id, now),
      "data.csv": (await loadDataCsv(t.db, "noa", id, now)).csv,
      "results.json": JSON.stringify(await loadResultsJson(t.db, "noa", id, now)),
      "schedule.ics": await loadScheduleIcs(t.db, "noa", id, "https://matwise.example", now),
      "export.json": JSON.stringify(data),
      "experiment-days.csv": strFromU8(zip["experiment-days.csv"]!),
      "experiments.csv": strFromU8(zip["experiments.csv"]!),
      "export.fhir.json": JSON.stringify((await loadFhirExport(t.db, "noa", { withName: false, now }))!.bundle),
    };
  }

  it("sends no later day's condition and no seed while it runs, on day 5 at 21:30 in New York", async () => {
    const now = lateOnDay(5);
    const texts = await everything(now);
    const later = schedule.filter((d) => d.day > 5);
    for (const [path, text] of Object.entries(texts)) {
      expect(text, path).not.toContain(String(SEED));
      for (const d of later) {
        // A later day's date never appears beside a condition: each path writes one day per line or per JSON object.
        const pieces = path.endsWith(".json") ? text.split("}") : text.split("\n");
        for (const piece of pieces.filter((p) => p.includes(d.date)))
          expect(piece, `${path}: ${d.date}`).not.toMatch(/(^|[",:])(A|B)([",]|$)/);
      }
    }
    // What stands in for them says until when.
    expect(texts["all.csv"]).toContain(`concealed until ${addDays(STARTS_ON, 5)}`);
    expect(texts["experiment-days.csv"]).toContain(`concealed until ${addDays(STARTS_ON, 11)}`);
    expect(texts["experiments.csv"]).toContain("concealed until the experiment ends");
    // Today's condition (day 5) is shown, and data.csv holds only the two pairs that have ended (days 1 to 4).
    expect(texts["all.csv"]).toMatch(new RegExp(`${addDays(STARTS_ON, 4)},5,[^\\n]*,(A|B),`));
    expect(
      texts["data.csv"]!.trim()
        .split("\n")
        .slice(1)
        .map((l) => l.slice(0, 10)),
    ).toEqual(schedule.filter((d) => d.day <= 4).map((d) => d.date));
  });

  it("shows everything once the experiment has ended", async () => {
    const now = lateOnDay(6);
    await endExperiment(t.db, "noa", id, "ended early in the test", now);
    const texts = await everything(now);
    expect(texts["experiments.csv"]).toContain(String(SEED));
    expect(texts["all.csv"]).not.toContain("concealed");
    const last = schedule.at(-1) as { date: string; day: number; condition: string };
    const line = texts["experiment-days.csv"]!.split("\n").find((l) => l.includes(`,${last.date},`));
    expect(line).toContain(`,${last.date},${last.day},6,12,${last.condition},`);
  });
});
