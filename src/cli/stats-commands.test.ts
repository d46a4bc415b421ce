import { describe, expect, it } from "vitest";
import { analyzeCommand, analyzeUsage } from "./analyze";
import type { CliIo } from "./csv";
import { poolCommand, poolUsage } from "./pool";

/** Captured io over an in-memory file system. */
function capture(files: Record<string, string>): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (s: string) => {
      io.out += s;
    },
    stderr: (s: string) => {
      io.err += s;
    },
    readFile: (path: string) => {
      const text = files[path];
      if (text === undefined) return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" }));
      return Promise.resolve(text);
    },
  };
  return io;
}

/** 8 pairs of days, A lower than B by about 1.5. */
const goodDays = [
  "date,block,condition,value",
  ...Array.from({ length: 8 }, (_, b) => {
    const aFirst = b % 3 !== 1;
    const d = (i: number) => `2024-05-${String(1 + 2 * b + i).padStart(2, "0")}`;
    const a = (3 + ((b * 7) % 5) * 0.3).toFixed(2);
    const bValue = (4.5 + ((b * 3) % 4) * 0.25).toFixed(2);
    return aFirst
      ? `${d(0)},${b + 1},A,${a}\n${d(1)},${b + 1},B,${bValue}`
      : `${d(0)},${b + 1},B,${bValue}\n${d(1)},${b + 1},A,${a}`;
  }),
  "",
].join("\n");

/** `goodDays` with a period column in which every day is its own period (1 then 2 in each pair). */
const goodDaysOneDayPeriods = goodDays
  .trim()
  .split("\n")
  .map((line, i) => `${line},${i === 0 ? "period" : 2 - (i % 2)}`)
  .join("\n");

/** 8 blocks of two 2-day periods (AABB or BBAA), A lower than B by about 1.2; one day unmeasured. */
const twoDayPeriods = [
  "date,block,condition,value,period",
  ...Array.from({ length: 8 }, (_, b) =>
    [0, 1, 2, 3]
      .map((j) => {
        const aFirst = b % 3 !== 1;
        const condition = j < 2 === aFirst ? "A" : "B";
        const value =
          b === 5 && j === 3
            ? ""
            : (condition === "A" ? 3.2 + ((b * 5 + j) % 4) * 0.3 : 4.4 + ((b * 3 + j) % 5) * 0.25).toFixed(2);
        const date = new Date(Date.UTC(2024, 4, 1 + 4 * b + j)).toISOString().slice(0, 10);
        return `${date},${b + 1},${condition},${value},${j < 2 ? 1 : 2}`;
      })
      .join("\n"),
  ),
  "",
].join("\n");

