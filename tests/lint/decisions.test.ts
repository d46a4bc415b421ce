/**
 * The decision records in docs/decisions stay a page long, numbered, and honest about later
 * changes (issue 28, item 11): each file is `NNN-slug.md` with a unique number, opens with
 * `# NNN: title`, has a Status line in one format, has at most 650 words, and every "amends NNN"
 * or "supersedes NNN" in a Status line is mirrored by "amended by" / "superseded by" in NNN's
 * Status line (and the other way round). Each rule is also run on bad examples, so a rule that
 * stopped matching fails here. The folder's README.md is not a record.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIR = join(import.meta.dirname, "../../docs/decisions");
const MAX_WORDS = 650;

const FILE_NAME = /^(\d{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;
/**
 * `Status: accepted (YYYY-MM-DD)` then any of, each after "; ":
 * `amends NNN (what)`, `supersedes NNN (what)`, `amended by NNN (what)`, `superseded by NNN`,
 * `amended YYYY-MM-DD (what)` for a change made in place, or `issue N…` for where it came from.
 */
const STATUS = /^Status: accepted \(\d{4}-\d{2}-\d{2}\)((?:; [^;]+)*)$/;
const PART =
  /^(?:(?:amends|supersedes|amended by) \d{3}(?: \([^()]+\))?|superseded by \d{3}|amended \d{4}-\d{2}-\d{2} \([^()]+\)|issues? \d+[^;]*)$/;

interface DecisionRecord {
  file: string;
  text: string;
}

/** The Status paragraph (it may wrap over several lines), joined into one line. */
function statusOf(text: string): string | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Status:"));
  if (start < 0) return undefined;
  const para: string[] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() === "") break;
    para.push(line.trim());
  }
  return para.join(" ");
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The problems with one record on its own. */
function recordProblems({ file, text }: DecisionRecord): string[] {
  const problems: string[] = [];
  const name = FILE_NAME.exec(file);
  if (!name) problems.push(`${file}: the name is not NNN-slug.md`);
  const first = text.split("\n")[0] ?? "";
  const heading = /^# (\d{3}): \S/.exec(first);
  if (!heading) problems.push(`${file}: the first line is not "# NNN: title"`);
  else if (name && heading[1] !== name[1]) problems.push(`${file}: the heading says ${heading[1]}`);
  const status = statusOf(text);
  if (status === undefined) problems.push(`${file}: no Status line`);
  else {
    const m = STATUS.exec(status);
    if (!m) problems.push(`${file}: the Status line is not "Status: accepted (YYYY-MM-DD)[; …]": ${status}`);
    else
      for (const part of m[1]!.split("; ").slice(1))
        if (!PART.test(part)) problems.push(`${file}: unknown Status part "${part}"`);
  }
  const words = wordCount(text);
  if (words > MAX_WORDS) problems.push(`${file}: ${words} words (at most ${MAX_WORDS})`);
  return problems;
}

/** The problems across records: duplicate numbers, and links one side does not mirror. */
function setProblems(records: DecisionRecord[]): string[] {
  const problems: string[] = [];
  const statusByNumber = new Map<string, string>();
  for (const { file, text } of records) {
    const n = file.slice(0, 3);
    if (statusByNumber.has(n)) problems.push(`number ${n} is used twice`);
    statusByNumber.set(n, statusOf(text) ?? "");
  }
  const links: [RegExp, (n: string) => RegExp][] = [
    [/\bamends (\d{3})/gi, (n) => new RegExp(`\\bamended by ${n}\\b`, "i")],
    [/\bsupersedes (\d{3})/gi, (n) => new RegExp(`\\bsuperseded by ${n}\\b`, "i")],
    [/\bamended by (\d{3})/gi, (n) => new RegExp(`\\bamends ${n}\\b`, "i")],
    [/\bsuperseded by (\d{3})/gi, (n) => new RegExp(`\\bsupersedes ${n}\\b`, "i")],
  ];
  for (const [n, status] of statusByNumber)
    for (const [pattern, mirror] of links)
      for (const [said, other] of status.matchAll(pattern)) {
        const theirs = statusByNumber.get(other!);
        if (theirs === undefined) problems.push(`${n} says "${said}" but there is no record ${other}`);
        else if (!mirror(n).test(theirs)) problems.push(`${n} says "${said}" but ${other}'s Status does not answer it`);
      }
  return problems;
}

