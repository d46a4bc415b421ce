/**
 * Pages analyse an experiment's days directly; people download them as data.csv and may run
 * `matwise analyze` on it. Every number a page shows must equal what the command prints for the
 * exported data, so for each kind of input the direct analysis must equal the command's on the CSV,
 * refusals included.
 */
import { describe, expect, it } from "vitest";
import { analyzeCommand } from "../../cli/analyze";
import type { CliIo } from "../../cli/csv";
import {
  toAnalysisRows,
  toAnalyzeCsv,
  toAnalyzeDays,
  type AnalysisRow,
  type CheckIn,
} from "../../core/experiments/days";
import { createSchedule } from "../../core/experiments/schedule";
import { analyzeDays } from "./results";

/** The rows of a designed experiment of `pairs` pairs of `periodDays`-day periods, some days rated, one done otherwise. */
function designedRows(periodDays: 1 | 2 | 3 | 7, pairs: number, opts: Parameters<typeof toAnalysisRows>[3] = {}) {
  const schedule = createSchedule({ startsOn: "2026-03-01", pairs, periodDays, washout: periodDays > 1 }, 7);
  const checkIns: CheckIn[] = schedule.flatMap((d, i) =>
    d.kind === "period" && i % 5 !== 3
      ? [
          {
            date: d.date,
            recordedOn: d.date,
            adherence: i % 11 === 4 ? ("other-condition" as const) : ("as-assigned" as const),
            values: { pain: d.condition === "A" ? 3 + (i % 3) * 0.5 : 5 + (i % 4) * 0.25 },
          },
        ]
      : [],
  );
  return toAnalysisRows(schedule, checkIns, "pain", opts);
}

/** `matwise analyze data.csv … --json` on the CSV of `rows`, as the command prints it. */
async function command(rows: readonly AnalysisRow[], withPeriod: boolean, flags: string[]): Promise<unknown> {
  const csv = toAnalyzeCsv(rows, withPeriod);
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    readFile: (path) => (path === "data.csv" ? Promise.resolve(csv) : Promise.reject(new Error(path))),
  };
  const code = await analyzeCommand(["data.csv", ...flags, "--json"], io);
  return code === 0 ? JSON.parse(out) : { refused: err.trim() };
}

/** The same analysis on the days directly, as the pages run it, written as the command writes it. */
function direct(rows: readonly AnalysisRow[], withPeriod: boolean, o: { better: "lower"; mcid: number; seed: number }) {
  try {
    return JSON.parse(JSON.stringify(analyzeDays(toAnalyzeDays(rows, withPeriod), o))) as unknown;
  } catch (error) {
    return { refused: `data.csv: ${(error as Error).message}` };
  }
}

describe("analysing the days directly gives what matwise analyze gives for data.csv", () => {
  const one = designedRows(1, 1).slice(0, 1);
  it.each([
    // 1-day periods: the CSV has no period column.
    ["8 pairs of 1-day periods", designedRows(1, 8), false, "analysed"],
    // Longer periods: the period column, whole periods permuted.
    ["4 pairs of 3-day periods", designedRows(3, 4), true, "analysed"],
    // The sensitivity checks: deviations left out; the first day of each period left out.
    ["per protocol", designedRows(1, 8, { perProtocol: true }), false, "analysed"],
    ["without first days", designedRows(3, 4, { dropFirstDayOfPeriod: true }), true, "analysed"],
    // A running experiment analysed up to today: later pairs are not in the data.
    ["through a day", designedRows(1, 8, { through: "2026-03-09" }), false, "analysed"],
    // Too little to analyse: the same refusal, word for word.
    ["no rows", [], false, "refused"],
    ["one row", one, false, "refused"],
    ["one pair", designedRows(1, 1), false, "refused"],
  ] as const)("%s", async (_, rows, withPeriod, outcome) => {
    const o = { better: "lower" as const, mcid: 1, seed: 4242 };
    const expected = await command(rows, withPeriod, ["--better", "lower", "--mcid", "1", "--seed", "4242"]);
    expect(direct(rows, withPeriod, o)).toEqual(expected);
    expect(Object.hasOwn(expected as object, "refused")).toBe(outcome === "refused");
  });
});
