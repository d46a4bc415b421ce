import { describe, expect, it } from "vitest";
import type { AnalysisResult } from "../stats/analyze";
import type { ImportedProtocol, Protocol } from "./protocol";
import type { CheckIn } from "./days";
import {
  experimentResults,
  followUp,
  reportHarms,
  reportPeriods,
  type ExperimentAnalyses,
  type FollowUpDay,
  type ResultDay,
  type ResultsInput,
} from "./results";
import { createSchedule } from "./schedule";

const designed: Protocol = {
  version: 1,
  primaryOutcome: "pain",
  mcid: 1,
  comparator: "rest-without-mat",
  sessionMinutes: 15,
  sessionTime: "19:00",
  position: "lying",
  area: "back",
  periodDays: 1,
  pairs: 3,
  washout: false,
  startsOn: "2026-03-01",
  timeZone: "UTC",
  expectation: 2,
};

const imported: ImportedProtocol = {
  version: 1,
  source: "import",
  primaryOutcome: "sleepQuality",
  better: "higher",
  mcid: 1,
  periodColumn: false,
  periodDays: { min: 1, max: 1 },
  blocks: 3,
  days: 6,
  measuredDays: 6,
  startsOn: "2026-03-01",
  endsOn: "2026-03-06",
  timeZone: "UTC",
  fileName: "diary.csv",
  fileSha256: "0".repeat(64),
};

const noValues = { pain: null, tension: null, stress: null, sleepQuality: null, sleepLatency: null, wakings: null };

/** The 6 days of a 3-pair schedule: pain 3 with the mat, 5 without; tension only on the first two days; one harm. */
function daysOf(p: Protocol | ImportedProtocol): ResultDay[] {
  return createSchedule({ startsOn: "2026-03-01", pairs: 3, periodDays: 1, washout: false }, 5).map((s, i) => ({
    record: {
      ...noValues,
      date: s.date,
      day: s.day,
      adherence: i === 2 ? "skipped" : "as-assigned",
      harms: i === 1 ? "a bruise" : null,
      [p.primaryOutcome]: s.kind === "period" && s.condition === "A" ? 3 : 5,
      ...(i < 2 && p.primaryOutcome !== "tension" ? { tension: 4 + i } : {}),
    },
    scheduled: s,
    status: "done",
  }));
}

/** An analysis as the cache gives it back: only the fields the results read are set. */
function analysed(result: { mean: [number, number]; benefit: number; ci95: [number | null, number | null] }) {
  return {
    ok: true as const,
    result: {
      mean: { A: result.mean[0], B: result.mean[1] },
      benefit: result.benefit,
      ci95: result.ci95,
      verdict: "meaningful-benefit",
      anytime: { cs95: [0.5, null], verdict: "benefit", e_benefit: 30, e_harm: 0, method: "" },
    } as unknown as AnalysisResult,
  };
}

const analyses = (main: ExperimentAnalyses["main"]): ExperimentAnalyses => ({
  main,
  perProtocol: null,
  withoutFirstDays: null,
  completePairs: 3,
  pairsNeeded: 0,
  blocks: 3,
});

const input = (over: Partial<ResultsInput> & Pick<ResultsInput, "experiment">): ResultsInput => ({
  days: daysOf(over.experiment.protocol),
  today: "2026-03-04",
  analyses: analyses(analysed({ mean: [3, 5], benefit: 2, ci95: [-3.25, -0.75] })),
  nights: [],
  ...over,
});

const running = { protocol: designed, state: "running", endedAt: null };