describe("matwise analyze", () => {
  it("prints usage for --help and exits 0", async () => {
    const io = capture({});
    expect(await analyzeCommand(["--help"], io)).toBe(0);
    expect(io.out).toBe(`${analyzeUsage}\n`);
    expect(io.out).toContain("optional period");
  });

  it.each([
    [["days.csv", "--bogus"]],
    [["days.csv", "--better"]],
    [[]],
    [["days.csv", "--better", "sideways"]],
    [["days.csv", "--seed", "0"]],
    [["days.csv", "--draws", "1.5"]],
  ])("rejects bad arguments %j with usage on stderr and exit 2", async (argv) => {
    const io = capture({ "days.csv": goodDays });
    expect(await analyzeCommand(argv, io)).toBe(2);
    expect(io.out).toBe("");
    expect(io.err).toContain(analyzeUsage);
  });

  it("prints the JSON contract with --json", async () => {
    const io = capture({ "days.csv": goodDays });
    expect(await analyzeCommand(["days.csv", "--json", "--seed", "4"], io)).toBe(0);
    const result = JSON.parse(io.out) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual([
      "n",
      "mean",
      "effect",
      "benefit",
      "randomization",
      "ci95",
      "bayes",
      "verdict",
      "warnings",
      "anytime",
    ]);
    expect(Object.keys(result["n"] as object)).toEqual(["A", "B", "blocks", "complete_blocks"]);
    expect(Object.keys(result["randomization"] as object)).toEqual(["p", "method", "arrangements", "draws"]);
    expect(Object.keys(result["bayes"] as object)).toEqual([
      "model",
      "effect_mean",
      "effect_sd",
      "rho_mean",
      "rhat",
      "p_benefit",
      "p_meaningful",
    ]);
    expect(result["randomization"]).toMatchObject({ method: "exact", arrangements: 256, draws: null });
    expect((result["bayes"] as { model: string }).model).toBe("ar1");
    expect(result["verdict"]).toBe("meaningful-benefit");
  });

  it("honours --no-autocorrelation, --better and --mcid", async () => {
    const io = capture({ "days.csv": goodDays });
    expect(
      await analyzeCommand(["days.csv", "--json", "--no-autocorrelation", "--better", "higher", "--mcid", "0.5"], io),
    ).toBe(0);
    const result = JSON.parse(io.out) as {
      bayes: { model: string; p_benefit: number };
      benefit: number;
      effect: number;
      verdict: string;
    };
    expect(result.bayes.model).toBe("independent");
    expect(result.benefit).toBe(result.effect);
    expect(result.bayes.p_benefit).toBeLessThan(0.01);
    expect(result.verdict).toBe("likely-worse");
  });

  it("prints readable text without --json", async () => {
    const io = capture({ "days.csv": goodDays });
    expect(await analyzeCommand(["days.csv"], io)).toBe(0);
    expect(io.out).toMatch(/^Days measured: A \(mat\) 8, B \(comparator\) 8; blocks 8, complete 8$/m);
    expect(io.out).toMatch(/^Randomization test: p = 0\.0078\d* \(exact, 256 arrangements\)$/m);
    expect(io.out).toMatch(/^Verdict: meaningful-benefit: /m);
  });

  it.each([
    ["date,block,condition\n2024-01-01,1,A\n", 'days.csv: row 1: missing column "value"'],
    ["date,block,condition,value,extra\n", 'days.csv: row 1: unexpected column "extra"'],
    [
      "date,block,condition,value\n2024-01-01,1,A,3\n2024-01-01,1,B,4\n",
      "days.csv: row 3: duplicate date 2024-01-01 (first on row 2)",
    ],
    ["date,block,condition,value\n2024-01-01,1,A,3\n2024-01-02,1,X,4\n", 'days.csv: row 3: condition "X" is unknown'],
    [
      "date,block,condition,value\n2024-01-01,1,A,3\n2024-01-02,1,B,n/a\n",
      'days.csv: row 3: value "n/a" is not a number',
    ],
    ["date,block,condition,value\n2024-01-01,1,A,3\n2024-01-02,1,B\n", "days.csv: row 3: expected 4 fields"],
    ["date,block,condition,value\n2024-01-01,1,A,3\n", "days.csv: row 2: need at least 2 day rows, found 1"],
    ["date,block,condition,value\n2024-01-01,1,A,\n2024-01-02,1,B,4\n", "days.csv: need at least one measured A day"],
    ["", "days.csv: row 1: the file is empty"],
  ])("reports a malformed file in one line and exits 2 (%#)", async (text, message) => {
    const io = capture({ "days.csv": text });
    expect(await analyzeCommand(["days.csv"], io)).toBe(2);
    expect(io.err.startsWith(message), io.err).toBe(true);
    expect(io.err.trimEnd().split("\n")).toHaveLength(1);
    expect(io.out).toBe("");
  });

  it.each([
    [
      "date,block,condition,value,period\n2024-01-01,1,A,3,1\n2024-01-02,1,B,4,2\n2024-01-03,1,A,3,1\n",
      "days.csv: row 4: period 1 of block 1 resumes after period 2 began on row 3",
    ],
    [
      "date,block,condition,value,period\n2024-01-01,1,A,3,1\n2024-01-02,1,B,4,one\n",
      'days.csv: row 3: period "one" is not an integer',
    ],
    ["date,block,condition,value,period\n2024-01-01,1,A,3,1\n2024-01-02,1,B,4,\n", "days.csv: row 3: period is empty"],
    [
      "date,block,condition,value,period\n2024-01-01,1,A,3,1\n2024-01-02,1,B,4,1\n",
      "days.csv: row 3: period 1 of block 1 is B here but A on row 2",
    ],
    [
      "date,block,condition,value,period\n2024-01-01,1,A,3,1\n2024-01-02,1,B,4,2\n2024-01-03,2,A,3,1\n2024-01-04,2,A,4,1\n",
      "days.csv: row 4: block 2 has only one period (1)",
    ],
    [
      "date,block,condition,value,period\n2024-01-01,1,A,3,1\n2024-01-02,1,B,4\n",
      "days.csv: row 3: expected 5 fields (date,block,condition,value,period), found 4",
    ],
    [
      "date,block,condition,value,periods\n",
      'days.csv: row 1: unexpected column "periods" (the header must be date,block,condition,value)',
    ],
  ])("reports a bad period in one line and exits 2 (%#)", async (text, message) => {
    const io = capture({ "days.csv": text });
    expect(await analyzeCommand(["days.csv"], io)).toBe(2);
    expect(io.err.startsWith(message), io.err).toBe(true);
    expect(io.err.trimEnd().split("\n")).toHaveLength(1);
    expect(io.out).toBe("");
  });

  it("gives the day-level result for a period column of one-day periods, plus the design", async () => {
    for (const args of [["--json"], ["--json", "--no-autocorrelation", "--seed", "9"]]) {
      const plain = capture({ "days.csv": goodDays });
      const periods = capture({ "days.csv": goodDaysOneDayPeriods });
      expect(await analyzeCommand(["days.csv", ...args], plain)).toBe(0);
      expect(await analyzeCommand(["days.csv", ...args], periods)).toBe(0);
      const { design, ...rest } = JSON.parse(periods.out) as Record<string, unknown>;
      expect(JSON.stringify(rest)).toBe(plain.out.trimEnd());
      expect(design).toEqual({ blocks: 8, periods: 16, period_days: { min: 1, max: 1 } });
    }
    const plain = capture({ "days.csv": goodDays });
    const periods = capture({ "days.csv": goodDaysOneDayPeriods });
    await analyzeCommand(["days.csv"], plain);
    await analyzeCommand(["days.csv"], periods);
    const [first, ...others] = plain.out.split("\n");
    expect(periods.out).toBe(
      [first, "Design: 8 blocks of two periods of 1 day (16 periods), randomized by period", ...others].join("\n"),
    );
  });

  it("permutes whole periods: 8 blocks of 2-day periods have 2^8 arrangements", async () => {
    const io = capture({ "days.csv": twoDayPeriods });
    expect(await analyzeCommand(["days.csv", "--json"], io)).toBe(0);
    const result = JSON.parse(io.out) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual([
      "n",
      "design",
      "mean",
      "effect",
      "benefit",
      "randomization",
      "ci95",
      "bayes",
      "verdict",
      "warnings",
      "anytime",
    ]);
    expect(result["design"]).toEqual({ blocks: 8, periods: 16, period_days: { min: 2, max: 2 } });
    expect(result["n"]).toEqual({ A: 16, B: 15, blocks: 8, complete_blocks: 8 });
    expect(result["randomization"]).toMatchObject({ method: "exact", arrangements: 256, draws: null });
    // Day by day (no period column) the same days would have C(4, 2)^8 arrangements.
    const dayLevel = capture({ "days.csv": twoDayPeriods.replace(/,[12]$/gm, "").replace(",period", "") });
    expect(await analyzeCommand(["days.csv", "--json"], dayLevel)).toBe(0);
    expect((JSON.parse(dayLevel.out) as { randomization: { method: string } }).randomization.method).toBe(
      "monte-carlo",
    );

    const text = capture({ "days.csv": twoDayPeriods });
    expect(await analyzeCommand(["days.csv"], text)).toBe(0);
    expect(text.out).toMatch(/^Design: 8 blocks of two periods of 2 days \(16 periods\), randomized by period$/m);
    expect(text.out).toMatch(/^Randomization test: p = [\d.]+ \(exact, 256 arrangements\)$/m);
  });

  it("finds the period column in any place, after a BOM and in quotes", async () => {
    const lines = twoDayPeriods
      .trim()
      .split("\n")
      .map((line) => {
        const [date, block, condition, value, period] = line.split(",");
        return [period, date, block, condition, value].join(",");
      });
    const moved = capture({
      "m.csv": `\uFEFF\r\n${lines[0]!.replace("period", '"period"')}\r\n${lines.slice(1).join("\r\n")}\r\n`,
    });
    const plain = capture({ "p.csv": twoDayPeriods });
    expect(await analyzeCommand(["m.csv", "--json"], moved)).toBe(0);
    expect(await analyzeCommand(["p.csv", "--json"], plain)).toBe(0);
    expect(moved.out).toBe(plain.out);
  });

  it("reports a missing file in one line", async () => {
    const io = capture({});
    expect(await analyzeCommand(["nope.csv"], io)).toBe(2);
    expect(io.err).toBe("cannot read nope.csv: no such file\n");
  });

  it("reads CRLF line ends, a BOM, quoted fields and columns in another order", async () => {
    const text = `\uFEFFvalue,condition,date,block\r\n${goodDays
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => {
        const [date, block, condition, value] = line.split(",");
        return `"${value}",${condition},${date},"${block}"`;
      })
      .join("\r\n")}\r\n`;
    const reordered = capture({ "r.csv": text });
    const plain = capture({ "p.csv": goodDays });
    expect(await analyzeCommand(["r.csv", "--json"], reordered)).toBe(0);
    expect(await analyzeCommand(["p.csv", "--json"], plain)).toBe(0);
    expect(reordered.out).toBe(plain.out);
  });
});

