import { describe, expect, it } from "vitest";
import {
  gradeArea,
  getAreaResults,
  getComparatorCounts,
  getEvidenceProblems,
  getLevelLabel,
  IMPRECISION_SERIOUS_N,
  IMPRECISION_VERY_SERIOUS_N,
} from "./grade";
import {
  AreaSchema,
  StudySchema,
  type Area,
  type Design,
  type Direction,
  type Entry,
  type Study,
  type WithinGroups,
} from "./schema";

interface Fx {
  id: string;
  design?: Design;
  n?: number | null;
  direction?: Direction | Direction[];
  comparison?: "between-groups" | "within-group";
  groups?: WithinGroups;
  measuredBy?: "self-report" | "instrument";
  healthy?: boolean;
  blinding?: Study["blinding"];
}

/** A minimal valid study; outcomes are named o0, o1, ... */
function study(f: Fx): Entry<Study> {
  const dirs = Array.isArray(f.direction) ? f.direction : [f.direction ?? "improved"];
  const design = f.design ?? "randomized-inactive-control";
  const data = StudySchema.parse({
    citation: `Author A. A test study called ${f.id}. Journal 2020;1:1-2.`,
    title: `Test study ${f.id}`,
    shortName: `Test ${f.id}`,
    year: 2020,
    design,
    control: design === "randomized-active-control" ? "relaxation without a mat" : "waiting list",
    comparator:
      design === "randomized-active-control"
        ? "relaxation without a mat"
        : design === "single-arm"
          ? "no comparison group"
          : "waiting list",
    blinding: f.blinding ?? "open-label",
    population: f.healthy
      ? { kind: "healthy-volunteers", description: "healthy adults" }
      : { kind: "patients", description: "adults with low back pain", conditions: ["chronic-low-back-pain"] },
    nAnalysed: f.n === undefined ? 50 : f.n,
    dose: { minutesPerSession: 20, sessionsPerWeek: 7, weeks: 2 },
    outcomes: dirs.map((d, i) => {
      const comparison = f.comparison ?? (design === "single-arm" ? "within-group" : "between-groups");
      return {
        id: `o${i}`,
        measure: `measure ${i}`,
        direction: d,
        comparison,
        ...(comparison === "within-group" ? { groups: f.groups ?? (design === "single-arm" ? "single" : "all") } : {}),
        measuredBy: f.measuredBy ?? "self-report",
        detail: "a test",
      };
    }),
    summary: "A study made up for a unit test of the grading rules.",
  });
  return { id: f.id, data };
}

function area(
  studies: Entry<Study>[],
  population: Area["population"] = ["chronic-low-back-pain"],
  safetySignal = false,
): Entry<Area> {
  return {
    id: "test-area",
    data: AreaSchema.parse({
      title: "Test area",
      order: 1,
      description: "An area made up for a unit test.",
      safetySignal,
      population,
      outcomes: studies.flatMap((s) => s.data.outcomes.map((o) => ({ study: s.id, outcome: o.id }))),
    }),
  };
}

const grade = (studies: Entry<Study>[], population?: Area["population"]) =>
  gradeArea(area(studies, population), studies);

