import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { NOT_TEXT } from "../csv";
import { analyzeExperiment } from "../stats/analyze";
import { createSeededRng } from "../stats/rng";
import { toAnalyzeCsv } from "./days";
import { cleanFileName, importedAnalysisRows, readImport, readImportChoices, type ImportChoices } from "./import";
import { freezeProtocol, ImportedProtocolSchema, isImported, parseStoredProtocol } from "./protocol";

const choices: ImportChoices = { outcome: "pain", better: "lower", mcid: 1 };
const file = { name: "diary.csv", sha256: "a".repeat(64) };
const clock = { today: "2026-11-30", timeZone: "UTC" };
const read = (text: string) => readImport(text, choices, file, clock);

/** 3 blocks of two 2-day periods, numbered afresh in each block, listed out of date order, one day missing and one unmeasured. */
const periods = [
  "period,date,condition,value,block",
  "1,2026-01-01,A,3,1",
  "1,2026-01-02,A,2.5,1",
  "2,2026-01-03,B,5,1",
  "2,2026-01-04,B,4.75,1",
  "2,2026-01-07,A,,2",
  "1,2026-01-05,B,6,2",
  "1,2026-01-06,B,5,2",
  "1,2026-01-09,B,4,3",
  "1,2026-01-10,B,5,3",
  "2,2026-01-11,A,3,3",
  "2,2026-01-12,A,2,3",
  "",
].join("\n");

