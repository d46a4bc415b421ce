/**
 * Bringing in an experiment from a CSV, through the action and the loaders the pages use, on
 * every engine: the file's days are stored as they are (values exactly, dates as given, no day
 * invented), data.csv gives them back, the results equal `matwise analyze` on the uploaded file
 * with the stored seed, and a bad file stores nothing.
 */
import { sql } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { analyzeCommand } from "../../cli/analyze";
import { ConflictError, NotFoundError } from "../../core/errors";
import { freezeProtocol, isImported, isIntact } from "../../core/experiments/protocol";
import { parseAnalyzeCsv } from "../../core/stats/experiment";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure, type FormCtx, type FormResult } from "../forms";
import { deletePersonalData } from "../repositories/personal-data";
import { listExperimentDays, listExperiments, recordCheckIn, requireExperiment } from "../repositories/experiments";
import { importExperiment, IMPORT_BODY_BYTES } from "./actions";
import { loadAllCsv, loadExperimentList } from "./data";
import { loadDataCsv, loadExperimentPage, loadResultsJson } from "./results";

// The designer's safety gate reads Astro's content collections, which only exist inside Astro; an import never asks for it.
vi.mock("../safety/data", () => ({ loadCurrentResult: () => Promise.reject(new Error("not used by an import")) }));

const NOW = new Date("2026-11-30T12:00:00Z");

/** 8 blocks of two 2-day periods, rows out of date order, one day left out and one not measured, values with several digits. */
function periodFile(): string {
  const rows: string[] = [];
  for (let b = 0; b < 8; b++) {
    for (let j = 0; j < 4; j++) {
      if (b === 2 && j === 1) continue; // a day missing from the file
      const aFirst = b % 3 !== 1;
      const condition = j < 2 === aFirst ? "A" : "B";
      const value =
        b === 5 && j === 3
          ? ""
          : (condition === "A" ? 3.25 + ((b * 5 + j) % 4) * 0.3 : 4.125 + ((b * 3 + j) % 5) * 0.25 + 0.00001).toFixed(
              5,
            );
      const date = new Date(Date.UTC(2026, 8, 1 + 4 * b + j)).toISOString().slice(0, 10);
      rows.push(`${value},${j < 2 ? 1 : 2},${condition},${date},${b + 1}`);
    }
  }
  return `\uFEFFvalue,period,condition,date,block\r\n${rows.reverse().join("\r\n")}\r\n`;
}

function upload(
  text: string | Uint8Array<ArrayBuffer>,
  fields: Record<string, string> = { outcome: "pain", better: "lower", mcid: "0.5" },
  name = "paper diary.csv",
): FormCtx {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new File([text], name, { type: "text/csv" }));
  const request = new Request("http://localhost/experiments/import", { method: "POST", body: form });
  return {
    request,
    url: new URL(request.url),
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  };
}

async function cli(text: string, args: string[]): Promise<unknown> {
  let out = "";
  let err = "";
  const code = await analyzeCommand(["upload.csv", ...args, "--json"], {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    readFile: () => Promise.resolve(text),
  });
  expect(code, err).toBe(0);
  return JSON.parse(out);
}

