/**
 * An imported file and `matwise analyze` speak with one voice: every file the command refuses
 * is refused by an import with the same line (without the command's "FILE: " prefix), because
 * both read it with parseAnalyzeCsv; and for a file both accept, the import's analysis equals
 * the command's JSON for the same seed.
 */
import { describe, expect, it } from "vitest";
import { readImport } from "../core/experiments/import";
import { analyzeDays } from "../server/experiments/results";
import { analyzeCommand } from "./analyze";
import type { CliIo } from "./csv";

function run(text: string, args: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const io: CliIo & { out: string; err: string } = {
    out: "",
    err: "",
    stdout: (s) => void (io.out += s),
    stderr: (s) => void (io.err += s),
    readFile: () => Promise.resolve(text),
  };
  return analyzeCommand(["f.csv", ...args], io).then((code) => ({ code, out: io.out, err: io.err }));
}

const read = (text: string) =>
  readImport(
    text,
    { outcome: "pain", better: "lower", mcid: 1 },
    { name: "f.csv", sha256: "0".repeat(64) },
    { today: "2026-11-30", timeZone: "UTC" },
  );

const header = "date,block,condition,value";
const bad: [string, string][] = [
  ["empty file", ""],
  ["blank lines only", "\n\r\n  \n"],
  ["binary", "PK\u0003\u0004\u0014\u0000\u0006\u0000"],
  ["semicolons", "date;block;condition;value\n2026-01-01;1;A;3\n"],
  ["missing column", "date,block,value\n2026-01-01,1,3\n"],
  ["unknown column", `${header},note\n2026-01-01,1,A,3,x\n`],
  ["repeated column", `${header},value\n`],
  ["short row", `${header}\n2026-01-01,1,A,3\n2026-01-02,1,B\n`],
  ["unclosed quote", `${header}\n2026-01-01,1,A,3\n"2026-01-02,1,B,4\n`],
  ["header only", `${header}\n`],
  ["one day", `${header}\n2026-01-01,1,A,3\n`],
  ["bad date", `${header}\n2026-01-01,1,A,3\n01/02/2026,1,B,4\n`],
  ["duplicate date", `${header}\n2026-01-01,1,A,3\n2026-01-01,1,B,4\n`],
  ["bad block", `${header}\n2026-01-01,1,A,3\n2026-01-02,x,B,4\n`],
  ["bad condition", `${header}\n2026-01-01,1,A,3\n2026-01-02,1,mat,4\n`],
  ["bad value", `${header}\n2026-01-01,1,A,3\n2026-01-02,1,B,4,5\n`],
  ["value not a number", `${header}\n2026-01-01,1,A,3\n2026-01-02,1,B,0x10\n`],
  ["no measured B day", `${header}\n2026-01-01,1,A,3\n2026-01-02,1,B,\n2026-01-03,2,A,4\n`],
  ["period empty", `${header},period\n2026-01-01,1,A,3,1\n2026-01-02,1,B,4,\n`],
  ["period resumes", `${header},period\n2026-01-01,1,A,3,1\n2026-01-02,1,B,4,2\n2026-01-03,1,A,3,1\n`],
  ["period mixed", `${header},period\n2026-01-01,1,A,3,1\n2026-01-02,1,B,4,1\n`],
  ["third period", `${header},period\n2026-01-01,1,A,3,1\n2026-01-02,1,B,4,2\n2026-01-03,1,A,3,3\n`],
  ["one period", `${header},period\n2026-01-01,1,A,3,1\n2026-01-02,1,B,4,2\n2026-01-03,2,A,3,1\n2026-01-04,2,A,4,1\n`],
  ["two A periods", `${header},period\n2026-01-01,1,A,3,1\n2026-01-02,1,A,4,2\n`],
  ["span too long", `${header}\n1990-01-01,1,A,3\n2026-01-02,1,B,4\n`],
];

describe("an import and matwise analyze refuse the same files with the same line", () => {
  it.each(bad)("%s", async (_name, text) => {
    const cli = await run(text);
    expect(cli.code).toBe(2);
    expect(cli.err.trimEnd().split("\n")).toHaveLength(1);
    let message = "";
    try {
      const { analyzed } = read(text);
      analyzeDays(analyzed, { better: "lower", mcid: 1, seed: 1 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(`f.csv: ${message}\n`).toBe(cli.err);
  });
});

describe("an import and matwise analyze agree on a good file", () => {
  it("gives the command's JSON for the same seed, better and mcid", async () => {
    const lines = [
      header,
      "2026-03-01,1,A,3",
      "2026-03-02,1,B,5",
      "2026-03-03,2,B,4.5",
      "2026-03-04,2,A,3.25",
      "2026-03-05,3,A,2",
      "2026-03-07,3,B,5",
      "2026-03-08,4,B,",
      "2026-03-09,4,A,3",
    ];
    const text = `${[lines[0], ...lines.slice(1).reverse()].join("\r\n")}\r\n`;
    const cli = await run(text, ["--json", "--better", "higher", "--mcid", "0.5", "--seed", "4242"]);
    expect(cli.code, cli.err).toBe(0);
    const mine = analyzeDays(read(text).analyzed, { better: "higher", mcid: 0.5, seed: 4242 });
    expect(JSON.parse(JSON.stringify(mine))).toEqual(JSON.parse(cli.out));
  });
});