describe("readImport", () => {
  it("keeps the file's days as they are: dates, blocks, periods, conditions, values; nothing filled in", () => {
    const { protocol, days, analyzed } = read(periods);
    expect(days.map((d) => d.date)).toEqual([
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
      "2026-01-05",
      "2026-01-06",
      "2026-01-07",
      "2026-01-09",
      "2026-01-10",
      "2026-01-11",
      "2026-01-12",
    ]);
    expect(days.map((d) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]);
    expect(days.map((d) => `${d.block}/${d.period}${d.condition}${d.firstOfPeriod ? "*" : ""}`).join(" ")).toBe(
      "1/1A* 1/1A 1/2B* 1/2B 2/1B* 2/1B 2/2A* 3/1B* 3/1B 3/2A* 3/2A",
    );
    expect(days.find((d) => d.date === "2026-01-07")!.value).toBeNull();
    expect(protocol).toEqual({
      version: 1,
      source: "import",
      primaryOutcome: "pain",
      better: "lower",
      mcid: 1,
      periodColumn: true,
      periodDays: { min: 1, max: 2 },
      blocks: 3,
      days: 11,
      measuredDays: 10,
      startsOn: "2026-01-01",
      endsOn: "2026-01-12",
      timeZone: "UTC",
      fileName: "diary.csv",
      fileSha256: "a".repeat(64),
    });
    // The rows written back out (data.csv) are read as the same days.
    const again = read(toAnalyzeCsv(importedAnalysisRows(days), true));
    expect(again.analyzed).toEqual([...analyzed].sort((a, b) => (a.date < b.date ? -1 : 1)));
  });

  it("gives every day its own period without a period column, and says so in the protocol", () => {
    const { protocol, days } = read(
      "date,block,condition,value\n2026-01-01,1,B,4\n2026-01-02,1,A,3\n2026-01-03,2,A,3\n2026-01-04,2,B,5\n",
    );
    expect(protocol).toMatchObject({
      periodColumn: false,
      periodDays: { min: 1, max: 1 },
      blocks: 2,
      days: 4,
      measuredDays: 4,
    });
    expect(days.map((d) => [d.period, d.firstOfPeriod])).toEqual([
      [1, true],
      [2, true],
      [1, true],
      [2, true],
    ]);
    expect(toAnalyzeCsv(importedAnalysisRows(days), false)).toBe(
      "date,block,condition,value\r\n2026-01-01,1,B,4\r\n2026-01-02,1,A,3\r\n2026-01-03,2,A,3\r\n2026-01-04,2,B,5\r\n",
    );
  });

  it("analyses the rows written back out exactly as the file (the order of the rows does not matter)", () => {
    const { days, analyzed } = read(periods);
    const direct = analyzeExperiment(analyzed, { rng: createSeededRng(5), better: "lower", mcid: 1 });
    const back = analyzeExperiment(read(toAnalyzeCsv(importedAnalysisRows(days), true)).analyzed, {
      rng: createSeededRng(5),
      better: "lower",
      mcid: 1,
    });
    expect(back).toEqual(direct);
  });

  it.each([
    // text, the one-line message (the command prints the same after "FILE: ")
    ["", "row 1: the file is empty; the header must be date,block,condition,value"],
    ["\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR", NOT_TEXT],
    [
      "date;block;condition;value\n2026-01-01;1;A;3\n",
      'row 1: unexpected column "date;block;condition;value" (the header must be date,block,condition,value)',
    ],
    [
      "date,block,condition\n2026-01-01,1,A\n",
      'row 1: missing column "value" (the header must be date,block,condition,value)',
    ],
    ["date,block,condition,value\n2026-01-01,1,A,3\n", "row 2: need at least 2 day rows, found 1"],
    [
      "date,block,condition,value\n2026-01-01,1,A,3\n2026-01-32,1,B,4\n",
      'row 3: date "2026-01-32" is not a valid YYYY-MM-DD date',
    ],
    [
      "date,block,condition,value\n2026-01-01,1,A,3\n2026-01-02,1,C,4\n",
      'row 3: condition "C" is unknown (use A for the mat, B for the comparator)',
    ],
    ["date,block,condition,value\n2026-01-01,1,A,3\n2026-01-02,1,B,four\n", 'row 3: value "four" is not a number'],
    [
      "date,block,condition,value,period\n2026-01-01,1,A,3,1\n2026-01-02,1,B,4,1\n",
      "row 3: period 1 of block 1 is B here but A on row 2 (the days of a period share one condition)",
    ],
    // What only an import checks, in the same form.
    [
      "date,block,condition,value\n2026-01-01,1,A,3\n2026-01-02,1,B,12\n",
      "row 3: value 12 is outside the scale of pain (0 to 10)",
    ],
    [
      "date,block,condition,value\n2026-01-01,1,A,3.1415926\n2026-01-02,1,B,4\n",
      "row 2: value 3.1415926 has more digits than matwise keeps; round it to 6 significant digits (such as 3.14159)",
    ],
    [
      "date,block,condition,value\n2026-01-01,1,A,3\n2026-12-02,1,B,4\n",
      "row 3: date 2026-12-02 is after today (2026-11-30); only days that have passed can be brought in",
    ],
    [
      "date,block,condition,value\n2026-01-01,3000000000,A,3\n2026-01-02,3000000000,B,4\n",
      "row 2: block 3000000000 is too large to store (at most 2147483647)",
    ],
  ])("refuses %j with one line", (text, message) => {
    let error: unknown;
    try {
      read(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe(message);
  });

  it("takes minutes to fall asleep up to 600", () => {
    const r = readImport(
      "date,block,condition,value\n2026-01-01,1,A,35\n2026-01-02,1,B,600\n",
      { outcome: "sleepLatency", better: "lower", mcid: 10 },
      file,
      clock,
    );
    expect(r.days.map((d) => d.value)).toEqual([35, 600]);
    expect(() =>
      readImport(
        "date,block,condition,value\n2026-01-01,1,A,35\n2026-01-02,1,B,601\n",
        { outcome: "sleepLatency", better: "lower", mcid: 10 },
        file,
        clock,
      ),
    ).toThrow("row 3: value 601 is outside the scale of minutes to fall asleep (0 to 600 minutes)");
  });
});

describe("readImportChoices", () => {
  it("reads the three fields", () => {
    expect(readImportChoices({ outcome: "sleepQuality", better: "higher", mcid: " 1.5 " })).toEqual({
      ok: true,
      choices: { outcome: "sleepQuality", better: "higher", mcid: 1.5 },
    });
  });
  it.each([
    [{ outcome: "mood", better: "lower", mcid: "1" }, "outcome"],
    [{ outcome: "pain", better: "", mcid: "1" }, "better"],
    [{ outcome: "pain", better: "lower", mcid: "0" }, "mcid"],
    [{ outcome: "pain", better: "lower", mcid: "11" }, "mcid"],
    [{ outcome: "pain", better: "lower", mcid: "-1" }, "mcid"],
    [{ outcome: "pain", better: "lower", mcid: "one" }, "mcid"],
  ])("refuses %j", (values, field) => {
    const r = readImportChoices(values);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : Object.keys(r.errors)).toEqual([field]);
  });
});

describe("the imported protocol", () => {
  it("is frozen and hashed like a designed one, read back in its own shape, and refuses a stray field", () => {
    const { protocol } = read(periods);
    const frozen = freezeProtocol(protocol);
    expect(frozen.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(frozen.canonical).toContain('"source":"import"');
    const back = parseStoredProtocol("import", JSON.parse(frozen.canonical));
    expect(isImported(back)).toBe(true);
    expect(back).toEqual(protocol);
    expect(ImportedProtocolSchema.safeParse({ ...protocol, comparator: "rest-without-mat" }).success).toBe(false);
    expect(() => parseStoredProtocol("matwise", protocol)).toThrow();
  });
  it("keeps only the last part of a file name, without control characters", () => {
    expect(cleanFileName("C:\\Users\\ann\\my diary.csv")).toBe("my diary.csv");
    expect(cleanFileName("a\u0000b.csv")).toBe("ab.csv");
    expect(cleanFileName("")).toBe("file.csv");
  });
});
