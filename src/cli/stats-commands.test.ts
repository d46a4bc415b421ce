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
    return aFirst ? `${d(0)},${b + 1},A,${a}\n${d(1)},${b + 1},B,${bValue}` : `${d(0)},${b + 1},B,${bValue}\n${d(1)},${b + 1},A,${a}`;
  }),
  "",
].join("\n");

describe("matwise analyze", () => {
  it("prints usage for --help and exits 0", async () => {
    const io = capture({});
    expect(await analyzeCommand(["--help"], io)).toBe(0);
    expect(io.out).toBe(`${analyzeUsage}\n`);
  });

  it.each([[["days.csv", "--bogus"]], [["days.csv", "--better"]], [[]], [["a.csv", "b.csv"]], [["days.csv", "--better", "sideways"]], [["days.csv", "--seed", "0"]], [["days.csv", "--draws", "1.5"]]])(
    "rejects bad arguments %j with usage on stderr and exit 2",
    async (argv) => {
      const io = capture({ "days.csv": goodDays });
      expect(await analyzeCommand(argv, io)).toBe(2);
      expect(io.out).toBe("");
      expect(io.err).toContain(analyzeUsage);
    },
  );

  it("prints the JSON contract with --json", async () => {
    const io = capture({ "days.csv": goodDays });
    expect(await analyzeCommand(["days.csv", "--json", "--seed", "4"], io)).toBe(0);
    const result = JSON.parse(io.out) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(["n", "mean", "effect", "benefit", "randomization", "ci95", "bayes", "verdict", "warnings"]);
    expect(Object.keys(result["n"] as object)).toEqual(["A", "B", "blocks", "complete_blocks"]);
    expect(Object.keys(result["randomization"] as object)).toEqual(["p", "method", "arrangements", "draws"]);
    expect(Object.keys(result["bayes"] as object)).toEqual(["model", "effect_mean", "effect_sd", "rho_mean", "rhat", "p_benefit", "p_meaningful"]);
    expect(result["randomization"]).toMatchObject({ method: "exact", arrangements: 256, draws: null });
    expect((result["bayes"] as { model: string }).model).toBe("ar1");
    expect(result["verdict"]).toBe("meaningful-benefit");
  });

  it("honours --no-autocorrelation, --better and --mcid", async () => {
    const io = capture({ "days.csv": goodDays });
    expect(await analyzeCommand(["days.csv", "--json", "--no-autocorrelation", "--better", "higher", "--mcid", "0.5"], io)).toBe(0);
    const result = JSON.parse(io.out) as { bayes: { model: string; p_benefit: number }; benefit: number; effect: number; verdict: string };
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
    ["date,block,condition\n2024-01-01,1,A\n", "days.csv: row 1: missing column \"value\""],
    ["date,block,condition,value,extra\n", 'days.csv: row 1: unexpected column "extra"'],
    ["date,block,condition,value\n2024-01-01,1,A,3\n2024-01-01,1,B,4\n", "days.csv: row 3: duplicate date 2024-01-01 (first on row 2)"],
    ["date,block,condition,value\n2024-01-01,1,A,3\n2024-01-02,1,X,4\n", 'days.csv: row 3: condition "X" is unknown'],
    ["date,block,condition,value\n2024-01-01,1,A,3\n2024-01-02,1,B,n/a\n", 'days.csv: row 3: value "n/a" is not a number'],
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

const people = "id,effect,se\nann,-1.2,0.4\nbob,-0.3,0.5\n\"cho, jr\",-0.9,0.3\n";

describe("matwise pool", () => {
  it("prints usage for --help and exits 0", async () => {
    const io = capture({});
    expect(await poolCommand(["-h"], io)).toBe(0);
    expect(io.out).toBe(`${poolUsage}\n`);
  });

  it.each([[["p.csv", "--method", "PM"]], [["p.csv", "--verbose"]], [[]]])("rejects bad arguments %j with exit 2", async (argv) => {
    const io = capture({ "p.csv": people });
    expect(await poolCommand(argv, io)).toBe(2);
    expect(io.err).toContain(poolUsage);
  });

  it("prints the JSON contract, REML by default", async () => {
    const io = capture({ "p.csv": people });
    expect(await poolCommand(["p.csv", "--json"], io)).toBe(0);
    const result = JSON.parse(io.out) as Record<string, unknown> & { people: { id: string }[] };
    expect(Object.keys(result)).toEqual(["k", "method", "estimate", "se", "ci95", "z", "p", "tau2", "I2", "H2", "Q", "Q_df", "Q_p", "pi95", "people"]);
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