const people = 'id,effect,se\nann,-1.2,0.4\nbob,-0.3,0.5\n"cho, jr",-0.9,0.3\n';

describe("matwise pool", () => {
  it("prints usage for --help and exits 0", async () => {
    const io = capture({});
    expect(await poolCommand(["-h"], io)).toBe(0);
    expect(io.out).toBe(`${poolUsage}\n`);
  });

  it.each([[["p.csv", "--method", "PM"]], [["p.csv", "--verbose"]], [[]]])(
    "rejects bad arguments %j with exit 2",
    async (argv) => {
      const io = capture({ "p.csv": people });
      expect(await poolCommand(argv, io)).toBe(2);
      expect(io.err).toContain(poolUsage);
    },
  );

  it("prints the JSON contract, REML by default", async () => {
    const io = capture({ "p.csv": people });
    expect(await poolCommand(["p.csv", "--json"], io)).toBe(0);
    const result = JSON.parse(io.out) as Record<string, unknown> & { people: { id: string }[] };
    expect(Object.keys(result)).toEqual([
      "k",
      "method",
      "estimate",
      "se",
      "ci95",
      "z",
      "p",
      "tau2",
      "I2",
      "H2",
      "Q",
      "Q_df",
      "Q_p",
      "pi95",
      "people",
    ]);
    expect(result["method"]).toBe("REML");
    expect(result.people.map((p) => p.id)).toEqual(["ann", "bob", "cho, jr"]);
    expect(Object.keys(result.people[0]!)).toEqual(["id", "estimate", "se", "pi95"]);
  });

  it("prints readable text with --method DL", async () => {
    const io = capture({ "p.csv": people });
    expect(await poolCommand(["p.csv", "--method", "DL"], io)).toBe(0);
    expect(io.out).toMatch(/^People: 3; random-effects model, tau² by DL$/m);
    expect(io.out).toMatch(/^ {2}cho, jr: /m);
  });

  it.each([
    ["id,effect,se\nann,-1.2,0\nbob,1,1\n", "p.csv: row 2: se must be positive, got 0"],
    ["id,effect,se\nann,-1.2,-1\nbob,1,1\n", "p.csv: row 2: se must be positive, got -1"],
    ["id,effect,se\nann,abc,1\nbob,1,1\n", 'p.csv: row 2: effect "abc" is not a number'],
    ["id,effect\nann,1\n", 'p.csv: row 1: missing column "se"'],
    ["id,effect,se\nann,1,1\n", "p.csv: row 2: need at least 2 people, found 1"],
    ["id,effect,se\n", "p.csv: row 2: need at least 2 people, found 0"],
  ])("reports a malformed file in one line and exits 2 (%#)", async (text, message) => {
    const io = capture({ "p.csv": text });
    expect(await poolCommand(["p.csv"], io)).toBe(2);
    expect(io.err.startsWith(message), io.err).toBe(true);
    expect(io.err.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("matwise analyze with many files", () => {
  it("prints one JSON line per file in the order given, each with its file, and an error line for a bad one (exit 2)", async () => {
    const io = capture({
      "b.csv": goodDays,
      "bad.csv": "date,block,condition,value\n2024-01-01,1,C,3\n2024-01-02,1,B,4\n",
      "a.csv": twoDayPeriods,
    });
    const code = await analyzeCommand(
      ["b.csv", "bad.csv", "missing.csv", "a.csv", "--json", "--draws", "200", "--no-autocorrelation"],
      io,
    );
    expect(code).toBe(2);
    const lines = io.out
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l["file"])).toEqual(["b.csv", "bad.csv", "missing.csv", "a.csv"]);
    expect(lines[1]).toEqual({
      file: "bad.csv",
      error: 'row 2: condition "C" is unknown (use A for the mat, B for the comparator)',
    });
    expect(lines[2]).toEqual({ file: "missing.csv", error: "cannot read missing.csv: no such file" });
    // Each good line is exactly what the one-file command prints for that file, plus "file".
    const single = capture({ "a.csv": twoDayPeriods });
    expect(await analyzeCommand(["a.csv", "--json", "--draws", "200", "--no-autocorrelation"], single)).toBe(0);
    expect(lines[3]).toEqual({ file: "a.csv", ...(JSON.parse(single.out) as object) });
    expect(["benefit", "harm", "undecided"]).toContain((lines[0]!["anytime"] as { verdict: string }).verdict);
  });

  it("exits 0 when every file is analysed, and without --json prints each under its name", async () => {
    const io = capture({ "a.csv": goodDays, "b.csv": goodDaysOneDayPeriods });
    expect(await analyzeCommand(["a.csv", "b.csv", "--draws", "200", "--no-autocorrelation"], io)).toBe(0);
    expect(io.out).toMatch(/^== a\.csv\n/);
    expect(io.out).toContain("\n== b.csv\n");
    expect(io.out).toContain("Anytime-valid answer:");
  });

  it("prints the anytime answer in the one-file JSON with exactly its five fields", async () => {
    const io = capture({ "a.csv": goodDays });
    expect(await analyzeCommand(["a.csv", "--json", "--draws", "200", "--no-autocorrelation"], io)).toBe(0);
    const json = JSON.parse(io.out) as { anytime: Record<string, unknown> };
    expect(Object.keys(json.anytime).sort()).toEqual(["cs95", "e_benefit", "e_harm", "method", "verdict"]);
  });
});

describe("matwise analyze on awkward files: a clear message or an undecided answer, never NaN", () => {
  const file = (rows: string[]) => ["date,block,condition,value,period", ...rows, ""].join("\n");
  it.each([
    [
      "one block of two 2-day periods",
      file(["2024-01-01,1,A,3,1", "2024-01-02,1,A,4,1", "2024-01-03,1,B,5,2", "2024-01-04,1,B,6,2"]),
    ],
    [
      "every value equal",
      file(
        Array.from(
          { length: 12 },
          (_, i) =>
            `2024-01-${String(i + 1).padStart(2, "0")},${1 + Math.floor(i / 2)},${i % 2 ? "B" : "A"},4,${(i % 2) + 1}`,
        ),
      ),
    ],
    [
      "periods of unequal length and a gap in the dates",
      file([
        "2024-01-01,1,A,3,1",
        "2024-01-02,1,A,4,1",
        "2024-01-03,1,A,3,1",
        "2024-01-04,1,B,6,2",
        "2024-01-09,2,B,5,1",
        "2024-01-10,2,A,2,2",
        "2024-01-11,2,A,,2",
        "2024-01-12,3,A,3,1",
        "2024-01-13,3,B,5,2",
      ]),
    ],
  ])("%s: an answer with every anytime field finite or null", async (_name, text) => {
    const io = capture({ "f.csv": text });
    expect(await analyzeCommand(["f.csv", "--json", "--draws", "200", "--no-autocorrelation"], io), io.err).toBe(0);
    expect(io.out).not.toMatch(/NaN/);
    const r = JSON.parse(io.out) as {
      anytime: { verdict: string; cs95: (number | null)[]; e_benefit: number; e_harm: number };
    };
    expect(r.anytime.verdict).toBe("undecided");
    expect(Number.isFinite(r.anytime.e_benefit) && Number.isFinite(r.anytime.e_harm)).toBe(true);
  });

  it("only A days: one line that says what is missing, exit 2", async () => {
    const io = capture({
      "f.csv": "date,block,condition,value\n2024-01-01,1,A,3\n2024-01-02,1,A,4\n2024-01-03,2,A,5\n",
    });
    expect(await analyzeCommand(["f.csv", "--json"], io)).toBe(2);
    expect(io.err).toMatch(/^f\.csv: need at least one measured A day, one measured B day/);
  });
});