const records: DecisionRecord[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".md") && f !== "README.md")
  .sort()
  .map((file) => ({ file, text: readFileSync(join(DIR, file), "utf8") }));

describe("decision records", () => {
  it("there are records", () => {
    expect(records.length).toBeGreaterThan(30);
  });

  it.each(records.map((r) => [r.file, r] as const))("%s is named, headed, dated and a page long", (_f, record) => {
    expect(recordProblems(record)).toEqual([]);
  });

  it("numbers are unique and every amends/supersedes is mirrored in the other record", () => {
    expect(setProblems(records)).toEqual([]);
  });
});

describe("the rules catch bad records", () => {
  const good = "# 123: A title\n\nStatus: accepted (2026-11-25); amended by 124 (the plan)\n\nText.\n";

  it("accepts a good record, a wrapped Status line and an in-place amendment", () => {
    expect(recordProblems({ file: "123-a-title.md", text: good })).toEqual([]);
    const wrapped = "# 124: B\n\nStatus: accepted (2026-11-30); amends 123 (the plan,\nnow kept); issue 19, item 6\n";
    expect(recordProblems({ file: "124-b.md", text: wrapped })).toEqual([]);
    const inPlace = "# 125: C\n\nStatus: accepted (2026-11-30); amended 2026-12-07 (every command runs the build)\n";
    expect(recordProblems({ file: "125-c.md", text: inPlace })).toEqual([]);
  });

  it("refuses a bad name, a mismatched heading, a missing or loose Status line, and a long record", () => {
    expect(recordProblems({ file: "12-a.md", text: good })).toHaveLength(1);
    expect(recordProblems({ file: "124-a.md", text: good })).toEqual(["124-a.md: the heading says 123"]);
    expect(recordProblems({ file: "123-a.md", text: "# 123: A\n\nText.\n" })).toEqual(["123-a.md: no Status line"]);
    expect(recordProblems({ file: "123-a.md", text: "# 123: A\n\nStatus: accepted\n" })).toHaveLength(1);
    expect(
      recordProblems({ file: "123-a.md", text: "# 123: A\n\nStatus: accepted (2026-11-30). Issue 4.\n" }),
    ).toHaveLength(1);
    expect(
      recordProblems({ file: "123-a.md", text: "# 123: A\n\nStatus: accepted (2026-11-30); changed a bit\n" }),
    ).toHaveLength(1);
    const long = `${good}\n${"word ".repeat(MAX_WORDS)}`;
    expect(recordProblems({ file: "123-a.md", text: long })[0]).toMatch(/words \(at most 650\)/);
  });

  it("refuses a duplicate number and an amendment only one side records", () => {
    const a = { file: "123-a.md", text: "# 123: A\n\nStatus: accepted (2026-11-25)\n" };
    const b = { file: "124-b.md", text: "# 124: B\n\nStatus: accepted (2026-11-30); amends 123 (x)\n" };
    expect(setProblems([a, b])).toEqual([`124 says "amends 123" but 123's Status does not answer it`]);
    const aAnswered = { ...a, text: "# 123: A\n\nStatus: accepted (2026-11-25); amended by 124 (x)\n" };
    expect(setProblems([aAnswered, b])).toEqual([]);
    expect(setProblems([aAnswered])).toEqual([`123 says "amended by 124" but there is no record 124`]);
    const c = { file: "125-c.md", text: "# 125: C\n\nStatus: accepted (2026-11-30); supersedes 123\n" };
    expect(setProblems([a, c])).toEqual([`125 says "supersedes 123" but 123's Status does not answer it`]);
    expect(setProblems([a, { ...a, file: "123-again.md" }])).toEqual(["number 123 is used twice"]);
  });
});