describe("gradeArea: levels from tables of made-up studies", () => {
  it.each([
    // Nothing at all: nothing to grade.
    { name: "no studies", studies: [], level: "no-controlled-evidence" },
    // Uncontrolled data alone never reaches a graded level, however large.
    {
      name: "single-arm only",
      studies: [study({ id: "a", design: "single-arm", n: 1000 })],
      level: "no-controlled-evidence",
    },
    // Large, blinded, active-controlled, consistent, direct: stays high.
    {
      name: "ideal body of evidence",
      studies: [
        study({ id: "a", design: "randomized-active-control", n: 300, blinding: "participant-blinded" }),
        study({ id: "b", design: "randomized-active-control", n: 300, blinding: "participant-blinded" }),
      ],
      level: "high",
    },
    // Same, but open label with self-report: one step down.
    {
      name: "ideal but unblinded",
      studies: [
        study({ id: "a", design: "randomized-active-control", n: 300 }),
        study({ id: "b", design: "randomized-active-control", n: 300 }),
      ],
      level: "moderate",
    },
    // Objective outcomes make the lack of blinding matter less.
    {
      name: "unblinded, instrument outcomes",
      studies: [
        study({ id: "a", design: "randomized-active-control", n: 300, measuredBy: "instrument" }),
        study({ id: "b", design: "randomized-active-control", n: 300, measuredBy: "instrument" }),
      ],
      level: "high",
    },
    // Waiting-list controls and no blinding: two steps for risk of bias.
    {
      name: "large, inactive control, unblinded",
      studies: [study({ id: "a", n: 300 }), study({ id: "b", n: 300 })],
      level: "low",
    },
    // Add imprecision (total 160 < 400): very low.
    {
      name: "small, inactive control, unblinded",
      studies: [study({ id: "a", n: 80 }), study({ id: "b", n: 80 })],
      level: "very-low",
    },
    // Blinded, active control, but 2 x 40 = 80 < 100: very serious imprecision.
    {
      name: "tiny but otherwise clean",
      studies: [
        study({ id: "a", design: "randomized-active-control", n: 40, blinding: "participant-blinded" }),
        study({ id: "b", design: "randomized-active-control", n: 40, blinding: "participant-blinded" }),
      ],
      level: "low",
    },
    // A single trial is very serious imprecision whatever its size.
    {
      name: "one big clean trial",
      studies: [study({ id: "a", design: "randomized-active-control", n: 2000, blinding: "participant-blinded" })],
      level: "low",
    },
    // Results pointing different ways cost a step.
    {
      name: "inconsistent",
      studies: [
        study({
          id: "a",
          design: "randomized-active-control",
          n: 300,
          blinding: "participant-blinded",
          direction: "improved",
        }),
        study({
          id: "b",
          design: "randomized-active-control",
          n: 300,
          blinding: "participant-blinded",
          direction: "no-difference",
        }),
      ],
      level: "moderate",
    },
    // Healthy volunteers for a patient question cost a step.
    {
      name: "indirect",
      studies: [
        study({ id: "a", design: "randomized-active-control", n: 300, blinding: "participant-blinded", healthy: true }),
        study({ id: "b", design: "randomized-active-control", n: 300, blinding: "participant-blinded", healthy: true }),
      ],
      level: "moderate",
    },
    // Everything wrong: the floor is very low, never below.
    {
      name: "everything wrong",
      studies: [study({ id: "a", n: 10, healthy: true, direction: ["improved", "no-difference"] })],
      level: "very-low",
    },
  ] as const)("$name -> $level", ({ studies, level }) => {
    expect(grade([...studies]).level).toBe(level);
  });
});

