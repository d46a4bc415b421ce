import { describe, expect, it } from "vitest";
import { getMark, getTrialRows, getUsedMarks, MARK_LABELS, MARKS, renderTrialChart, type TrialRow } from "./chart";
import type { AreaResult } from "./grade";
import { StudySchema, type Entry, type Study } from "./schema";

describe("getMark: by what was compared first, then by direction", () => {
  it.each([
    [{ comparison: "between-groups", direction: "improved" }, "better"],
    [{ comparison: "between-groups", direction: "no-difference" }, "no-difference"],
    [{ comparison: "between-groups", direction: "worse" }, "worse"],
    [{ comparison: "between-groups", direction: "changed" }, "changed"],
    [{ comparison: "between-groups", direction: "mixed" }, "mixed"],
    // Both groups improved is not "better with the mat".
    [{ comparison: "within-group", direction: "improved", groups: "all" }, "all-improved"],
    [{ comparison: "within-group", direction: "no-difference", groups: "all" }, "within-other"],
    [{ comparison: "within-group", direction: "improved", groups: "mat-only" }, "mat-only"],
    [{ comparison: "within-group", direction: "improved", groups: "single" }, "one-group"],
    // A null within one group has its own mark, not the mark of a change (issue 26, item 3).
    [{ comparison: "within-group", direction: "no-difference", groups: "single" }, "one-group-null"],
    [{ comparison: "side-effects", direction: "worse" }, "side-effects"],
  ] as const)("%j -> %s", (r, mark) => {
    expect(getMark(r)).toBe(mark);
  });

  it("has words for every mark", () => {
    for (const m of MARKS) expect(MARK_LABELS[m].length).toBeGreaterThan(5);
  });
});

function study(id: string, n: number | null, comparator: string): Entry<Study> {
  return {
    id,
    data: StudySchema.parse({
      citation: `Author A. A test study called ${id}. Journal 2020;1:1-2.`,
      title: `Test study ${id}`,
      shortName: `Name <${id}>`,
      year: 2020,
      design: "randomized-inactive-control",
      control: comparator,
      comparator,
      blinding: "open-label",
      population: { kind: "patients", description: "adults with low back pain", conditions: ["chronic-low-back-pain"] },
      nAnalysed: n,
      dose: { minutesPerSession: 20, sessionsPerWeek: 7, weeks: 2 },
      outcomes: [
        {
          id: "o",
          measure: "pain",
          direction: "improved",
          comparison: "between-groups",
          measuredBy: "self-report",
          detail: "a test",
        },
      ],
      summary: "A study made up for a unit test of the chart.",
    }),
  };
}

const result = (study: string, measure: string, over: Partial<AreaResult> = {}): AreaResult => ({
  study,
  studyName: `Name <${study}>`,
  outcome: measure,
  measure,
  comparison: "between-groups",
  direction: "improved",
  groups: undefined,
  graded: true,
  label: "Better with the mat than the control",
  detail: "",
  ...over,
});

describe("getTrialRows", () => {
  it("makes one row per trial, in order of first appearance, with each result as a mark", () => {
    const studies = [study("a", 40, "waiting list"), study("b", null, "relaxation without a mat")];
    const rows = getTrialRows(
      [
        result("a", "pain"),
        result("b", "stress", { direction: "no-difference" }),
        result("a", "disability", { direction: "no-difference" }),
        result("b", "stress over time", { comparison: "within-group", groups: "all", graded: false }),
      ],
      studies,
    );
    expect(rows.map((r) => [r.study, r.comparator, r.n, r.results.map((x) => x.mark)])).toEqual([
      ["a", "waiting list", 40, ["better", "no-difference"]],
      ["b", "relaxation without a mat", null, ["no-difference", "all-improved"]],
    ]);
    expect(getUsedMarks(rows)).toEqual(["better", "no-difference", "all-improved"]);
  });
});

describe("renderTrialChart", () => {
  const rows: TrialRow[] = [
    {
      study: "a",
      name: "Name <a> & co",
      comparator: "waiting list",
      n: 45,
      results: [{ measure: "pain", mark: "better", label: "Better", graded: true }],
    },
    {
      study: "b",
      name: "B",
      comparator: "relaxation",
      n: null,
      results: [
        { measure: "x", mark: "no-difference", label: "No difference", graded: true },
        { measure: "y", mark: "all-improved", label: "All", graded: false },
      ],
    },
  ];
  const svg = renderTrialChart(rows, { maxN: 90, labelledBy: "cap-1" });

  it("is an image named by the caption, with one titled mark per result", () => {
    expect(svg).toMatch(/^<svg class="trial-chart" viewBox="0 0 340 96" role="img" aria-labelledby="cap-1"/);
    expect(svg.match(/<g><title>/g)).toHaveLength(3);
    expect(svg).toContain("<title>y: All</title>");
  });

  it("draws size to one scale and says so when a size is unknown", () => {
    // 45 of 90 people is half of the 120-unit bar.
    expect(svg).toContain('width="60" height="10" fill="currentColor"');
    expect(svg).toContain(">45 people<");
    expect(svg).toContain(">size not reported<");
  });

  it("escapes text and shows names, not ids", () => {
    expect(svg).toContain("Name &lt;a&gt; &amp; co");
    expect(svg).not.toContain("<a>");
  });

  it("widens itself rather than cut off a row with many results", () => {
    const many: TrialRow[] = [
      {
        ...rows[0]!,
        results: Array.from({ length: 10 }, () => ({
          measure: "m",
          mark: "better" as const,
          label: "B",
          graded: true,
        })),
      },
    ];
    const m = /viewBox="0 0 (\d+) /.exec(renderTrialChart(many, { maxN: 90, labelledBy: "c" }));
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(206 + 10 * 18);
  });
});