function location(result: FormResult): string {
  if (isFormFailure(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  expect(result.status).toBe(303);
  return result.headers.get("location")!;
}

describeEachDatabase("importing an experiment from a CSV", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com" },
      { id: "bob", name: "Bob", email: "bob@example.com" },
    ]);
  });

  const counts = async () => {
    const r = await t.db.execute<{ e: number; d: number }>(
      sql`select (select count(*) from experiment) as e, (select count(*) from experiment_day) as d`,
    );
    const row = (r as { rows: { e: number; d: number }[] }).rows[0]!;
    return { experiments: Number(row.e), days: Number(row.d) };
  };

  it("stores the file's days exactly, and gives the results matwise analyze gives for the uploaded file with the stored seed", async () => {
    const text = periodFile();
    const to = location(await importExperiment(t.db, upload(text), "ann", NOW));
    const id = /^\/experiments\/([0-9a-f-]{36})$/.exec(to)![1]!;

    const exp = await requireExperiment(t.db, "ann", id);
    expect(exp).toMatchObject({ source: "import", state: "ended", scheduleSeed: null, endReason: null });
    expect(isImported(exp.protocol)).toBe(true);
    expect(exp.protocol).toMatchObject({
      source: "import",
      primaryOutcome: "pain",
      better: "lower",
      mcid: 0.5,
      periodColumn: true,
      periodDays: { min: 1, max: 2 },
      blocks: 8,
      days: 31,
      measuredDays: 30,
      startsOn: "2026-09-01",
      endsOn: "2026-10-02",
      timeZone: "UTC",
      fileName: "paper diary.csv",
    });
    expect(exp.protocolHash).toBe(freezeProtocol(exp.protocol).hash);
    expect(isIntact({ canonical: exp.protocolCanonical, hash: exp.protocolHash })).toBe(true);

    // Every row of the file, and nothing else, with its place in the design and its value exactly.
    const file = parseAnalyzeCsv(text).days;
    const days = await listExperimentDays(t.db, "ann", id);
    const byDate = [...file].sort((a, b) => (a.date < b.date ? -1 : 1));
    expect(
      days.map((d) => ({ date: d.date, block: d.block, condition: d.condition, value: d.pain, period: d.period })),
    ).toEqual(
      byDate.map((d) => ({ date: d.date, block: d.block, condition: d.condition, value: d.value, period: d.period })),
    );
    expect(
      days.every((d) => d.adherence === null && d.recordedAt === null && d.tension === null && d.sleepQuality === null),
    ).toBe(true);
    expect(days.find((d) => d.date === "2026-09-10")).toBeUndefined();

    // data.csv gives back the analysed rows; the results equal the command on the uploaded file.
    const { csv } = await loadDataCsv(t.db, "ann", id);
    expect(csv.split("\r\n")[0]).toBe("date,block,period,condition,value");
    expect(parseAnalyzeCsv(csv).days).toEqual(byDate);
    const results = await loadResultsJson(t.db, "ann", id);
    const expected = await cli(text, ["--better", "lower", "--mcid", "0.5", "--seed", String(exp.analysisSeed)]);
    expect(results.analysis).toEqual(expected);
    expect(results.command).toBe(
      `matwise analyze data.csv --better lower --mcid 0.5 --seed ${exp.analysisSeed} --json`,
    );
    expect(results.preRegisteredInMatwise).toBe(false);
    expect(results.sensitivity.perProtocol).toBeNull();
    expect(results.sensitivity.withoutFirstDayOfPeriods).not.toBeNull();
    expect(await cli(csv, ["--better", "lower", "--mcid", "0.5", "--seed", String(exp.analysisSeed)])).toEqual(
      expected,
    );

    // Labelled, with no today's card and no check-ins; it takes none.
    const page = await loadExperimentPage(t.db, "ann", id, NOW);
    expect(page).toMatchObject({
      todayCard: null,
      openEvening: [],
      openMorning: null,
      adherence: null,
      expectation: null,
      imported: { fileName: "paper diary.csv", days: 31, measuredDays: 30 },
    });
    expect(page.title).toBe("Pain: brought in from paper diary.csv");
    expect((await loadExperimentList(t.db, "ann", NOW))[0]).toMatchObject({ id, imported: true });
    expect((await loadAllCsv(t.db, "ann", id)).split("\r\n")[1]).toMatch(/^2026-09-01,1,1,1,[AB],imported,,/);
    await expect(
      recordCheckIn(
        t.db,
        "ann",
        id,
        "2026-10-02",
        { adherence: "as-assigned", pain: 3 },
        { now: NOW, localDate: "2026-10-02", morning: false },
      ),
    ).rejects.toBeInstanceOf(ConflictError);

    // Someone else: not there.
    await expect(requireExperiment(t.db, "bob", id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadResultsJson(t.db, "bob", id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadDataCsv(t.db, "bob", id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listExperiments(t.db, "bob")).toEqual([]);
  });

  it("without a period column, data.csv has none either, and the analysis follows the person's direction", async () => {
    const text =
      "date,block,condition,value\n2026-10-01,1,A,7\n2026-10-02,1,B,5\n2026-10-03,2,B,6\n2026-10-04,2,A,8\n2026-10-06,3,A,7.5\n2026-10-07,3,B,\n";
    const id = location(
      await importExperiment(t.db, upload(text, { outcome: "sleepQuality", better: "higher", mcid: "1" }), "ann", NOW),
    )
      .split("/")
      .pop()!;
    const exp = await requireExperiment(t.db, "ann", id);
    const { csv } = await loadDataCsv(t.db, "ann", id);
    expect(csv).toBe(
      "date,block,condition,value\r\n2026-10-01,1,A,7\r\n2026-10-02,1,B,5\r\n2026-10-03,2,B,6\r\n2026-10-04,2,A,8\r\n2026-10-06,3,A,7.5\r\n2026-10-07,3,B,\r\n",
    );
    const results = await loadResultsJson(t.db, "ann", id);
    expect(results.analysis).toEqual(
      await cli(text, ["--better", "higher", "--mcid", "1", "--seed", String(exp.analysisSeed)]),
    );
    expect(results.sensitivity.withoutFirstDayOfPeriods).toBeNull();
  });

  it.each([
    ["an empty file", "", "row 1: the file is empty; the header must be date,block,condition,value"],
    [
      "not a CSV",
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      "the file is not CSV text (it holds binary data); save it as CSV (comma-separated values, UTF-8) and try again",
    ],
    [
      "a wrong header",
      "day,block,condition,value\n2026-10-01,1,A,3\n",
      'row 1: unexpected column "day" (the header must be date,block,condition,value)',
    ],
    [
      "a bad row",
      "date,block,condition,value\n2026-10-01,1,A,3\n2026-10-02,1,B,4\n2026-10-03,2,mat,4\n",
      'row 4: condition "mat" is unknown (use A for the mat, B for the comparator)',
    ],
    [
      "a bad period",
      "date,block,condition,value,period\n2026-10-01,1,A,3,1\n2026-10-02,1,B,4,1\n",
      "row 3: period 1 of block 1 is B here but A on row 2 (the days of a period share one condition)",
    ],
    ["too few days", "date,block,condition,value\n2026-10-01,1,A,3\n", "row 2: need at least 2 day rows, found 1"],
    [
      "no measured B day",
      "date,block,condition,value\n2026-10-01,1,A,3\n2026-10-02,1,B,\n2026-10-03,2,A,4\n",
      "need at least one measured A day, one measured B day and 3 measured days in all (found A 2, B 0)",
    ],
    [
      "a value off the scale",
      "date,block,condition,value\n2026-10-01,1,A,3\n2026-10-02,1,B,11\n",
      "row 3: value 11 is outside the scale of pain (0 to 10)",
    ],
  ])("refuses %s with one line and stores nothing", async (_name, text, message) => {
    const before = await counts();
    const result = await importExperiment(t.db, upload(text), "ann", NOW);
    expect(isFormFailure(result)).toBe(true);
    if (!isFormFailure(result)) return;
    expect(result.status).toBe(400);
    expect(result.errors).toEqual({ file: [message] });
    expect(result.values).toEqual({ outcome: "pain", better: "lower", mcid: "0.5" });
    expect(await counts()).toEqual(before);
  });

  it("refuses a file over the limit before reading it, and a form without a file or its answers", async () => {
    const before = await counts();
    const big = await importExperiment(
      t.db,
      upload(`date,block,condition,value\n${"2026-10-01,1,A,3\n".repeat(Math.ceil(IMPORT_BODY_BYTES / 17))}`),
      "ann",
      NOW,
    );
    expect(isFormFailure(big) && big.errors["file"]?.[0]).toMatch(/larger than 2 MB/);
    const form = new FormData();
    form.append("mcid", "0");
    const request = new Request("http://localhost/experiments/import", { method: "POST", body: form });
    const empty = await importExperiment(
      t.db,
      { request, url: new URL(request.url), redirect: () => new Response(null, { status: 303 }) },
      "ann",
      NOW,
    );
    expect(isFormFailure(empty) && Object.keys(empty.errors).sort()).toEqual(["better", "file", "mcid", "outcome"]);
    expect(await counts()).toEqual(before);
  });

  it("is erased with the account", async () => {
    expect(await deletePersonalData(t.db, "ann")).toBe(true);
    expect(await counts()).toEqual({ experiments: 0, days: 0 });
  });
});