describe("experimentResults", () => {
  it.each([
    // Lower pain is better: the command's interval for A − B (−3.25 to −0.75) is turned to favour the mat.
    ["running, lower is better", input({ experiment: running }), ["0.8", "3.3"], "running"],
    // An unbounded end (null in the stored JSON) stays open, on the side it lands after turning.
    [
      "an open end",
      input({ experiment: running, analyses: analyses(analysed({ mean: [3, 5], benefit: 2, ci95: [null, -0.75] })) }),
      ["0.8", null],
      "running",
    ],
    // Higher sleep quality is better: the interval is already in favour of the mat.
    [
      "imported, higher is better",
      input({
        experiment: { protocol: imported, state: "ended", endedAt: "2026-03-07T10:00:00Z" },
        analyses: analyses(analysed({ mean: [5, 3], benefit: 2, ci95: [0.75, 3.25] })),
      }),
      ["0.8", "3.3"],
      "imported",
    ],
    // Ended on day 3 of 6: the anytime answer leads and the page says why.
    [
      "ended early",
      input({ experiment: { protocol: designed, state: "ended", endedAt: "2026-03-03T20:00:00Z" } }),
      ["0.8", "3.3"],
      "ended-early",
    ],
    // Every planned day is past: the planned analysis leads.
    ["complete", input({ experiment: running, today: "2026-03-07" }), ["0.8", "3.3"], "complete"],
  ] as const)("%s", (_, given, interval, phase) => {
    const r = experimentResults(given);
    expect(r.interval).toEqual(interval);
    expect(r.phase).toBe(phase);
    expect(r.whyNotFixed === null).toBe(phase !== "ended-early");
    expect(r.fixedLater).toBe(
      phase === "imported"
        ? null
        : "The analysis planned before you started is shown once every planned day is done (after 6 March 2026): it is the final word, and it is valid only when looked at once, at the end.",
    );
    expect(r.benefit).toBe("2");
    expect(r.anytime?.interval).toEqual(["0.5", null]);
  });

  it("names the conditions, counts the measured days and draws the means", () => {
    const r = experimentResults(input({ experiment: running }));
    expect(r.seriesConditions).toEqual(["With the mat", "Lying still without the mat"]);
    expect(r.seriesSentence).toBe("6 measured days: 3 with the mat and 3 lying still without the mat.");
    expect(r.meansSentence).toBe("On average 3 with the mat and 5 lying still without the mat (lower is better).");
    expect(r.series?.scale).toEqual({ min: 0, max: 10, label: "Pain (0–10)" });
    expect(r.series?.points.filter((p) => p.condition === "With the mat").map((p) => p.value)).toEqual([3, 3, 3]);
    expect(r.means?.bars).toEqual([
      { condition: "With the mat", mean: 3 },
      { condition: "Lying still without the mat", mean: 5 },
    ]);
    expect(r.comparatorName).toBe("lying still without the mat");
    expect(r.unit).toBe("points");
  });

  it("reports the other outcomes without a verdict, with the sleep a device measured", () => {
    const days = daysOf(designed);
    const r = experimentResults(
      input({
        experiment: running,
        days,
        nights: [{ night: days[0]!.record.date, source: "fitbit", totalSleepMinutes: 420, sleepLatencyMinutes: null }],
      }),
    );
    const first = days[0]!.scheduled.kind === "period" ? days[0]!.scheduled.condition : null;
    const tension = r.secondary.find((s) => s.label === "Muscle tension")!;
    // Days 1 and 2 are one pair (one A, one B): tension 4 on the first, 5 on the second.
    expect(first === "A" ? [tension.a?.mean, tension.b?.mean] : [tension.b?.mean, tension.a?.mean]).toEqual(["4", "5"]);
    expect(r.secondary).toHaveLength(2);
    expect(r.secondary[1]!.label).toMatch(/Fitbit/);
  });

  it("says nothing of an answer before there is one, and draws no series before a day is measured", () => {
    const r = experimentResults(
      input({
        experiment: running,
        days: daysOf(designed).map((d) => ({ ...d, record: { ...d.record, ...noValues } })),
        analyses: analyses({ ok: false, reason: "row 2: need at least 2 day rows, found 0" }),
      }),
    );
    expect([r.main, r.verdict, r.benefit, r.interval, r.anytime, r.means, r.series]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(r.meansSentence).toBe("");
    expect(r.seriesSentence).toBe("0 measured days: 0 with the mat and 0 lying still without the mat.");
  });

  it("stretches the minutes scale of sleep latency to the longest value, at least an hour", () => {
    const p: Protocol = { ...designed, primaryOutcome: "sleepLatency" };
    const days = daysOf(p).map((d, i) => ({ ...d, record: { ...d.record, sleepLatency: i === 4 ? 95 : 20 } }));
    const r = experimentResults(input({ experiment: { ...running, protocol: p }, days }));
    expect(r.series?.scale).toEqual({ min: 0, max: 95, label: "Minutes to fall asleep (minutes)" });
    expect(r.means?.scale.max).toBe(60);
  });
});

describe("reportPeriods and reportHarms", () => {
  it("tally each period up to today and list the harms", () => {
    const days = daysOf(designed);
    // Day 4 was not recorded and is past: missed. Days 5 and 6 lie after today.
    days[3] = { ...days[3]!, record: { ...days[3]!.record, ...noValues, adherence: null }, status: "missed" };
    const periods = reportPeriods(days, "2026-03-04", "pain");
    expect(periods.map((p) => [p.block, p.from, p.days, p.asAssigned, p.skipped, p.missed, p.mean])).toEqual([
      [1, "1 Mar 2026", 1, 1, 0, 0, days[0]!.record.pain!.toString()],
      [1, "2 Mar 2026", 1, 1, 0, 0, days[1]!.record.pain!.toString()],
      [2, "3 Mar 2026", 1, 0, 1, 0, days[2]!.record.pain!.toString()],
      [2, "4 Mar 2026", 1, 0, 0, 1, null],
    ]);
    expect(reportHarms(days)).toEqual([{ date: "2 Mar 2026", note: "a bruise" }]);
  });
});

describe("followUp", () => {
  /** The 6 days of `p`'s schedule; the days in `recorded` have their evening (and morning) check-in in, on the day. */
  function followUpDays(p: Protocol, recorded: readonly number[] = []): FollowUpDay[] {
    return createSchedule(p, 5).map((s) => {
      const done = recorded.includes(s.day);
      const checkIn: CheckIn | undefined = done
        ? { date: s.date, recordedOn: s.date, adherence: "as-assigned", values: { pain: 3 } }
        : undefined;
      return {
        record: {
          date: s.date,
          day: s.day,
          recordedAt: done ? `${s.date}T20:00:00Z` : null,
          sleepRecordedAt: done ? `${s.date}T07:00:00Z` : null,
        },
        scheduled: s,
        checkIn,
      };
    });
  }
  const on = (p: Protocol, today: string, recorded: readonly number[] = [], state = "running") =>
    followUp(p, { experiment: { state }, days: followUpDays(p, recorded), today });
  const conditionOn = (p: Protocol, date: string) => {
    const s = createSchedule(p, 5).find((d) => d.date === date)!;
    return s.kind === "period" ? s.condition : null;
  };

  it.each([
    // Day 4, nothing recorded: today's and yesterday's evening check-ins (yesterday's late) and yesterday's morning one.
    ["nothing recorded", designed, "2026-03-04", [], "running", ["2026-03-04", "2026-03-03"], "2026-03-03"],
    // Yesterday is in: only this evening's is open.
    ["yesterday recorded", designed, "2026-03-04", [3], "running", ["2026-03-04"], null],
    // Ended: nothing is asked any more.
    ["ended", designed, "2026-03-04", [], "ended", [], null],
    // The first day: there is no yesterday to catch up on.
    ["first day", designed, "2026-03-01", [], "running", ["2026-03-01"], null],
  ] as const)("%s", (_, p, today, recorded, state, evenings, morning) => {
    const r = on(p, today, recorded, state);
    expect(r.openEvening.map((d) => d.date)).toEqual(evenings);
    expect(r.openEvening.map((d) => d.late)).toEqual(evenings.map((d) => d !== today));
    expect(r.openMorning?.date ?? null).toBe(morning);
    expect(r.todayCard === null).toBe(state === "ended");
    expect(r.expectation).toBe(2);
  });

  it("names only today's condition, with the timer where there is a session", () => {
    const r = on(designed, "2026-03-04");
    const mat = conditionOn(designed, "2026-03-04") === "A";
    expect(r.todayCard).toEqual({
      day: 4,
      kind: mat ? "mat" : "rest",
      text: mat
        ? "Use the mat for 15 minutes, lying on your back."
        : "Lie still for 15 minutes the same way, on a towel or a flat surface, without the mat.",
      timerHref: "/timer?minutes=15&position=lying&area=back&layer=clothing",
    });
    // Without a session on the other days, those days have no timer.
    const noSession: Protocol = { ...designed, comparator: "no-session" };
    const restDay = createSchedule(noSession, 5).find((d) => d.kind === "period" && d.condition === "B")!;
    expect(on(noSession, restDay.date).todayCard).toMatchObject({
      kind: "rest",
      text: "No session today: go about your day as usual.",
      timerHref: null,
    });
  });

  it("says a washout day asks nothing, and when an experiment not yet begun starts", () => {
    const withWashout: Protocol = { ...designed, washout: true };
    const washout = createSchedule(withWashout, 5).find((d) => d.kind === "washout")!;
    expect(on(withWashout, washout.date).todayCard).toEqual({
      day: washout.day,
      kind: "washout",
      text: "A rest day between pairs: nothing to do or record today.",
      timerHref: null,
    });
    const before = on(designed, "2026-02-27");
    expect([before.startsIn, before.todayCard, before.openEvening, before.openMorning]).toEqual([
      "1 March 2026",
      null,
      [],
      null,
    ]);
  });

  it("counts adherence over the days that are past", () => {
    // On day 5: days 1 and 2 done, day 3 missed; day 4 may still be recorded late, so it is not due yet.
    expect(on(designed, "2026-03-05", [1, 2]).adherence).toEqual({
      asAssigned: 2,
      otherCondition: 0,
      skipped: 0,
      missed: 1,
      late: 0,
      due: 3,
    });
  });
});