describe("gradeArea: reasons readers see", () => {
  it("names every domain, with the starting point first", () => {
    const g = grade([study({ id: "a", n: 80 }), study({ id: "b", n: 80 })]);
    expect(g.reasons.map((r) => r.domain)).toEqual([
      "design",
      "risk-of-bias",
      "imprecision",
      "inconsistency",
      "indirectness",
    ]);
    expect(g.reasons[1]?.text).toMatch(/no blinding/);
    expect(g.reasons[1]?.text).toMatch(/no active control/);
    expect(g.reasons[2]?.text).toMatch(/160 participants/);
  });

  it("never grades within-group results, even from a randomized trial, and says so", () => {
    const g = grade([study({ id: "a", comparison: "within-group", groups: "mat-only" })]);
    expect(g.level).toBe("no-controlled-evidence");
    expect(g.ungradedStudies).toEqual(["a"]);
    const mixed = grade([
      study({ id: "a", comparison: "within-group", groups: "mat-only" }),
      study({ id: "b" }),
      study({ id: "c" }),
    ]);
    expect(mixed.controlledStudies).toEqual(["b", "c"]);
    expect(mixed.reasons[0]?.text).toMatch(
      /Test a was randomized, but the sources report only changes within each group/,
    );
  });

  it("names studies by their short names, never by their ids", () => {
    const g = grade([
      study({ id: "act", design: "randomized-active-control", direction: "no-difference" }),
      study({ id: "wl", direction: ["improved", "no-difference"] }),
    ]);
    const text = [...g.reasons.map((r) => r.text), ...g.findings].join(" ");
    expect(text).toContain("Test act");
    // Short names are "Test <id>": an id anywhere else is a raw id leaking through, as are coded values.
    expect(text).not.toMatch(/(?<!Test )\b(?:act|wl)\b|no-difference|randomized-|chronic-low-back-pain/);
  });

  it("reports an unknown sample size as a lower bound, never a guess", () => {
    const g = grade([study({ id: "a", n: 40 }), study({ id: "b", n: null })]);
    expect(g.participants).toBe(40);
    expect(g.participantsComplete).toBe(false);
    expect(g.reasons.find((r) => r.domain === "imprecision")?.text).toMatch(/did not report/);
  });

  it("makes a null active-control trial visible as a finding", () => {
    const g = grade([
      study({ id: "act", design: "randomized-active-control", direction: "no-difference" }),
      study({ id: "wl", direction: "improved" }),
    ]);
    expect(g.findings.join(" ")).toMatch(/only trial with an active control \(Test act.*no advantage for the mat/);
  });

  it.each([
    [IMPRECISION_VERY_SERIOUS_N - 1, 2],
    [IMPRECISION_VERY_SERIOUS_N, 1],
    [IMPRECISION_SERIOUS_N - 1, 1],
    [IMPRECISION_SERIOUS_N, 0],
  ])("total n %i costs %i step(s) for imprecision", (n, steps) => {
    const g = grade([
      study({ id: "a", n: n - 1 - Math.floor((n - 1) / 2) }),
      study({ id: "b", n: Math.floor((n - 1) / 2) + 1 }),
    ]);
    expect(g.participants).toBe(n);
    expect(g.reasons.find((r) => r.domain === "imprecision")?.change).toBe(steps);
  });
});

describe("gradeArea: how an unreported sample size could move the level", () => {
  it.each([
    // 40 known + unknown; two trials, inactive control, unblinded: very low. At 60 more (100 in
    // all) imprecision drops to one step (still very low); at 360 more (400) it drops to none: low.
    {
      name: "two trials, one of unknown size",
      studies: [study({ id: "a", n: 40 }), study({ id: "b", n: null })],
      steps: [{ atLeast: 360, level: "low" }],
    },
    // Clean active-control trials: 50 known + unknown is very serious (-2): low. At 50 more: moderate; at 350 more: high.
    {
      name: "clean trials",
      studies: [
        study({ id: "a", design: "randomized-active-control", n: 50, blinding: "participant-blinded" }),
        study({ id: "b", design: "randomized-active-control", n: null, blinding: "participant-blinded" }),
      ],
      steps: [
        { atLeast: 50, level: "moderate" },
        { atLeast: 350, level: "high" },
      ],
    },
    // A single trial is very serious imprecision whatever its size: its size cannot matter.
    {
      name: "single trial of unknown size",
      studies: [study({ id: "a", design: "randomized-active-control", n: null, blinding: "participant-blinded" })],
      steps: null,
    },
    // Every size known: nothing to say.
    { name: "all sizes known", studies: [study({ id: "a", n: 40 }), study({ id: "b", n: 40 })], steps: null },
  ] as const)("$name", ({ studies, steps }) => {
    const g = grade([...studies]);
    if (steps === null) expect(g.sensitivity).toEqual([]);
    else expect(g.sensitivity).toEqual([{ study: "b", studyName: "Test b", steps }]);
  });
});

describe("getAreaResults: every counted outcome, graded or not", () => {
  it("lists each counted outcome once, in the area's order, and marks which ones are graded", () => {
    const studies = [
      study({ id: "rct", direction: ["improved", "no-difference"] }),
      study({ id: "one", design: "single-arm", direction: "improved" }),
      study({ id: "both", comparison: "within-group", groups: "all" }),
    ];
    const a = area(studies);
    const results = getAreaResults(a, studies);
    expect(results.map((r) => `${r.study}/${r.outcome}`)).toEqual(
      a.data.outcomes.map((o) => `${o.study}/${o.outcome}`),
    );
    expect(results.map((r) => r.graded)).toEqual([true, true, false, false]);
    expect(results.map((r) => r.label)).toEqual([
      "Better with the mat than the control",
      "No difference between groups",
      "Improved from before to after (no comparison group)",
      "Every group improved, with or without the mat",
    ]);
  });
});

describe("getComparatorCounts", () => {
  it("counts randomized trials by comparator, in order of first appearance, and leaves out single-arm studies", () => {
    const studies = [
      study({ id: "a" }),
      study({ id: "b", design: "randomized-active-control" }),
      study({ id: "c" }),
      study({ id: "d", design: "single-arm" }),
    ];
    expect(getComparatorCounts(studies)).toEqual([
      { comparator: "waiting list", studies: ["a", "c"] },
      { comparator: "relaxation without a mat", studies: ["b"] },
    ]);
  });
});

describe("getEvidenceProblems", () => {
  it.each([
    { name: "unknown study", ref: { study: "nope", outcome: "o0" }, match: /unknown study 'nope'/ },
    { name: "unknown outcome", ref: { study: "a", outcome: "o9" }, match: /does not have/ },
  ])("$name", ({ ref, match }) => {
    const a = area([]);
    a.data.outcomes.push(ref);
    expect(getEvidenceProblems([study({ id: "a" })], [a]).join("\n")).toMatch(match);
  });
  it("refuses an id used by a study and a grey item", () => {
    expect(getEvidenceProblems([study({ id: "a" })], [], ["a"])).toHaveLength(1);
  });
});

describe("getLevelLabel", () => {
  it.each([
    ["very-low", "very low"],
    ["no-controlled-evidence", "no controlled evidence"],
    ["high", "high"],
  ] as const)("%s -> %s", (level, label) => expect(getLevelLabel(level)).toBe(label));
});

describe("StudySchema messages say how to fix the data", () => {
  it("refuses a between-group result in a single-arm study", () => {
    const r = StudySchema.safeParse({
      ...study({ id: "a", design: "single-arm" }).data,
      outcomes: [
        {
          id: "x",
          measure: "pain",
          direction: "improved",
          comparison: "between-groups",
          measuredBy: "self-report",
          detail: "made up",
        },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/set comparison to "within-group"/);
  });
  it.each([
    { name: "within-group without groups", outcome: { comparison: "within-group" }, message: /needs "groups"/ },
    {
      name: "groups on a between-groups result",
      outcome: { comparison: "between-groups", groups: "all" },
      message: /only for within-group results/,
    },
    {
      name: "side effects that improved",
      outcome: { comparison: "side-effects", direction: "improved" },
      message: /side effects are "worse"/,
    },
  ])("refuses $name", ({ outcome, message }) => {
    const r = StudySchema.safeParse({
      ...study({ id: "a" }).data,
      outcomes: [
        { id: "x", measure: "pain", direction: "improved", measuredBy: "self-report", detail: "made up", ...outcome },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join(" ")).toMatch(message);
  });
  it("refuses a mat-only change in a single-arm study", () => {
    const r = StudySchema.safeParse({
      ...study({ id: "a", design: "single-arm" }).data,
      outcomes: [
        {
          id: "x",
          measure: "pain",
          direction: "improved",
          comparison: "within-group",
          groups: "mat-only",
          measuredBy: "self-report",
          detail: "made up",
        },
      ],
    });
    expect(r.error?.issues[0]?.message).toMatch(/set "groups" to "single"/);
  });
  it("refuses a DOI with its URL prefix", () => {
    const r = StudySchema.safeParse({ ...study({ id: "a" }).data, doi: "https://doi.org/10.1/x" });
    expect(r.success).toBe(false);
  });
});
